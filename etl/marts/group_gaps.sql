-- Each group's proficiency gap against a reference, with intervals and effect sizes (docs/numbers.md,
-- equity gap), per content area: the statistics behind queries/equity_gaps.sql (one content area) and
-- queries/board_gaps.sql (p_content_area null: every area at once), written once. Reference: 'others' (all
-- other students of the content area), 'all' (every student of it), or one named group value. Parameters
-- are p_-named so that none shadows a column, and no column is named like a caller's alias (p).
create or replace macro group_gaps(p_school_year, p_method, p_cut, p_content_area, p_group_by, p_group_by_2, p_school_ids, p_school_id, p_grade_level, p_reference) as table
with groups as (
    select
        g.content_area,
        g.group_value,
        sum(g.n) as n,
        sum(g.x) as x,
        sum(g.score_sum) as score_sum,
        sum(g.score_squares) as score_squares
    from group_status(p_method, p_cut, p_content_area, p_group_by, p_group_by_2, p_school_ids, p_school_id,
                      p_grade_level) as g
    where g.school_year = p_school_year and g.term is null and g.content_area is not null
    group by g.content_area, g.group_value
),

totals as (
    select content_area, sum(n) as n, sum(x) as x, sum(score_sum) as score_sum, sum(score_squares) as score_squares
    from groups
    group by content_area
),

named_reference as (
    select * from groups where group_value = p_reference
),

with_reference as (
    select
        g.*,
        case p_reference when 'others' then t.n - g.n when 'all' then t.n else r.n end as ref_n,
        case p_reference when 'others' then t.x - g.x when 'all' then t.x else r.x end as ref_x,
        case p_reference when 'others' then t.score_sum - g.score_sum when 'all' then t.score_sum
            else r.score_sum end as ref_sum,
        case p_reference when 'others' then t.score_squares - g.score_squares when 'all' then t.score_squares
            else r.score_squares end as ref_squares
    from groups as g
    join totals as t on t.content_area = g.content_area
    left join named_reference as r on r.content_area = g.content_area
),

measured as (
    select
        *,
        x / n as rate,
        ref_x / nullif(ref_n, 0) as ref_rate,
        score_sum / n as mean_score_raw,
        ref_sum / nullif(ref_n, 0) as ref_mean,
        (score_squares - score_sum * score_sum / n) / nullif(n - 1, 0) as score_var,
        (ref_squares - ref_sum * ref_sum / nullif(ref_n, 0)) / nullif(ref_n - 1, 0) as ref_var
    from with_reference
),

final as (
    -- the rows of queries/equity_gaps.sql, in its column order
    select
        p_school_year as school_year,
        content_area,
        p_group_by || coalesce(' x ' || p_group_by_2, '') as group_by,
        group_value,
        n::integer as n_students,
        x::integer as n_proficient,
        round(100 * rate, 2) as pct_proficient,
        round(100 * wilson_low(x, n), 2) as pct_low,
        round(100 * wilson_high(x, n), 2) as pct_high,
        p_reference as reference,
        ref_n::integer as reference_n,
        round(100 * ref_rate, 2) as reference_pct,
        round(100 * (rate - ref_rate), 2) as gap_pp,
        round(100 * newcombe_low(x, n, ref_x, ref_n), 2) as gap_low,
        round(100 * newcombe_high(x, n, ref_x, ref_n), 2) as gap_high,
        coalesce(newcombe_low(x, n, ref_x, ref_n) > 0 or newcombe_high(x, n, ref_x, ref_n) < 0, false)
            as is_significant,
        round(rate / nullif(ref_rate, 0), 2) as risk_ratio,
        round(cohens_h(rate, ref_rate), 2) as cohens_h,
        round(mean_score_raw, 2) as mean_score,
        round(mean_score_raw - ref_mean, 2) as mean_score_gap,
        round(hedges_g(mean_score_raw, score_var, n, ref_mean, ref_var, ref_n), 2) as hedges_g,
        p_method as method
    from measured
)

select * from final;
