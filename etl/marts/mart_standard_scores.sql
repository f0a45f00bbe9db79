-- A calculated score per student x standard, for the whole year (term is null) and for each term,
-- by every calculation method, so that pages can switch method without recomputing evidence.
-- The scores come from etl/calculations.py (temp table standard_results, one row per group_id).
create or replace table mart_standard_scores as
with final as (
    select
        k.school_year,
        k.term,
        k.student_id,
        k.standard_code,
        s.content_area,
        s.continuum_level,
        r.n_evidence,
        r.most_recent as score_most_recent,
        r.most_recent_n as score_most_recent_n,
        r.highest as score_highest,
        r.mean as score_mean,
        r.mode as score_mode,
        r.decaying_average as score_decaying_average,
        r.power_law as score_power_law,
        r.first as score_first,
        k.first_assessed_on,
        k.latest_assessed_on
    from standard_keys as k
    join standard_results as r using (group_id)
    left join standards as s on s.standard_code = k.standard_code
)

select * from final
