-- A calculated score per student x standard x school year by every calculation method, so that pages can
-- switch method without recomputing evidence, with the pieces of evidence it was calculated from (a list,
-- oldest first; the view mart_evidence shows them as rows). Computed in etl/standard_scores.py (Arrow
-- relation standard_results), in school year, school, grade, student order. term is always null: per-term
-- standard scores feed mart_content_status's term rows and are not stored (no page reads them); the column
-- stays so that `term is null` filters keep working.
create or replace table mart_standard_scores as
with final as (
    select
        school_year,
        term,
        student_id,
        standard_code,
        content_area,
        continuum_level,
        n_evidence,
        score_most_recent,
        score_most_recent_n,
        score_highest,
        score_mean,
        score_mode,
        score_decaying_average,
        score_power_law,
        score_first,
        first_assessed_on,
        latest_assessed_on,
        school_id,
        grade_level,
        pieces
    from standard_results
)

select * from final
