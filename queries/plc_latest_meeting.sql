-- The most recent PLC meeting saved at the viewer's schools: the team and as-of date the PLC data meeting
-- page opens on, so a facilitator returns to their own team where they left it.
-- privacy: kind=student_list
--
-- Read from the notes' table but returns no note text: a school, a team key and dates. A student list all the
-- same (meeting notes are never for the board audience). Scoped to the viewer's schools.
with latest as (
    select school_id, team, as_of, created_at
    from meeting_notes
    where $school_ids is null or list_contains($school_ids, school_id)
    order by created_at desc, as_of desc
    limit 1
),

final as (
    select school_id, team, as_of, school_year_of(as_of) as school_year, created_at
    from latest
)

select * from final
