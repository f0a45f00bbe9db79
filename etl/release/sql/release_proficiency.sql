-- The public release of percent proficient (docs/privacy.md): one row per school year x content area x scope
-- (the district, each school) x grouping x group value, with the district's calculation method. Built from
-- release_proficiency_cells, whose suppression pattern etl/release/pattern.py chose and audited; every derived
-- figure here (interval, reference, gap, effect size) is computed from released values only, and is null
-- wherever one of the values it needs is withheld or coded.
--   status: shown | coded (the rate is a band: pct_code) | rate_withheld (count shown, rate not) | hidden
create or replace table release_proficiency as
with cells as (
    select
        c.*,
        coalesce(s.school_name, c.school_id) as school_name,
        c.n_students::double as n,
        c.n_proficient::double as x
    from release_proficiency_cells as c
    left join schools as s on s.school_id = c.school_id
),

totals as (
    -- the scope's total: the reference for "all other students" is the total minus the group
    select school_year, content_area, scope, school_id, n as total_n, x as total_x
    from cells
    where group_by = 'all'
),

with_reference as (
    select
        c.*,
        case when c.group_by <> 'all' then t.total_n - c.n end as ref_n,
        case when c.group_by <> 'all' then t.total_x - c.x end as ref_x
    from cells as c
    left join totals as t
        on t.school_year = c.school_year and t.content_area = c.content_area and t.scope = c.scope
       and t.school_id is not distinct from c.school_id
),

final as (
    select
        school_year,
        content_area,
        scope,
        school_id,
        case when scope = 'district' then 'All schools' else school_name end as school_name,
        group_by,
        group_value,
        status,
        n_students,
        n_proficient,
        round(100 * x / n, 1) as pct_proficient,
        pct_code,
        round(100 * wilson_low(x, n), 1) as pct_low,
        round(100 * wilson_high(x, n), 1) as pct_high,
        -- reference figures only where both the group and its scope's total are shown exactly
        ref_n::integer as reference_n,
        round(100 * ref_x / nullif(ref_n, 0), 1) as reference_pct,
        round(100 * (x / n - ref_x / nullif(ref_n, 0)), 1) as gap_pp,
        round(100 * newcombe_low(x, n, ref_x, ref_n), 1) as gap_low,
        round(100 * newcombe_high(x, n, ref_x, ref_n), 1) as gap_high,
        coalesce(newcombe_low(x, n, ref_x, ref_n) > 0 or newcombe_high(x, n, ref_x, ref_n) < 0, false)
            and ref_x is not null as is_significant,
        round(x / n / nullif(ref_x / nullif(ref_n, 0), 0), 2) as risk_ratio,
        round(cohens_h(x / n, ref_x / nullif(ref_n, 0)), 2) as cohens_h,
        method
    from with_reference
)

select * from final
order by school_year, content_area, scope, school_id, group_by, group_value
