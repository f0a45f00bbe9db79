-- The proficiency gap of each student group against a reference under every calculation method, in one
-- statement (the Equity gaps page's method comparison: does the choice of method decide the verdict?).
-- param school_year: default null
-- param content_area: default math
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param grade_level: default null
-- param reference: default others
-- param cut: default district
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_year,content_area,group_by,method values=n_proficient,mean_score pct=pct_proficient,pct_low,pct_high gap_values=reference_n,reference_pct,gap_pp,gap_low,gap_high,is_significant,risk_ratio,cohens_h,mean_score_gap,hedges_g
-- The statistics are the table macro group_gaps (etl/marts/group_gaps.sql), as equity_gaps, once per method
-- the marts hold.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

methods as (
    select distinct method from mart_content_status
),

final as (
    select g.*
    from params,
         methods as m,
         lateral group_gaps(params.school_year, m.method, $cut, $content_area, $group_by, null, $school_ids,
                            $school_id, $grade_level, $reference) as g
    order by g.method, g.group_value
)

select * from final
