-- A student's content-area score per year (and term) by each method: the mean of their calculated
-- standard scores in that content area, with the enrollment's school, grade and groups beside it.
create or replace table mart_content_status as
with by_content_area_wide as (
    -- average first, one row per student x content area x period, then turn the methods into rows:
    -- seven times fewer rows to unpivot than unpivoting every standard score
    select
        school_year,
        term,
        student_id,
        content_area,
        avg(score_most_recent) as most_recent,
        avg(score_most_recent_n) as most_recent_n,
        avg(score_highest) as highest,
        avg(score_mean) as mean,
        avg(score_mode) as mode,
        avg(score_decaying_average) as decaying_average,
        avg(score_power_law) as power_law,
        count(*) as n_standards_scored,
        sum(n_evidence) as n_evidence
    from mart_standard_scores
    where content_area is not null
    group by school_year, term, student_id, content_area
),

by_content_area as (
    unpivot by_content_area_wide
    on most_recent, most_recent_n, highest, mean, mode, decaying_average, power_law
    into name method value content_score
),

final as (
    select
        c.school_year,
        c.term,
        c.student_id,
        c.content_area,
        c.method,
        c.content_score,
        c.n_standards_scored,
        c.n_evidence,
        e.school_id,
        e.grade_level,
        e.gender,
        e.race_ethnicity,
        e.is_ell,
        e.is_iep,
        e.is_504,
        e.is_econ_disadv
    from by_content_area as c
    join enrollments as e using (school_year, student_id)
)

select * from final
