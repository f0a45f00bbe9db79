-- Proficiency gap of each student group against a reference, with intervals and effect sizes.
-- param school_year: default null
-- param content_area: default math
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param group_by_2: default null choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param grade_level: default null
-- param reference: default others
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_year,content_area,group_by values=n_proficient,mean_score pct=pct_proficient,pct_low,pct_high gap_values=reference_n,reference_pct,gap_pp,gap_low,gap_high,is_significant,risk_ratio,cohens_h,mean_score_gap,hedges_g
-- The statistics are the table macro group_gaps (etl/marts/group_gaps.sql), shared with board_gaps.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

final as (
    select g.*
    from params,
         group_gaps(params.school_year, $method, $cut, $content_area, $group_by, $group_by_2, $school_ids, $school_id,
                    $grade_level, $reference) as g
    order by g.group_value
)

select * from final
