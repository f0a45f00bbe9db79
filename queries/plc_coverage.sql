-- PLC coverage: of the team's continuum-level standards, how many were assessed and how many have sufficient evidence, as of a date.
-- param school_id: required
-- param school_year: required
-- param as_of: required
-- param content_area: required
-- param continuum_level: required
-- param grade_level: default null
-- param course_id: default null
-- param min_evidence: default district
-- privacy: kind=students n=n_students values=n_assessed,n_sufficient,pct_standards_assessed,pct_standards_sufficient,n_evidence,evidence_per_student_standard
--
-- A team is a school's grade (grade_level) or course (course_id) in a school year, working on the standards of
-- one content area and continuum level (plc_teams). Figures are as they stood on the as-of date: only evidence
-- with assessed_on <= as_of counts, so a meeting's figures can be reproduced later. Calculated scores are
-- recomputed from the evidence (mart_evidence: one piece per student, standard and day) with the district's
-- method by the table macro plc_scores_as_of (etl/marts/plc_as_of.sql) rather than read from mart_standard_scores, which holds whole-year results only; on an as-of date
-- after the last evidence they equal the marts' (tests/test_plc_meeting.py). decaying_weight and most_recent_n
-- are the district's (config/district.yaml); callers pass them.
--
-- Definitions as continuum_coverage (docs/numbers.md), counting only evidence recorded by the as-of date:
-- n_standards of the level, n_assessed with at least one piece of evidence from a team student, n_sufficient
-- with at least min_evidence pieces per assessed student on average, n_evidence pieces, and pieces per team
-- student per standard. n_students: the team's students. One row for the team.
with team as (
    -- the team's students (etl/marts/plc_as_of.sql): enrolled that school year in the school, in the grade (a
    -- grade team) or with a mark in the course recorded by the as-of date (a course team)
    select * from plc_team($school_ids, $school_year, $school_id, $grade_level, $course_id, $as_of)
),

level_standards as (
    select standard_code
    from standards
    where content_area = $content_area
      and continuum_level = $continuum_level::integer
),

pieces as (
    select m.student_id, m.standard_code, m.assessed_on
    from mart_evidence as m
    join team as t on t.student_id = m.student_id
    join level_standards as l on l.standard_code = m.standard_code
    where m.school_year = $school_year
      -- mart_evidence is stored in (school_year, school_id, grade_level, ...) order with the student's
      -- enrollment beside each piece: the same students as the team join, but the scan skips other schools
      and m.school_id = $school_id
      and ($grade_level is null or m.grade_level = $grade_level::integer)
      and m.assessed_on <= $as_of::date
),

by_standard as (
    select standard_code, count(distinct student_id) as n_students_assessed, count(*) as n_pieces
    from pieces
    group by standard_code
),

counted as (
    select
        (select count(*) from team) as n_students,
        count(*) as n_standards,
        count(b.standard_code) as n_assessed,
        count(*) filter (where b.n_pieces >= $min_evidence * b.n_students_assessed) as n_sufficient,
        coalesce(sum(b.n_pieces), 0) as n_evidence
    from level_standards as l
    left join by_standard as b using (standard_code)
),

final as (
    select
        $school_year as school_year,
        $as_of::date as as_of,
        $content_area as content_area,
        $continuum_level::integer as continuum_level,
        n_students::integer as n_students,
        n_standards::integer as n_standards,
        n_assessed::integer as n_assessed,
        n_sufficient::integer as n_sufficient,
        round(100.0 * n_assessed / nullif(n_standards, 0), 1) as pct_standards_assessed,
        round(100.0 * n_sufficient / nullif(n_standards, 0), 1) as pct_standards_sufficient,
        n_evidence::integer as n_evidence,
        round(n_evidence / nullif(n_students * n_standards, 0), 3) as evidence_per_student_standard,
        $min_evidence::integer as min_evidence
    from counted
)

select * from final
