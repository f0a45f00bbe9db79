-- PLC student positions (a student list): each team student's continuum position in the team's content area, as of a date.
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
-- privacy: kind=student_list
--
-- A team is a school's grade (grade_level) or course (course_id) in a school year, working on the standards of
-- one content area and continuum level (plc_teams). Figures are as they stood on the as-of date: only evidence
-- with assessed_on <= as_of counts, so a meeting's figures can be reproduced later. Calculated scores are
-- recomputed from the evidence (mart_evidence: one piece per student, standard and day) with the district's
-- method by the table macro plc_scores_as_of (etl/marts/plc_as_of.sql) rather than read from mart_standard_scores, which holds whole-year results only; on an as-of date
-- after the last evidence they equal the marts' (tests/test_plc_meeting.py). decaying_weight and most_recent_n
-- are the district's (config/district.yaml); callers pass them.
--
-- Names and ids: only for the roles docs/access.md allows (the gate refuses the board audience). The
-- position as in plc_continuum_position: the highest level at which the student is proficient on more than
-- half of the level's standards assessed by the as-of date, against the grade's level; `none` when none.
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
        min(l.continuum_level) as lowest_level_assessed,
        max(l.continuum_level) as highest_level_assessed,
        any_value(coalesce(g.continuum_level, t.grade_level)) as grade_continuum_level,
        any_value(t.grade_level) as grade_level
    from levels as l
    join team as t on t.student_id = l.student_id
    left join mart_continuum_grades as g on g.grade_level = t.grade_level and g.content_area = $content_area
    group by l.student_id
),

final as (
    select
        $school_year as school_year,
        $as_of::date as as_of,
        p.student_id,
        s.last_name,
        s.first_name,
        p.grade_level,
        p.grade_continuum_level,
        p.position_level,
        case
            when p.position_level is null then 'none'
            when p.position_level < p.grade_continuum_level then 'below'
            when p.position_level = p.grade_continuum_level then 'at'
            else 'above'
        end as position,
        p.lowest_level_assessed,
        p.highest_level_assessed,
        $method as method
    from positions as p
    left join students as s on s.student_id = p.student_id
    order by s.last_name, s.first_name, p.student_id
)

select * from final
