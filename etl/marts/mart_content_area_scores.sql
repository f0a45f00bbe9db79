-- A student's content-area score per year (and term) by each method, a column per method: the mean of
-- their calculated standard scores in that content area (docs/numbers.md), with the enrollment's school,
-- grade and groups beside it; only students enrolled that year. Computed in etl/standard_scores.py (Arrow
-- relation content_area_rows). Queries read it through the view mart_content_status, a row per method.
create or replace table mart_content_area_scores as
with final as (
    select
        school_year,
        term,
        student_id,
        content_area,
        score_most_recent,
        score_most_recent_n,
        score_highest,
        score_mean,
        score_mode,
        score_decaying_average,
        score_power_law,
        n_standards_scored,
        n_evidence,
        school_id,
        grade_level,
        gender,
        race_ethnicity,
        is_ell,
        is_iep,
        is_504,
        is_econ_disadv
    from content_area_rows
)

select * from final
