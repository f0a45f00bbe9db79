-- A student's content-area score per year (and term) by each method: the mean of their calculated
-- standard scores in that content area, with the enrollment's school, grade and groups beside it.
create or replace table mart_content_status as
with standard_scores as (
    select * from mart_standard_scores where content_area is not null
),

long_methods as (
    unpivot standard_scores
    on score_most_recent as 'most_recent',
       score_most_recent_n as 'most_recent_n',
       score_highest as 'highest',
       score_mean as 'mean',
       score_mode as 'mode',
       score_decaying_average as 'decaying_average',
       score_power_law as 'power_law'
    into name method value standard_score
),

by_content_area as (
    select school_year, term, student_id, content_area, method,
        avg(standard_score) as content_score,
        count(*) as n_standards_scored,
        sum(n_evidence) as n_evidence
    from long_methods
    group by all
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
