-- The learning continuum's marts (DESIGN.md section 4, continuum coverage and position), one step of
-- etl/marts.py after mart_standard_scores. Four tables and a table macro:
--   mart_continuum_grades    the continuum level each grade is taught from, per content area: the grade's own
--                            level, or for a grade with no standards at its own level the highest level at
--                            most three below it (a band stored at its first grade covers at most four
--                            grades: the high school ELA bands at 9 and 11 serve grades 10 and 12)
--   mart_continuum_coverage  per school year x school x grade x grade-level standard (whole year): the students
--                            with evidence on it, and their pieces of evidence
--   mart_continuum_students  per school year x student x content area (whole year): pieces of evidence on each
--                            of the student's grade-level standards assessed (a list), and the first and latest
--                            evidence summed over the standards with two or more pieces (growth)
-- Queries for one term, course or teacher read the scores themselves; these tables serve the whole-year,
-- whole-grade views every page opens with.
--   mart_continuum_position  per school year x student x content area x calculation method x continuum level:
--                            standards assessed and the level's `majority_score`, the (floor(n/2) + 1)-th
--                            highest calculated score. A student is proficient on most (> 50%) of a level's
--                            assessed standards exactly when majority_score >= the cut, so no table holds a
--                            cut and every query applies the district's (or the viewer's) own.
--   continuum_position(method, cut)  one position per student and content area (below, at, above, none).
-- A piece of evidence is a student's scores on a standard on one day (mart_standard_scores.n_evidence).
create or replace table mart_continuum_grades as
with grade_levels as (
    select distinct grade_level from enrollments where grade_level is not null
),

level_sizes as (
    select content_area, continuum_level, count(*) as n_standards
    from standards
    where content_area is not null and continuum_level is not null
    group by content_area, continuum_level
),

taught_from as (
    select g.grade_level, l.content_area, max(l.continuum_level) as continuum_level
    from grade_levels as g
    join level_sizes as l on l.continuum_level between g.grade_level - 3 and g.grade_level
    group by g.grade_level, l.content_area
),

final as (
    select t.grade_level, t.content_area, t.continuum_level, l.n_standards
    from taught_from as t
    join level_sizes as l using (content_area, continuum_level)
)

select * from final;

create or replace table mart_continuum_coverage as
with on_level as (
    select m.school_year, m.student_id, m.standard_code, m.n_evidence, e.school_id, e.grade_level,
        g.content_area, g.continuum_level
    from mart_standard_scores as m
    join enrollments as e using (school_year, student_id)
    join mart_continuum_grades as g
        on g.grade_level = e.grade_level and g.content_area = m.content_area and g.continuum_level = m.continuum_level
    where m.term is null
),

final as (
    select
        school_year, school_id, grade_level, content_area, continuum_level, standard_code,
        count(*) as n_students_assessed,
        sum(n_evidence) as n_pieces
    from on_level
    group by school_year, school_id, grade_level, content_area, continuum_level, standard_code
)

select * from final order by school_year, school_id, grade_level;

create or replace table mart_continuum_students as
with scored as (
    select m.*, e.school_id, e.grade_level, g.continuum_level as grade_continuum_level,
        m.continuum_level is not distinct from g.continuum_level as is_grade_level
    from mart_standard_scores as m
    join enrollments as e using (school_year, student_id)
    left join mart_continuum_grades as g on g.grade_level = e.grade_level and g.content_area = m.content_area
    where m.term is null and m.content_area is not null and e.grade_level is not null
),

final as (
    select
        school_year,
        student_id,
        content_area,
        any_value(school_id) as school_id,
        any_value(grade_level) as grade_level,
        any_value(grade_continuum_level) as grade_continuum_level,
        coalesce(sum(n_evidence) filter (where is_grade_level), 0) as n_pieces,
        count(*) filter (where is_grade_level) as n_assessed,
        list(n_evidence) filter (where is_grade_level) as pieces,
        count(*) filter (where n_evidence >= 2) as n_growth,
        sum(score_first) filter (where n_evidence >= 2) as first_sum,
        sum(score_most_recent) filter (where n_evidence >= 2) as latest_sum
    from scored
    group by school_year, student_id, content_area
)

select * from final order by school_year;

create or replace table mart_continuum_position as
with by_level as (
    -- each level's n_assessed and majority_score per student, content area and method, from
    -- etl/continuum_levels.py (Arrow relation continuum_levels); enrolled students with a grade only
    select * from continuum_levels
),

final as (
    select
        b.school_year,
        b.student_id,
        b.content_area,
        b.method,
        b.continuum_level,
        b.n_assessed,
        b.majority_score,
        b.school_id,
        b.grade_level,
        coalesce(g.continuum_level, b.grade_level) as grade_continuum_level,
        b.gender,
        b.race_ethnicity,
        b.is_ell,
        b.is_iep,
        b.is_504,
        b.is_econ_disadv
    from by_level as b
    left join mart_continuum_grades as g on g.grade_level = b.grade_level and g.content_area = b.content_area
)

select * from final;

-- One row per school year x student x content area for a method and cut: position_level is the highest
-- continuum level at which the student is proficient on most of that level's assessed standards (null when
-- there is none), and position compares it with the grade's level: below, at, above, or none.
create or replace macro continuum_position(method, cut) as table
    with by_student as (
        select
            p.school_year,
            p.student_id,
            p.content_area,
            p.school_id,
            p.grade_level,
            p.grade_continuum_level,
            p.gender,
            p.race_ethnicity,
            p.is_ell,
            p.is_iep,
            p.is_504,
            p.is_econ_disadv,
            max(p.continuum_level) filter (where p.majority_score >= cut) as position_level,
            min(p.continuum_level) as lowest_level_assessed,
            max(p.continuum_level) as highest_level_assessed,
            sum(p.n_assessed) as n_standards_assessed
        from mart_continuum_position as p
        where p.method = method
        group by all
    )
    select
        *,
        case
            when position_level is null then 'none'
            when position_level < grade_continuum_level then 'below'
            when position_level = grade_continuum_level then 'at'
            else 'above'
        end as position
    from by_student;
