-- Percent proficient in each content area in two school years and the change between them, with a 95% interval (board findings).
-- param from_year: default null
-- param to_year: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students values=n_from,n_to,n_both,change_pp,change_low,change_high,is_change_significant,paired_change_low,paired_change_high pct=from_pct,to_pct
--
-- All students of the viewer's schools with a calculated content-area score (mart_content_status, whole
-- year). from_year defaults to the earliest school year with calculated scores, to_year to the latest.
-- n_students is the smaller of the two years' counts, so the gate hides the row when either year is under
-- the minimum. The interval is Newcombe's for a difference of two proportions (the years taken as
-- independent samples); a change is called out only when the interval excludes zero. The paired interval
-- (paired_change_low/high) counts the n_both students present in both years as pairs: each student's
-- influence on the change (their term in the later year's share minus their term in the earlier one),
-- summed in squares; queries/paired_change.py is the same calculation on student-level frames, and its
-- bootstrap the reference it is checked against.
with years as (
    select
        coalesce($from_year, (select min(school_year) from mart_content_area_scores)) as from_year,
        coalesce($to_year, (select max(school_year) from mart_content_area_scores)) as to_year
),

students as (
    select c.school_year, c.content_area, c.student_id, (c.content_score >= $cut)::double as y
    from mart_content_status as c, years as yrs
    where c.method = $method
      and c.term is null
      and c.school_year in (yrs.from_year, yrs.to_year)
      and ($school_ids is null or list_contains($school_ids, c.school_id))
),

counted as (
    select school_year, content_area, count(*)::double as n, sum(y) as x
    from students
    group by school_year, content_area
),

influence as (
    select
        s.content_area,
        s.student_id,
        count(distinct s.school_year) as n_years,
        sum(case when s.school_year = yrs.to_year then 1 else -1 end * (s.y - k.x / k.n) / k.n) as d
    from students as s
    join counted as k on k.school_year = s.school_year and k.content_area = s.content_area
    cross join years as yrs
    group by s.content_area, s.student_id
),

pairing as (
    select content_area, sqrt(sum(d * d)) as paired_se, count(*) filter (where n_years = 2) as n_both
    from influence
    group by content_area
),

paired as (
    select y.from_year, y.to_year, f.content_area, f.n as n_from, f.x as x_from, t.n as n_to, t.x as x_to,
        p.paired_se, p.n_both
    from years as y
    join counted as f on f.school_year = y.from_year
    join counted as t on t.school_year = y.to_year and t.content_area = f.content_area
    join pairing as p on p.content_area = f.content_area
),

final as (
    select
        from_year,
        to_year,
        content_area,
        least(n_from, n_to)::integer as n_students,
        n_from::integer as n_from,
        n_to::integer as n_to,
        round(100 * x_from / n_from, 1) as from_pct,
        round(100 * x_to / n_to, 1) as to_pct,
        round(100 * (x_to / n_to - x_from / n_from), 1) as change_pp,
        round(100 * newcombe_low(x_to, n_to, x_from, n_from), 1) as change_low,
        round(100 * newcombe_high(x_to, n_to, x_from, n_from), 1) as change_high,
        coalesce(newcombe_low(x_to, n_to, x_from, n_from) > 0 or newcombe_high(x_to, n_to, x_from, n_from) < 0, false)
            as is_change_significant,
        n_both::integer as n_both,
        round(100 * (x_to / n_to - x_from / n_from - 1.959964 * paired_se), 1) as paired_change_low,
        round(100 * (x_to / n_to - x_from / n_from + 1.959964 * paired_se), 1) as paired_change_high,
        $method as method
    from paired
    order by content_area
)

select * from final
