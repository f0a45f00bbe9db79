-- Never assessed: grade-level standards no student in the district was assessed on that year (public release).
-- param school_year: default null
-- param content_area: default null
-- param by: default district choices district
-- privacy: kind=none
--
-- From the public release (docs/privacy.md): a list of standards, district-wide; no count of students.
with final as (
    select *
    from release_never_assessed
    where school_year = coalesce($school_year, (select max(school_year) from release_coverage))
      and ($content_area is null or content_area = $content_area)
    order by content_area, continuum_level, standard_code
)

select * from final
