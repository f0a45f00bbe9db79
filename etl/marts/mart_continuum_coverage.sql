-- Per school year x school x grade x grade-level standard (whole year): the students with evidence on it, and
-- their pieces of evidence (docs/numbers.md, continuum coverage). Queries for one term, course or teacher
-- read the scores themselves; this table serves the whole-year, whole-grade views every page opens with.
-- A piece of evidence is a student's scores on a standard on one day (mart_standard_scores.n_evidence).
-- Rows of the school years $school_years (etl/marts/__init__.py rebuilds a year at a time).
create or replace table mart_continuum_coverage as
with on_level as (
    select m.school_year, m.student_id, m.standard_code, m.n_evidence, e.school_id, e.grade_level,
        g.content_area, g.continuum_level
    from mart_standard_scores as m
    join enrollments as e using (school_year, student_id)
    join mart_continuum_grades as g
        on g.grade_level = e.grade_level and g.content_area = m.content_area and g.continuum_level = m.continuum_level
    where m.term is null and list_contains($school_years, m.school_year)
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
