-- The PLC teams of a school in a school year: each grade (per content area) and each course, with the continuum level it is taught from and its evidence dates.
-- param school_id: required
-- param school_year: default null
-- privacy: kind=none
--
-- A grade team works on the standards of the continuum level its grade is taught from (mart_continuum_grades:
-- the grade's own level, or for a grade with no standards at its own level the band's level below it). A
-- course team works on the level and content area most of the course's scores (that year, that school) are
-- recorded on. first/last_assessed_on bound the team's dated evidence, for choosing an as-of date. No counts of
-- students: this list only names teams.
with params as (
    select coalesce($school_year, (select max(school_year) from enrollments)) as school_year
),

grades as (
    select distinct e.grade_level
    from enrollments as e, params as p
    where e.school_year = p.school_year
      and e.school_id = $school_id
      and e.grade_level is not null
      and ($school_ids is null or list_contains($school_ids, e.school_id))
),

grade_teams as (
    select
        'grade' as team_type,
        g.grade_level,
        null::varchar as course_id,
        c.content_area,
        c.continuum_level
    from grades as g
    join mart_continuum_grades as c on c.grade_level = g.grade_level
),

course_scores as (
    select s.course_id, st.content_area, st.continuum_level, s.assessed_on
    from scores as s, params as p, standards as st
    where s.school_year = p.school_year
      and s.school_id = $school_id
      and s.course_id is not null
      and st.standard_code = s.standard_code
      and st.content_area is not null
      and st.continuum_level is not null
      and ($school_ids is null or list_contains($school_ids, s.school_id))
),

course_teams as (
    select
        'course' as team_type,
        null::integer as grade_level,
        course_id,
        mode(content_area) as content_area,
        mode(continuum_level) as continuum_level
    from course_scores
    group by course_id
),

dates as (
    -- dated evidence of the school that year, per grade and content area and per course
    select e.grade_level, null::varchar as course_id, st.content_area,
        min(s.assessed_on) as first_assessed_on, max(s.assessed_on) as last_assessed_on
    from scores as s
    join params as p on s.school_year = p.school_year
    join enrollments as e on e.school_year = s.school_year and e.student_id = s.student_id
    join standards as st on st.standard_code = s.standard_code
    where e.school_id = $school_id and s.assessed_on is not null
    group by e.grade_level, st.content_area
    union all
    select null::integer, course_id, null::varchar, min(assessed_on), max(assessed_on)
    from course_scores
    where assessed_on is not null
    group by course_id
),

final as (
    select
        (select school_year from params) as school_year,
        $school_id as school_id,
        t.team_type,
        t.grade_level,
        t.course_id,
        t.content_area,
        t.continuum_level,
        d.first_assessed_on,
        d.last_assessed_on
    from (select * from grade_teams union all select * from course_teams) as t
    left join dates as d
        on (t.team_type = 'grade' and d.course_id is null and d.grade_level = t.grade_level
            and d.content_area = t.content_area)
        or (t.team_type = 'course' and d.course_id = t.course_id)
    order by t.team_type desc, t.grade_level, t.content_area, t.course_id
)

select * from final
