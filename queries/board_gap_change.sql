-- Change in each group's gap to all other students between two school years, with a 95% interval (board findings).
-- param content_area: default null
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param from_year: default null
-- param to_year: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students reference_n=reference_n siblings=content_area,group_by values=n_from,n_to,n_both pct=from_pct,to_pct gap_values=reference_n,from_reference_pct,to_reference_pct,from_gap_pp,to_gap_pp,gap_change_pp,gap_change_low,gap_change_high,is_change_significant,gap_verdict,is_closing,is_widening,paired_gap_change_low,paired_gap_change_high
--
-- gap_trend compares each year with the one before; a board finding says "since 2023-24", so this query
-- compares two chosen years directly (default: the earliest and the latest school year with calculated
-- scores). The gap is the group's percent proficient minus that of all other students of the same year.
-- n_students is the smaller of the group's two yearly counts and reference_n the smaller of the other
-- students' counts, so the gate hides the row when either year is under the minimum. The change's standard
-- error combines the two years' gap standard errors (each from its Newcombe interval; different years are
-- taken as independent samples, as in gap_trend). Closing: the gap moved toward zero by more than that
-- uncertainty; widening: away from zero by more than it. The paired interval (paired_gap_change_low/high)
-- counts students present in both years as pairs: each student's influence on the change of the gap (in the
-- group, their term in the group's share; otherwise, minus their term in the other students' share; later
-- year minus earlier), summed in squares, as queries/paired_change.py computes from student-level frames.
-- n_both: the group's students who were in the group in both years. content_area null: every content area, one row per
-- area and group, so the board's findings ask once per grouping (each query costs a round trip and a pass of
-- the gate; at ten million scores those passes took most of the board page's time).
with years as (
    select
        coalesce($from_year, (select min(school_year) from mart_content_area_scores)) as from_year,
        coalesce($to_year, (select max(school_year) from mart_content_area_scores)) as to_year
),

groups as (
    select g.school_year, g.content_area, g.group_value, sum(g.n) as n, sum(g.x) as x
    from group_status($method, $cut, $content_area, $group_by, null, $school_ids, null, null) as g, years as y
    where g.term is null and g.school_year in (y.from_year, y.to_year) and g.content_area is not null
    group by g.school_year, g.content_area, g.group_value
),

totals as (
    select school_year, content_area, sum(n) as total_n, sum(x) as total_x
    from groups
    group by school_year, content_area
),

students as (
    select
        c.school_year,
        c.content_area,
        c.student_id,
        group_value($group_by, c.gender, c.race_ethnicity, c.is_ell, c.is_iep, c.is_504, c.is_econ_disadv)
            as group_value,
        (c.content_score >= $cut)::double as y
    from mart_content_status as c, years as yrs
    where c.method = $method
      and c.term is null
      and c.school_year in (yrs.from_year, yrs.to_year)
      and ($content_area is null or c.content_area = $content_area)
      and ($school_ids is null or list_contains($school_ids, c.school_id))
),

gaps as (
    select
        g.school_year,
        g.content_area,
        g.group_value,
        g.n,
        g.x,
        t.total_n - g.n as ref_n,
        t.total_x - g.x as ref_x,
        g.x / g.n - (t.total_x - g.x) / nullif(t.total_n - g.n, 0) as gap,
        (newcombe_high(g.x, g.n, t.total_x - g.x, t.total_n - g.n)
         - newcombe_low(g.x, g.n, t.total_x - g.x, t.total_n - g.n)) / 3.919928 as gap_se
    from groups as g
    join totals as t using (school_year, content_area)
),

influence as (
    select
        s.content_area,
        v.group_value,
        s.student_id,
        count(distinct s.school_year) filter (where s.group_value = v.group_value) as n_years_in_group,
        sum(case when s.school_year = yrs.to_year then 1 else -1 end
            * case when s.group_value = v.group_value then (s.y - g.x / g.n) / g.n
                   else -(s.y - g.ref_x / nullif(g.ref_n, 0)) / nullif(g.ref_n, 0) end) as d
    from students as s
    join (select distinct content_area, group_value from groups) as v on v.content_area = s.content_area
    join gaps as g on g.school_year = s.school_year and g.content_area = s.content_area
        and g.group_value = v.group_value
    cross join years as yrs
    group by s.content_area, v.group_value, s.student_id
),

pairing as (
    select content_area, group_value, sqrt(sum(d * d)) as paired_se,
        count(*) filter (where n_years_in_group = 2) as n_both
    from influence
    group by content_area, group_value
),

paired as (
    select
        y.from_year,
        y.to_year,
        f.content_area,
        f.group_value,
        f.n as n_from,
        t.n as n_to,
        f.ref_n as ref_from,
        t.ref_n as ref_to,
        f.x / f.n as p_from,
        t.x / t.n as p_to,
        f.ref_x / nullif(f.ref_n, 0) as ref_p_from,
        t.ref_x / nullif(t.ref_n, 0) as ref_p_to,
        f.gap as gap_from,
        t.gap as gap_to,
        sqrt(f.gap_se ^ 2 + t.gap_se ^ 2) as change_se,
        p.paired_se,
        p.n_both
    from years as y
    join gaps as f on f.school_year = y.from_year
    join gaps as t on t.school_year = y.to_year and t.content_area = f.content_area
        and t.group_value = f.group_value
    left join pairing as p on p.content_area = f.content_area and p.group_value = f.group_value
),

with_verdict as (
    select
        *,
        gap_verdict(
            gap_from, gap_to, p_from, p_to, ref_p_from, ref_p_to, abs(gap_to - gap_from) > 1.959964 * change_se
        ) as gap_verdict
    from paired
),

final as (
    select
        from_year,
        to_year,
        content_area,
        $group_by as group_by,
        group_value,
        least(n_from, n_to)::integer as n_students,
        n_from::integer as n_from,
        n_to::integer as n_to,
        least(ref_from, ref_to)::integer as reference_n,
        round(100 * p_from, 1) as from_pct,
        round(100 * p_to, 1) as to_pct,
        round(100 * ref_p_from, 1) as from_reference_pct,
        round(100 * ref_p_to, 1) as to_reference_pct,
        round(100 * gap_from, 1) as from_gap_pp,
        round(100 * gap_to, 1) as to_gap_pp,
        round(100 * (gap_to - gap_from), 1) as gap_change_pp,
        round(100 * (gap_to - gap_from - 1.959964 * change_se), 1) as gap_change_low,
        round(100 * (gap_to - gap_from + 1.959964 * change_se), 1) as gap_change_high,
        coalesce(abs(gap_to - gap_from) > 1.959964 * change_se, false) as is_change_significant,
        gap_verdict,
        gap_verdict = 'closing' as is_closing,
        gap_verdict = 'widening' as is_widening,
        n_both::integer as n_both,
        round(100 * (gap_to - gap_from - 1.959964 * paired_se), 1) as paired_gap_change_low,
        round(100 * (gap_to - gap_from + 1.959964 * paired_se), 1) as paired_gap_change_high,
        $method as method
    from with_verdict
    order by content_area, group_value
)

select * from final
