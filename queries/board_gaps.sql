-- A grouping's proficiency gaps against all other students in every content area, in one school year (board findings).
-- param school_year: default null
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_year,content_area,group_by values=n_proficient,mean_score pct=pct_proficient,pct_low,pct_high gap_values=reference_n,reference_pct,gap_pp,gap_low,gap_high,is_significant,risk_ratio,cohens_h,mean_score_gap,hedges_g
--
-- The rows and columns of equity_gaps (reference: all other students, the whole district) for every content
-- area at once, so the board's findings ask once per grouping instead of once per grouping and content area
-- (each query costs a round trip and a pass of the gate; at ten million scores those passes took most of the
-- board page's time). The gate's siblings are one grouping in one content area, as in equity_gaps.
-- school_year defaults to the latest with calculated scores. The statistics are the table macro group_gaps
-- (etl/marts/group_gaps.sql), shared with equity_gaps.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

final as (
    select g.*
    from params,
         group_gaps(params.school_year, $method, $cut, null, $group_by, null, $school_ids, null, null, 'others') as g
    order by g.content_area, g.group_value
)

select * from final
