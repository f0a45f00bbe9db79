-- Free-text answers and other comments, shown only for groups of 10 or more respondents.
-- param survey_id: default null
-- param wave: default null
-- param school_id: default null
-- param role: default null
-- param item_id: default null
-- param by: default school choices school_role,school,role,district
-- privacy: kind=survey n=n_respondents comments=comment
with responses as (
    select
        r.*,
        case when $by in ('school_role', 'school') then r.school_id else 'all' end as group_school,
        case when $by in ('school_role', 'role') then r.role else 'all' end as group_role
    from survey_responses as r
    where ($survey_id is null or r.survey_id = $survey_id)
      and ($wave is null or r.wave = $wave)
      and ($school_id is null or r.school_id = $school_id)
      and ($role is null or r.role = $role)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

groups as (
    -- everyone who answered anything in the group: the comment rule counts the group, not the commenters
    select survey_id, wave, group_school, group_role, count(distinct response_id) as n_respondents
    from responses
    group by all
),

final as (
    select
        c.survey_id,
        c.wave,
        c.group_school as school_id,
        case when c.group_school = 'all' then 'All schools'
            else coalesce(s.school_name, c.group_school, 'School not given') end as school_name,
        c.group_role as role,
        c.item_id,
        i.item_text,
        g.n_respondents,
        c.comment
    from responses as c
    join survey_items as i using (survey_id, item_id)
    join groups as g
        on g.survey_id = c.survey_id and g.wave = c.wave
       and g.group_school is not distinct from c.group_school and g.group_role is not distinct from c.group_role
    left join schools as s on s.school_id = c.group_school
    where c.comment is not null and c.comment <> ''
      and ($item_id is null or c.item_id = $item_id)
    -- ordered by the text, not by respondent, so one person's comments cannot be strung together
    order by c.survey_id, c.wave, school_id nulls last, role nulls last, c.item_id, c.comment
)

select * from final
