-- PLC focus standards: for each standard of the team's continuum level, as of a date, how many of the team's students were assessed and are proficient, and how much evidence there is.
-- param school_id: required
-- param school_year: required
-- param as_of: required
-- param content_area: required
-- param continuum_level: required
-- param grade_level: default null
-- param course_id: default null
-- param method: default district
-- param cut: default district
-- param decaying_weight: default 0.65
-- param most_recent_n: default 3
-- param min_evidence: default district
-- privacy: kind=students n=n_students_assessed values=n_proficient,n_not_proficient,n_evidence,evidence_per_student,n_sufficient pct=pct_proficient
--
-- A team is a school's grade (grade_level) or course (course_id) in a school year, working on the standards of
-- one content area and continuum level (plc_teams). Figures are as they stood on the as-of date: only evidence
-- with assessed_on <= as_of counts, so a meeting's figures can be reproduced later. Calculated scores are
-- recomputed from the evidence (mart_evidence: one piece per student, standard and day) with the district's
-- method by the table macro plc_scores_as_of (etl/marts/plc_as_of.sql) rather than read from mart_standard_scores, which holds whole-year results only; on an as-of date
-- after the last evidence they equal the marts' (tests/test_plc_meeting.py). decaying_weight and most_recent_n
-- are the district's (config/district.yaml); callers pass them.
--
-- One row per standard of the level: n_students_assessed (team students with at least one piece of evidence on
-- it), n_proficient (their calculated score >= the cut), pct_proficient of the assessed, n_evidence (pieces),
-- evidence_per_student (pieces per assessed student), n_sufficient (assessed students with at least
-- min_evidence pieces), is_assessed (any evidence at all; not a figure about students) and the latest date.
with team as (
    select * from plc_team($school_ids, $school_year, $school_id, $grade_level, $course_id, $as_of)
),

scored as (
    -- the team's calculated scores as of the date (etl/marts/plc_as_of.sql)
    select *
    from plc_scores_as_of($school_ids, $school_year, $school_id, $grade_level, $course_id, $as_of, $content_area,
                          $method, $cut, $decaying_weight, $most_recent_n)
),

level_standards as (
    select standard_code, strand, description
    from standards
    where content_area = $content_area
      and continuum_level = $continuum_level::integer
),

by_standard as (
    select
        standard_code,
        count(*) as n_assessed,
        count(*) filter (where is_proficient) as n_proficient,
        sum(n_evidence) as n_evidence,
        count(*) filter (where n_evidence >= $min_evidence) as n_sufficient,
        max(latest_assessed_on) as latest_assessed_on
    from scored
    group by standard_code
),

final as (
    select
        $school_year as school_year,
        $as_of::date as as_of,
        l.standard_code,
        l.strand,
        l.description,
        coalesce(b.n_assessed, 0)::integer as n_students_assessed,
        coalesce(b.n_proficient, 0)::integer as n_proficient,
        coalesce(b.n_assessed - b.n_proficient, 0)::integer as n_not_proficient,
        round(100.0 * b.n_proficient / b.n_assessed, 1) as pct_proficient,
        coalesce(b.n_evidence, 0)::integer as n_evidence,
        round(b.n_evidence / b.n_assessed, 2) as evidence_per_student,
        coalesce(b.n_sufficient, 0)::integer as n_sufficient,
        coalesce(b.n_assessed, 0) > 0 as is_assessed,
        b.latest_assessed_on,
        $method as method
    from level_standards as l
    left join by_standard as b using (standard_code)
    order by l.strand, l.standard_code
)

select * from final
