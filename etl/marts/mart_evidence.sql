-- One row per piece of evidence: a student's scores on one standard on one day count as one
-- piece whose value is their mean (DESIGN.md section 4). Non-evidence marks are counted apart.
create or replace table mart_evidence as
with scored as (
    select school_year, student_id, standard_code, term, assessed_on, score
    from scores
    where score is not null
),

final as (
    select
        school_year,
        student_id,
        standard_code,
        assessed_on,
        min(term) as term,
        avg(score) as day_score,
        count(*) as n_scores
    from scored
    group by school_year, student_id, standard_code, assessed_on
)

select * from final
