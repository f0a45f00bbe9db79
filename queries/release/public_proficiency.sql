-- The public release as published: percent proficient by school year, content area, scope and group.
-- param school_year: default null
-- param content_area: default null
-- param group_by: default all choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param school_id: default null
-- param by: default district choices district,school
-- privacy: kind=release people=students n=n_students pct=pct_proficient
--
-- `by` school lists every school the viewer may see (school_id: one of them); district the district's rows.
-- Every figure was chosen and audited with the release (docs/privacy.md); nothing here is computed from live data.
with final as (
    select
        school_year, content_area, scope, school_id, school_name, group_by, group_value, status, n_students,
        n_proficient, pct_proficient, pct_code, pct_low, pct_high, reference_n, reference_pct, gap_pp, gap_low,
        gap_high, is_significant, method
    from release_proficiency
    where ($school_year is null or school_year = $school_year)
      and ($content_area is null or content_area = $content_area)
      and group_by = $group_by
      and ((($by = 'district' and $school_id is null) and scope = 'district')
           or (($by = 'school' or $school_id is not null) and scope = 'school'
               and ($school_id is null or school_id = $school_id)
               and ($school_ids is null or list_contains($school_ids, school_id))))
    order by school_year, content_area, school_name, group_value
)

select * from final
