-- The scope a board-audience query reads from the release: a named school (if the viewer may see it), the
-- viewer's one school, or the district. Null means the district rows.
create or replace macro release_school(p_school_ids, p_school_id) as
    case
        when p_school_id is not null then p_school_id
        when p_school_ids is not null and len(p_school_ids) = 1 then p_school_ids[1]
    end;

-- The release rows of one scope (table macro): the district's, or one school's when the viewer may see it.
create or replace macro release_rows(p_school_ids, p_school_id) as table
    select r.*
    from release_proficiency as r
    where (release_school(p_school_ids, p_school_id) is null and r.scope = 'district')
       or (r.scope = 'school' and r.school_id = release_school(p_school_ids, p_school_id)
           and (p_school_ids is null or list_contains(p_school_ids, r.school_id)));
