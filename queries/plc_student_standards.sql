-- PLC students by standard (a student list): each team student's calculated score, evidence and marks on each standard of the team's level, as of a date.
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
-- Names and ids: only for the roles docs/access.md allows (the gate refuses the board audience). One row
-- per team student x standard of the level, assessed or not: score is the calculated score (null when the
-- student has no evidence on it by the as-of date), marks lists every mark recorded by then (evidence or not,
-- such as IE) with its date, oldest first.
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

marks as (
    select
        student_id,
        standard_code,
        string_agg(mark || ' (' || strftime(assessed_on, '%b %-d') || ')', ', ' order by assessed_on) as marks
    from (
        -- marks that are evidence: the team's pieces (mart_evidence is stored by school, so this reads little)
        select m.student_id, m.standard_code, m.assessed_on, unnest(m.marks) as mark
        from mart_evidence as m
        join team as t on t.student_id = m.student_id
        join level_standards as l on l.standard_code = m.standard_code
        where m.school_year = $school_year
          and m.school_id = $school_id
          and m.assessed_on <= $as_of::date
        union all
        -- marks that are not evidence (IE, NY): few, and only in the scores
        select s.student_id, s.standard_code, s.assessed_on, s.mark
        from scores as s
        join team as t on t.student_id = s.student_id
        join level_standards as l on l.standard_code = s.standard_code
        where s.score is null
          and s.school_year = $school_year
          and s.assessed_on <= $as_of::date
    )
    group by student_id, standard_code
),

final as (
    select
        $school_year as school_year,
        $as_of::date as as_of,
        t.student_id,
        p.last_name,
        p.first_name,
        t.grade_level,
        l.standard_code,
        l.strand,
        round(c.score, 2) as score,
        coalesce(c.is_proficient, false) as is_proficient,
        coalesce(c.n_evidence, 0)::integer as n_evidence,
        c.latest_assessed_on,
        m.marks,
        $method as method
    from team as t
    cross join level_standards as l
    left join students as p on p.student_id = t.student_id
    left join scored as c on c.student_id = t.student_id and c.standard_code = l.standard_code
    left join marks as m on m.student_id = t.student_id and m.standard_code = l.standard_code
    order by p.last_name, p.first_name, t.student_id, l.strand, l.standard_code
)

select * from final
