-- A grouping's proficiency gaps against all other students in every content area, in one school year (board findings).
-- param school_year: default null
-- param group_by: default is_ell choices gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param method: default district
-- param cut: default district
-- privacy: kind=release people=students n=n_students pct=pct_proficient
--
-- From the public release (docs/privacy.md): the district's rows (or the viewer's one school), reference all
-- other students of the same scope; figures withheld by the release are null.
with params as (
    select coalesce($school_year, (select max(school_year) from release_proficiency)) as school_year
),

final as (
    select
        r.school_year, r.content_area, r.group_by, r.group_value, r.status, r.n_students, r.n_proficient,
        r.pct_proficient, r.pct_code, r.pct_low, r.pct_high, 'others' as reference, r.reference_n, r.reference_pct,
        r.gap_pp, r.gap_low, r.gap_high, r.is_significant, r.risk_ratio, r.cohens_h, r.method
    from release_rows($school_ids, null) as r, params as p
    where r.school_year = p.school_year and r.group_by = $group_by and r.method = $method
    order by r.content_area, r.group_value
)

select * from final
