-- Professional learning: offerings, hours and participants by school, month and mode (python -m etl load learning).
-- param school_year: default null
-- privacy: kind=none
--
-- Staff data, no figure about students: one row per school, month and mode of learning_offerings, scoped to the
-- viewer's schools. An offering is one date, school, mode and title; n_participants adds every role's count
-- (a person at two offerings counts twice); participant_hours weighs each participant by the offering's hours.
-- A school year runs July to June.
with offerings as (
    select
        offered_on, school_id, mode, title,
        any_value(hours) as hours,
        sum(n_participants) as n_participants,
        sum(n_participants) filter (where role = 'teacher') as n_teachers
    from learning_offerings
    where ($school_ids is null or list_contains($school_ids, school_id))
    group by offered_on, school_id, mode, title
),

final as (
    select
        case when month(o.offered_on) >= 7 then year(o.offered_on) else year(o.offered_on) - 1 end || '-'
            || lpad(((case when month(o.offered_on) >= 7 then year(o.offered_on) else year(o.offered_on) - 1 end + 1)
                     % 100)::varchar, 2, '0') as school_year,
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
    having $school_year is null or school_year = $school_year
    order by month, school_id, mode
)

select * from final
