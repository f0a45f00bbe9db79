-- Per school year x student x content area (whole year): pieces of evidence on each of the student's
-- grade-level standards assessed (a list), and the first and latest evidence summed over the standards with
-- two or more pieces (growth). Rows of the school years $school_years.
create or replace table mart_continuum_students as
with scored as (
    select m.*, e.school_id, e.grade_level, g.continuum_level as grade_continuum_level,
        m.continuum_level is not distinct from g.continuum_level as is_grade_level
    from mart_standard_scores as m
    join enrollments as e using (school_year, student_id)
    left join mart_continuum_grades as g on g.grade_level = e.grade_level and g.content_area = m.content_area
    where m.term is null and m.content_area is not null and e.grade_level is not null
      and list_contains($school_years, m.school_year)
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
        list(n_evidence order by standard_code) filter (where is_grade_level) as pieces,
        count(*) filter (where n_evidence >= 2) as n_growth,
        -- summed in standard order: a double's sum depends on the order of its terms, which a parallel
        -- scan does not fix, and a rebuild must give the same bytes
        sum(score_first order by standard_code) filter (where n_evidence >= 2) as first_sum,
        sum(score_most_recent order by standard_code) filter (where n_evidence >= 2) as latest_sum
    from scored
    group by school_year, student_id, content_area
)

select * from final order by school_year;
