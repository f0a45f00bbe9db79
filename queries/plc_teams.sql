-- The PLC teams of a school in a school year: each grade (per content area) and each course, with the continuum level it is taught from and its evidence dates.
-- param school_id: required
-- param school_year: default null
-- privacy: kind=none
--
-- A grade team works on the standards of the continuum level its grade is taught from (mart_continuum_grades:
-- the grade's own level, or for a grade with no standards at its own level the band's level below it). A
-- course team works on the level and content area most of the course's scores (that year, that school) are
-- recorded on. first/last_assessed_on bound the team's dated evidence, for choosing an as-of date. No counts of
-- students: this list only names teams. The teams of every school and year are built with the marts
-- (etl/marts/mart_plc_teams.sql), so this reads a few rows instead of the year's scores.
with params as (
    select coalesce($school_year, (select max(school_year) from enrollments)) as school_year
),

final as (
    select
        t.school_year,
        t.school_id,
        t.team_type,
        t.grade_level,
        t.course_id,
        t.content_area,
        t.continuum_level,
        t.first_assessed_on,
        t.last_assessed_on
    from mart_plc_teams as t, params as p
    where t.school_year = p.school_year
      and t.school_id = $school_id
      and ($school_ids is null or list_contains($school_ids, t.school_id))
    order by t.team_type desc, t.grade_level, t.content_area, t.course_id
)

select * from final
