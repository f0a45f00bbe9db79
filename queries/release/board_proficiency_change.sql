-- Percent proficient in each content area in two school years and the change between them, with a 95% interval (board findings).
-- param from_year: default null
-- param to_year: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=release people=students n=n_students pct=from_pct,to_pct
--
-- From the public release (docs/privacy.md): all students of the district (or the viewer's one school) in the
-- two years. The change and its interval (Newcombe's, the years taken as independent samples) are computed from
-- the two released rows only, and only where both are shown exactly.
with years as (
    select
        coalesce($from_year, (select min(school_year) from release_proficiency)) as from_year,
        coalesce($to_year, (select max(school_year) from release_proficiency)) as to_year
),

totals as (
    select r.* from release_rows($school_ids, null) as r where r.group_by = 'all' and r.method = $method
),

paired as (
    select y.from_year, y.to_year, f.content_area,
        f.n_students::double as n_from, f.n_proficient::double as x_from, f.status as from_status,
        t.n_students::double as n_to, t.n_proficient::double as x_to, t.status as to_status,
        f.pct_code as from_code, t.pct_code as to_code
    from years as y
    join totals as f on f.school_year = y.from_year
    join totals as t on t.school_year = y.to_year and t.content_area = f.content_area
),

final as (
    select
        from_year,
        to_year,
        content_area,
        case when 'hidden' in (from_status, to_status) then 'hidden' else 'shown' end as status,
        least(n_from, n_to)::integer as n_students,
        n_from::integer as n_from,
        n_to::integer as n_to,
        round(100 * x_from / n_from, 1) as from_pct,
        from_code,
        round(100 * x_to / n_to, 1) as to_pct,
        to_code,
        round(100 * (x_to / n_to - x_from / n_from), 1) as change_pp,
        round(100 * newcombe_low(x_to, n_to, x_from, n_from), 1) as change_low,
        round(100 * newcombe_high(x_to, n_to, x_from, n_from), 1) as change_high,
        coalesce(newcombe_low(x_to, n_to, x_from, n_from) > 0 or newcombe_high(x_to, n_to, x_from, n_from) < 0, false)
            as is_change_significant,
        $method as method
    from paired
    order by content_area
)

select * from final
