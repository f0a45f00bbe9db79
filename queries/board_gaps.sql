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
-- school_year defaults to the latest with calculated scores.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

groups as (
    select
        s.content_area,
        s.group_value,
        sum(s.n) as n,
        sum(s.x) as x,
        sum(s.score_sum) as score_sum,
        sum(s.score_squares) as score_squares
    from group_status($method, $cut, null, $group_by, null, $school_ids, null, null) as s, params as p
    where s.school_year = p.school_year and s.term is null and s.content_area is not null
    group by s.content_area, s.group_value
),

with_reference as (
    -- all other students of the same content area: the content area's total less the group
    select
        g.*,
        sum(g.n) over w - g.n as ref_n,
        sum(g.x) over w - g.x as ref_x,
        sum(g.score_sum) over w - g.score_sum as ref_sum,
        sum(g.score_squares) over w - g.score_squares as ref_squares
    from groups as g
    window w as (partition by g.content_area)
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
        content_area,
        $group_by as group_by,
        group_value,
        n::integer as n_students,
        x::integer as n_proficient,
        round(100 * p, 2) as pct_proficient,
        round(100 * wilson_low(x, n), 2) as pct_low,
        round(100 * wilson_high(x, n), 2) as pct_high,
        'others' as reference,
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
    order by content_area, group_value
)

select * from final
