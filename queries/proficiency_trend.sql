-- Percent proficient by school year (or term) for each group, with its change since the prior year.
-- param content_area: default math
-- param group_by: default all choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param group_by_2: default null choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param grade_level: default null
-- param period: default year choices year,term
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students siblings=school_year,term values=n_proficient,mean_score,prior_n,prior_pct,change_pp,change_low,change_high,is_change_significant pct=pct_proficient,pct_low,pct_high
with groups as (
    select school_year, term, group_value, sum(n) as n, sum(x) as x, sum(score_sum) as score_sum, sum(score_squares) as score_squares
    from group_status($method, $cut, $content_area, $group_by, $group_by_2, $school_ids, $school_id, $grade_level)
    where ($period = 'year' and term is null) or ($period = 'term' and term is not null)
    group by school_year, term, group_value
),

with_prior as (
    select
        g.*,
        -- the same group (and, by term, the same term) one school year earlier
        lag(n) over w as prior_n,
        lag(x) over w as prior_x
    from groups as g
    window w as (partition by group_value, term order by school_year)
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
        round(100 * wilson_low(w.x, w.n), 1) as pct_low,
        round(100 * wilson_high(w.x, w.n), 1) as pct_high,
        round(w.score_sum / w.n, 2) as mean_score,
        w.prior_n::integer as prior_n,
        round(100 * w.prior_x / w.prior_n, 1) as prior_pct,
        round(100 * (w.x / w.n - w.prior_x / w.prior_n), 1) as change_pp,
        round(100 * newcombe_low(w.x, w.n, w.prior_x, w.prior_n), 1) as change_low,
        round(100 * newcombe_high(w.x, w.n, w.prior_x, w.prior_n), 1) as change_high,
        coalesce(newcombe_low(w.x, w.n, w.prior_x, w.prior_n) > 0
                 or newcombe_high(w.x, w.n, w.prior_x, w.prior_n) < 0, false) as is_change_significant,
        $method as method
    from with_prior as w
    left join mart_terms as t on t.school_year = w.school_year and t.term = w.term
    order by w.group_value, w.school_year, term_order
)

select * from final
