-- PLC meeting notes of a team (what the team noticed, wondered and committed to), newest first.
-- param school_id: required
-- param team: required
-- privacy: kind=student_list
--
-- Notes are free text written by staff and may name students, so they are a student list: never for the
-- board audience. Scoped to the viewer's schools.
with final as (
    select meeting_id, school_id, team, as_of, notice, wonder, next_steps, created_at, held_on, focus_standards,
           participants, reviewed_last_next_steps
    from meeting_notes
    where school_id = $school_id
      and team = $team
      and ($school_ids is null or list_contains($school_ids, school_id))
    order by as_of desc, created_at desc
)

select * from final
