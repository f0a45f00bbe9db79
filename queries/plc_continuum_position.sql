-- PLC continuum position: how many of the team's students work below, at or above their grade's continuum level in the team's content area, as of a date.
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
-- privacy: kind=students n=n_students values=n_below,n_at,n_above,n_none pct=pct_below,pct_at,pct_above,pct_none
--
-- A team is a school's grade (grade_level) or course (course_id) in a school year, working on the standards of
-- one content area and continuum level (plc_teams). Figures are as they stood on the as-of date: only evidence
-- with assessed_on <= as_of counts, so a meeting's figures can be reproduced later. Calculated scores are
-- recomputed from the evidence (mart_evidence: one piece per student, standard and day) with the district's
-- method by the table macro plc_scores_as_of (etl/marts/plc_as_of.sql) rather than read from mart_standard_scores, which holds whole-year results only; on an as-of date
-- after the last evidence they equal the marts' (tests/test_plc_meeting.py). decaying_weight and most_recent_n
-- are the district's (config/district.yaml); callers pass them.
--
-- A student's position (docs/numbers.md, as mart_continuum_position and continuum_position): the highest
-- continuum level of the content area at which the student is proficient on more than half of that level's
-- standards assessed by the as-of date, compared with the level the student's grade is taught from
-- (mart_continuum_grades); `none` when no level qualifies. n_students: team students with at least one
-- calculated score in the content area by then. One row for the team.
with team as (
    select * from plc_team($school_ids, $school_year, $school_id, $grade_level, $course_id, $as_of)
),

scored as (
    -- the team's calculated scores as of the date (etl/marts/plc_as_of.sql)
    select *
    from plc_scores_as_of($school_ids, $school_year, $school_id, $grade_level, $course_id, $as_of, $content_area,
                          $method, $cut, $decaying_weight, $most_recent_n)
),

levels as (
    select
        c.student_id,
        st.continuum_level,
        count(*) as n_assessed,
        count(*) filter (where c.is_proficient) as n_proficient
    from scored as c
    join standards as st on st.standard_code = c.standard_code
    where st.continuum_level is not null
    group by c.student_id, st.continuum_level
),

positions as (
    select
        l.student_id,
        max(l.continuum_level) filter (where 2 * l.n_proficient > l.n_assessed) as position_level,
        any_value(coalesce(g.continuum_level, t.grade_level)) as grade_continuum_level
    from levels as l
    join team as t on t.student_id = l.student_id
    left join mart_continuum_grades as g on g.grade_level = t.grade_level and g.content_area = $content_area
    group by l.student_id
),

counted as (
    select
        count(*) as n,
        count(*) filter (where position_level < grade_continuum_level) as n_below,
        count(*) filter (where position_level = grade_continuum_level) as n_at,
        count(*) filter (where position_level > grade_continuum_level) as n_above,
        count(*) filter (where position_level is null) as n_none
    from positions
),

final as (
    select
        $school_year as school_year,
        $as_of::date as as_of,
        $content_area as content_area,
        n::integer as n_students,
        n_below::integer as n_below,
        n_at::integer as n_at,
        n_above::integer as n_above,
        n_none::integer as n_none,
        round(100.0 * n_below / nullif(n, 0), 1) as pct_below,
        round(100.0 * n_at / nullif(n, 0), 1) as pct_at,
        round(100.0 * n_above / nullif(n, 0), 1) as pct_above,
        round(100.0 * n_none / nullif(n, 0), 1) as pct_none,
        $method as method
    from counted
)

select * from final
