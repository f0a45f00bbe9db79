-- Each group's gap to all other students by school year, and whether it is closing (public release).
-- param content_area: default math
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param period: default year choices year
-- param method: default district
-- param cut: default district
-- privacy: kind=release people=students n=n_students pct=pct_proficient
--
-- From the public release (docs/privacy.md): gaps, their intervals and the change since the prior year are
-- computed from released rows only (a gap needs the group and its scope's total shown exactly).
with rows as (
    select r.*, 0 as term_order,
        (r.gap_high - r.gap_low) / 3.919928 as gap_se
    from release_rows($school_ids, $school_id) as r
    where r.content_area = $content_area and r.group_by = $group_by and r.method = $method
),

with_prior as (
    select
        *,
        lag(gap_pp) over w as prior_gap_pp,
        lag(pct_proficient) over w as prior_pct,
        lag(reference_pct) over w as prior_reference_pct,
        sqrt(gap_se ^ 2 + lag(gap_se ^ 2) over w) as change_se
    from rows
    window w as (partition by group_value order by school_year)
),

with_verdict as (
    select
        *,
        gap_verdict(
            prior_gap_pp, gap_pp, prior_pct, pct_proficient, prior_reference_pct, reference_pct,
            abs(gap_pp - prior_gap_pp) > 1.959964 * change_se
        ) as gap_verdict
    from with_prior
),

final as (
    select
        school_year,
        null::varchar as term,
        term_order,
        group_value,
        status,
        n_students,
        n_proficient,
        pct_proficient,
        pct_code,
        reference_n,
        reference_pct,
        gap_pp,
        gap_low,
        gap_high,
        is_significant,
        prior_gap_pp,
        round(gap_pp - prior_gap_pp, 1) as gap_change_pp,
        round(gap_pp - prior_gap_pp - 1.959964 * change_se, 1) as gap_change_low,
        round(gap_pp - prior_gap_pp + 1.959964 * change_se, 1) as gap_change_high,
        coalesce(abs(gap_pp - prior_gap_pp) > 1.959964 * change_se, false) as is_change_significant,
        gap_verdict,
        gap_verdict = 'closing' as is_closing,
        method
    from with_verdict
    order by group_value, school_year
)

select * from final
