-- Percent proficient by school year for each group, with its change since the prior year (public release).
-- param content_area: default math
-- param group_by: default all choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param period: default year choices year
-- param method: default district
-- param cut: default district
-- privacy: kind=release people=students n=n_students pct=pct_proficient
--
-- From the public release (docs/privacy.md): the district's rows, or one school's. The prior year's figures
-- come from the prior year's released row, and the change only where both rows are shown exactly.
with rows as (
    select r.*, 0 as term_order
    from release_rows($school_ids, $school_id) as r
    where r.content_area = $content_area and r.group_by = $group_by and r.method = $method
),

with_prior as (
    select
        r.*,
        lag(n_students) over w as prior_n,
        lag(n_proficient) over w as prior_x,
        lag(school_year) over w as prior_year
    from rows as r
    window w as (partition by group_value order by school_year)
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
        pct_low,
        pct_high,
        prior_n,
        round(100 * prior_x / prior_n, 1) as prior_pct,
        round(100 * (n_proficient / n_students - prior_x / prior_n), 1) as change_pp,
        round(100 * newcombe_low(n_proficient::double, n_students::double, prior_x::double, prior_n::double), 1)
            as change_low,
        round(100 * newcombe_high(n_proficient::double, n_students::double, prior_x::double, prior_n::double), 1)
            as change_high,
        coalesce(newcombe_low(n_proficient::double, n_students::double, prior_x::double, prior_n::double) > 0
                 or newcombe_high(n_proficient::double, n_students::double, prior_x::double, prior_n::double) < 0,
                 false) as is_change_significant,
        method
    from with_prior
    order by group_value, school_year
)

select * from final
