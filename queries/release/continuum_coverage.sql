-- Continuum coverage district-wide: of each grade's grade-level standards, how many were assessed (public release).
-- param school_year: default null
-- param content_area: default null
-- param by: default district choices district
-- privacy: kind=none
--
-- From the public release (docs/privacy.md): figures about standards only; the enrolment behind each grade is
-- not published (n_students is null).
with final as (
    select school_year, null::varchar as school_id, grade_level, content_area, continuum_level,
        null::integer as n_students, n_standards, n_assessed, n_sufficient, pct_standards_assessed,
        pct_standards_sufficient, min_evidence
    from release_coverage
    where school_year = coalesce($school_year, (select max(school_year) from release_coverage))
      and ($content_area is null or content_area = $content_area)
    order by grade_level, content_area
)

select * from final
