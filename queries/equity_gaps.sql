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
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

groups as (
    select g.group_value, sum(g.n) as n, sum(g.x) as x, sum(g.score_sum) as score_sum, sum(g.score_squares) as score_squares
    from group_status($method, $cut, $content_area, $group_by, $group_by_2, $school_ids, $school_id, $grade_level) as g,
         params as p
    where g.school_year = p.school_year and g.term is null
    group by g.group_value
),

totals as (
    select sum(n) as n, sum(x) as x, sum(score_sum) as score_sum, sum(score_squares) as score_squares
    from groups
),

named_reference as (
    select * from groups where group_value = $reference
),

with_reference as (
    -- reference: all other students (default), all students, or one named group
    select
        g.*,
        case $reference when 'others' then t.n - g.n when 'all' then t.n else r.n end as ref_n,
        case $reference when 'others' then t.x - g.x when 'all' then t.x else r.x end as ref_x,
        case $reference when 'others' then t.score_sum - g.score_sum when 'all' then t.score_sum
            else r.score_sum end as ref_sum,
        case $reference when 'others' then t.score_squares - g.score_squares when 'all' then t.score_squares
            else r.score_squares end as ref_squares
    from groups as g
    cross join totals as t
    left join named_reference as r on true
),

measured as (
    select
        *,
        x / n as p,
        ref_x / nullif(ref_n, 0) as ref_p,
        score_sum / n as mean_score_raw,
        ref_sum / nullif(ref_n, 0) as ref_mean,
        (score_squares - score_sum * score_sum / n) / nullif(n - 1, 0) as score_var,
        (ref_squares - ref_sum * ref_sum / nullif(ref_n, 0)) / nullif(ref_n - 1, 0) as ref_var
    from with_reference
),

final as (
    select
        (select school_year from params) as school_year,
        $content_area as content_area,
        $group_by || coalesce(' x ' || $group_by_2, '') as group_by,
        group_value,
        n::integer as n_students,
        x::integer as n_proficient,
        round(100 * p, 2) as pct_proficient,
        round(100 * wilson_low(x, n), 2) as pct_low,
        round(100 * wilson_high(x, n), 2) as pct_high,
        $reference as reference,
        ref_n::integer as reference_n,
        round(100 * ref_p, 2) as reference_pct,
        round(100 * (p - ref_p), 2) as gap_pp,
        round(100 * newcombe_low(x, n, ref_x, ref_n), 2) as gap_low,
        round(100 * newcombe_high(x, n, ref_x, ref_n), 2) as gap_high,
        coalesce(newcombe_low(x, n, ref_x, ref_n) > 0 or newcombe_high(x, n, ref_x, ref_n) < 0, false)
            as is_significant,
        round(p / nullif(ref_p, 0), 2) as risk_ratio,
        round(cohens_h(p, ref_p), 2) as cohens_h,
        round(mean_score_raw, 2) as mean_score,
        round(mean_score_raw - ref_mean, 2) as mean_score_gap,
        round(hedges_g(mean_score_raw, score_var, n, ref_mean, ref_var, ref_n), 2) as hedges_g,
        $method as method
    from measured
    order by group_value
)

select * from final
