-- Each group's gap to all other students by school year (or term), and whether it is closing.
-- param content_area: default math
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param grade_level: default null
-- param period: default year choices year,term
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_year,term values=n_proficient,prior_gap_pp,gap_change_pp,gap_change_low,gap_change_high,is_change_significant,gap_verdict,is_closing pct=pct_proficient gap_values=reference_n,reference_pct,gap_pp,gap_low,gap_high,is_significant
with groups as (
    select school_year, term, group_value, sum(n) as n, sum(x) as x, sum(score_sum) as score_sum, sum(score_squares) as score_squares
    from group_status($method, $cut, $content_area, $group_by, null, $school_ids, $school_id, $grade_level)
    where ($period = 'year' and term is null) or ($period = 'term' and term is not null)
    group by school_year, term, group_value
),

period_totals as (
    select school_year, term, sum(n) as total_n, sum(x) as total_x
    from groups
    group by school_year, term
),

gaps as (
    select
        g.school_year,
        g.term,
        g.group_value,
        g.n,
        g.x,
        t.total_n - g.n as ref_n,
        t.total_x - g.x as ref_x,
        g.x / g.n - (t.total_x - g.x) / nullif(t.total_n - g.n, 0) as gap,
        newcombe_low(g.x, g.n, t.total_x - g.x, t.total_n - g.n) as gap_low,
        newcombe_high(g.x, g.n, t.total_x - g.x, t.total_n - g.n) as gap_high
    from groups as g
    join period_totals as t on t.school_year = g.school_year and t.term is not distinct from g.term
),

with_prior as (
    select
        *,
        lag(gap) over w as prior_gap,
        lag(x / n) over w as prior_p,
        lag(ref_x / nullif(ref_n, 0)) over w as prior_ref_p,
        -- a gap's standard error from its Newcombe interval; years are independent samples
        sqrt(((gap_high - gap_low) / 3.919928) ^ 2 + lag(((gap_high - gap_low) / 3.919928) ^ 2) over w)
            as change_se
    from gaps
    window w as (partition by group_value, term order by school_year)
),

with_verdict as (
    select
        *,
        gap_verdict(
            prior_gap, gap, prior_p, x / n, prior_ref_p, ref_x / nullif(ref_n, 0),
            abs(gap - prior_gap) > 1.959964 * change_se
        ) as gap_verdict
    from with_prior
),

final as (
    select
        w.school_year,
        w.term,
        coalesce(t.term_order, 0) as term_order,
        w.group_value,
        w.n::integer as n_students,
        w.x::integer as n_proficient,
        round(100 * w.x / w.n, 1) as pct_proficient,
        w.ref_n::integer as reference_n,
        round(100 * w.ref_x / nullif(w.ref_n, 0), 1) as reference_pct,
        round(100 * w.gap, 1) as gap_pp,
        round(100 * w.gap_low, 1) as gap_low,
        round(100 * w.gap_high, 1) as gap_high,
        coalesce(w.gap_low > 0 or w.gap_high < 0, false) as is_significant,
        round(100 * w.prior_gap, 1) as prior_gap_pp,
        round(100 * (w.gap - w.prior_gap), 1) as gap_change_pp,
        round(100 * (w.gap - w.prior_gap - 1.959964 * w.change_se), 1) as gap_change_low,
        round(100 * (w.gap - w.prior_gap + 1.959964 * w.change_se), 1) as gap_change_high,
        coalesce(abs(w.gap - w.prior_gap) > 1.959964 * w.change_se, false) as is_change_significant,
        w.gap_verdict,
        w.gap_verdict = 'closing' as is_closing,
        $method as method
    from with_verdict as w
    left join mart_terms as t on t.school_year = w.school_year and t.term = w.term
    order by w.group_value, w.school_year, term_order
)

select * from final
