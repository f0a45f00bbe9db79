-- The PLC teams of every school and school year (queries/plc_teams.sql reads one school's): each grade per
-- content area and each course, with the continuum level it is taught from and its evidence dates. Run after
-- mart_continuum_position (it reads mart_continuum_grades and mart_standard_scores).
-- Why a mart: a course is known only from the scores, and the scores are stored in load order, so the query
-- read all ten million of them for one school (0.3-0.6 s at 10M). One pass here serves every school and year.
-- Definitions as the query states them: a grade team works on the continuum level its grade is taught from
-- (mart_continuum_grades); a course team on the content area and level most of the course's scores (that year,
-- that school) are recorded on; first/last_assessed_on bound the team's dated evidence (any mark, scored or not).
create or replace table mart_plc_teams as
with grades as (
    select distinct school_year, school_id, grade_level
    from enrollments
    where grade_level is not null and list_contains($school_years, school_year)
),

grade_teams as (
    select
        g.school_year,
        g.school_id,
        'grade' as team_type,
        g.grade_level,
        null::varchar as course_id,
        c.content_area,
        c.continuum_level
    from grades as g
    join mart_continuum_grades as c on c.grade_level = g.grade_level
),

course_standards as (
    -- a course's scores per standard, counted once here and then summed (a mode over ten million rows is slow)
    select school_year, school_id, course_id, standard_code, count(*) as n_scores,
        min(assessed_on) as first_assessed_on, max(assessed_on) as last_assessed_on
    from scores
    where course_id is not null and list_contains($school_years, school_year)
    group by school_year, school_id, course_id, standard_code
),

course_scores as (
    select c.*, st.content_area, st.continuum_level
    from course_standards as c
    join standards as st on st.standard_code = c.standard_code
    where st.content_area is not null
      and st.continuum_level is not null
),

course_areas as (
    select school_year, school_id, course_id, content_area, sum(n_scores) as n_scores
    from course_scores
    group by all
),

course_levels as (
    select school_year, school_id, course_id, continuum_level, sum(n_scores) as n_scores
    from course_scores
    group by all
),

course_dates as (
    select school_year, school_id, course_id, min(first_assessed_on) as first_assessed_on,
        max(last_assessed_on) as last_assessed_on
    from course_scores
    group by all
),

course_teams as (
    -- the content area and the level most of the course's scores are on (each a mode of the scores; a tie
    -- goes to the first area in alphabetical order, the lowest level)
    select
        d.school_year,
        d.school_id,
        'course' as team_type,
        null::integer as grade_level,
        d.course_id,
        (select first(a.content_area order by a.n_scores desc, a.content_area) from course_areas as a
         where a.school_year = d.school_year and a.school_id = d.school_id and a.course_id = d.course_id)
            as content_area,
        (select first(l.continuum_level order by l.n_scores desc, l.continuum_level) from course_levels as l
         where l.school_year = d.school_year and l.school_id = d.school_id and l.course_id = d.course_id)
            as continuum_level,
        d.first_assessed_on,
        d.last_assessed_on
    from course_dates as d
),

dated_days as (
    -- the dates with a mark of each student's enrollment (school, grade) and standard: scored days bound by
    -- mart_standard_scores' first and latest evidence (stored with the enrollment; three times fewer rows than
    -- the pieces), marks without a score read from the scores
    select school_year, school_id, grade_level, standard_code, first_assessed_on, latest_assessed_on
    from mart_standard_scores
    where school_id is not null and first_assessed_on is not null and list_contains($school_years, school_year)
    union all
    select e.school_year, e.school_id, e.grade_level, s.standard_code, s.assessed_on, s.assessed_on
    from scores as s
    join enrollments as e on e.school_year = s.school_year and e.student_id = s.student_id
    where s.score is null and s.assessed_on is not null and list_contains($school_years, s.school_year)
),

grade_dates as (
    -- dated evidence of the school's students that year (their enrollment's school and grade), per content area
    select d.school_year, d.school_id, d.grade_level, st.content_area,
        min(d.first_assessed_on) as first_assessed_on, max(d.latest_assessed_on) as last_assessed_on
    from dated_days as d
    join standards as st on st.standard_code = d.standard_code
    group by d.school_year, d.school_id, d.grade_level, st.content_area
),

final as (
    select t.*, d.first_assessed_on, d.last_assessed_on
    from grade_teams as t
    left join grade_dates as d
        on d.school_year = t.school_year and d.school_id = t.school_id and d.grade_level = t.grade_level
       and d.content_area = t.content_area
    union all
    select * from course_teams
    order by school_year, school_id
)

select * from final
