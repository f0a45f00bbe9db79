-- Each group's gap to the other students of its own school, school by school, for a heatmap.
-- param school_year: default null
-- param content_area: default math
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param grade_level: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_id values=n_proficient pct=pct_proficient gap_values=reference_n,reference_pct,gap_pp,gap_low,gap_high,is_significant
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

groups as (
    select g.school_id, g.group_value, g.n, g.x
    from group_status($method, $cut, $content_area, $group_by, null, $school_ids, null, $grade_level) as g,
         params as p
    where g.school_year = p.school_year and g.term is null
),

school_totals as (
    select school_id, sum(n) as total_n, sum(x) as total_x
    from groups
    group by school_id
),

final as (
    select
        (select school_year from params) as school_year,
        g.school_id,
        coalesce(s.school_name, g.school_id) as school_name,
        g.group_value,
        g.n::integer as n_students,
        g.x::integer as n_proficient,
        round(100 * g.x / g.n, 1) as pct_proficient,
        (t.total_n - g.n)::integer as reference_n,
        round(100 * (t.total_x - g.x) / nullif(t.total_n - g.n, 0), 1) as reference_pct,
        round(100 * (g.x / g.n - (t.total_x - g.x) / nullif(t.total_n - g.n, 0)), 1) as gap_pp,
        round(100 * newcombe_low(g.x, g.n, t.total_x - g.x, t.total_n - g.n), 1) as gap_low,
        round(100 * newcombe_high(g.x, g.n, t.total_x - g.x, t.total_n - g.n), 1) as gap_high,
        coalesce(newcombe_low(g.x, g.n, t.total_x - g.x, t.total_n - g.n) > 0
                 or newcombe_high(g.x, g.n, t.total_x - g.x, t.total_n - g.n) < 0, false) as is_significant,
        $method as method
    from groups as g
    join school_totals as t using (school_id)
    left join schools as s using (school_id)
    order by school_name, g.group_value
)

select * from final
