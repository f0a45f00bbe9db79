-- The students of each course team (docs/architecture.md, PLC data meeting): per school year, school and
-- course, each student with a mark in the course and the date of their first dated mark in it. Run after
-- mart_plc_teams; read by the table macro plc_team (etl/marts/plc_as_of.sql).
-- Why a mart: a course team's students as of a date are those with a mark in the course recorded by then, and
-- the scores are stored in load order, so every PLC query of a course team read all ten million scores (and
-- more than once: each query uses the team in several places), 0.5-2 s per query at 10M. A student belongs on
-- an as-of date exactly when first_marked_on <= that date.
create or replace table mart_plc_course_students as
with final as (
    select
        school_year,
        school_id,
        course_id,
        student_id,
        min(assessed_on) as first_marked_on
    from scores
    where course_id is not null
      and assessed_on is not null
      and list_contains($school_years, school_year)
    group by school_year, school_id, course_id, student_id
    order by school_year, school_id, course_id, student_id
)

select * from final
