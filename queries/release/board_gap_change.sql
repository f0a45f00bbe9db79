-- Change in each group's gap to all other students between two school years, with a 95% interval (board findings).
-- param content_area: default null
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param from_year: default null
-- param to_year: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=release people=students n=n_students pct=from_pct,to_pct
--
-- From the public release (docs/privacy.md): both years' gaps come from released rows only; the change's
-- standard error combines the two gaps' (each from its Newcombe interval; the years taken as independent samples).
with years as (
    select
        coalesce($from_year, (select min(school_year) from release_proficiency)) as from_year,
        coalesce($to_year, (select max(school_year) from release_proficiency)) as to_year
),

rows as (
    select r.*, (r.gap_high - r.gap_low) / 3.919928 as gap_se
    from release_rows($school_ids, null) as r
    where r.group_by = $group_by and r.method = $method and r.group_by <> 'all'
      and ($content_area is null or r.content_area = $content_area)
),

paired as (
    select y.from_year, y.to_year, f.content_area, f.group_value,
        f.status as from_status, t.status as to_status,
        f.n_students as n_from, t.n_students as n_to, f.reference_n as ref_from, t.reference_n as ref_to,
        f.pct_proficient as from_pct, t.pct_proficient as to_pct,
        f.reference_pct as from_reference_pct, t.reference_pct as to_reference_pct,
        f.gap_pp as from_gap_pp, t.gap_pp as to_gap_pp,
        sqrt(f.gap_se ^ 2 + t.gap_se ^ 2) as change_se
    from years as y
    join rows as f on f.school_year = y.from_year
    join rows as t on t.school_year = y.to_year and t.content_area = f.content_area and t.group_value = f.group_value
),

with_verdict as (
    select
        *,
        gap_verdict(
            from_gap_pp, to_gap_pp, from_pct, to_pct, from_reference_pct, to_reference_pct,
            abs(to_gap_pp - from_gap_pp) > 1.959964 * change_se
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
        case when 'hidden' in (from_status, to_status) then 'hidden' else 'shown' end as status,
        least(n_from, n_to)::integer as n_students,
        n_from,
        n_to,
        least(ref_from, ref_to)::integer as reference_n,
        from_pct,
        to_pct,
        from_reference_pct,
        to_reference_pct,
        from_gap_pp,
        to_gap_pp,
        round(to_gap_pp - from_gap_pp, 1) as gap_change_pp,
        round(to_gap_pp - from_gap_pp - 1.959964 * change_se, 1) as gap_change_low,
        round(to_gap_pp - from_gap_pp + 1.959964 * change_se, 1) as gap_change_high,
        coalesce(abs(to_gap_pp - from_gap_pp) > 1.959964 * change_se, false) as is_change_significant,
        gap_verdict,
        gap_verdict = 'closing' as is_closing,
        gap_verdict = 'widening' as is_widening,
        $method as method
    from with_verdict
    order by content_area, group_value
)

select * from final
