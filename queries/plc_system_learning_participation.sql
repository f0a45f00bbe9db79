-- Professional learning: offerings, hours and participants by school, month and mode (python -m etl load learning).
-- param school_year: default null
-- privacy: kind=none
--
-- Staff data, no figure about students: one row per school, month and mode of learning_offerings, scoped to the
-- viewer's schools. An offering is one date, school, mode and title; n_participants adds every role's count
-- (a person at two offerings counts twice); participant_hours weighs each participant by the offering's hours.
-- A school year runs July to June (the warehouse macro school_year_of, stored with each offering).
with offerings as (
    select
        offered_on, school_year, school_id, mode, title,
        any_value(hours) as hours,
        sum(n_participants) as n_participants,
        sum(n_participants) filter (where role = 'teacher') as n_teachers
    from learning_offerings
    where ($school_ids is null or list_contains($school_ids, school_id))
      and ($school_year is null or school_year = $school_year)
    group by offered_on, school_year, school_id, mode, title
),

final as (
    select
        o.school_year,
        date_trunc('month', o.offered_on)::date as month,
        o.school_id,
        coalesce(s.school_name, o.school_id) as school_name,
        o.mode,
        count(*)::integer as n_offerings,
        sum(o.hours) as hours,
        sum(o.n_participants)::integer as n_participants,
        coalesce(sum(o.n_teachers), 0)::integer as n_teachers,
        round(sum(o.hours * o.n_participants), 1) as participant_hours
    from offerings as o
    left join schools as s using (school_id)
    group by all
    order by month, school_id, mode
)

select * from final
