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
-- recomputed here from the evidence (mart_evidence: one piece per student, standard and day) with the district's method (below, between the as-of calculation
-- markers) rather than read from mart_standard_scores, which holds whole-year results only; on an as-of date
-- after the last evidence they equal the marts' (tests/test_plc_meeting.py). decaying_weight and most_recent_n
-- are the district's (config/district.yaml); callers pass them.
--
-- Names and ids: only for the roles DESIGN.md section 6 allows (the gate refuses the board audience). The
-- position as in plc_continuum_position: the highest level at which the student is proficient on more than
-- half of the level's standards assessed by the as-of date, against the grade's level; `none` when none.
with team as (
    -- the team's students: enrolled that school year in the school, in the grade (a grade team) or with a mark
    -- in the course recorded by the as-of date (a course team)
    select e.student_id, e.grade_level
    from enrollments as e
    where e.school_year = $school_year
      and e.school_id = $school_id
      and ($school_ids is null or list_contains($school_ids, e.school_id))
      and ($grade_level is null or e.grade_level = $grade_level::integer)
      and ($course_id is null or e.student_id in (
          select c.student_id
          from scores as c
          where c.school_year = $school_year
            and c.school_id = $school_id
            and c.course_id = $course_id
            and c.assessed_on <= $as_of::date))
),

-- as-of calculation: begin. The same text in every plc_* query that calculates scores (tests check it).
-- The calculation methods of etl/calculations.py, in SQL, on the evidence recorded by the as-of date (the
-- marts hold whole-year results only, so a past meeting's figures are recomputed from the scores).
pieces as (
    -- mart_evidence: a student's scores on one standard on one day are one piece of evidence whose value is
    -- their mean; undated evidence cannot be placed before or after the as-of date and is left out
    select m.student_id, m.standard_code, m.assessed_on, m.day_score as score
    from mart_evidence as m
    join team as t on t.student_id = m.student_id
    join standards as st on st.standard_code = m.standard_code
    where m.school_year = $school_year
      and m.assessed_on <= $as_of::date
      and st.content_area = $content_area
),

ordered as (
    select
        *,
        row_number() over (partition by student_id, standard_code order by assessed_on) as k,
        count(*) over (partition by student_id, standard_code) as n
    from pieces
),

modes as (
    -- the most frequent value; a tie goes to the tied value seen most recently
    select student_id, standard_code, arg_max(score, times * 1000000 + last_k) as score_mode
    from (
        select student_id, standard_code, score, count(*) as times, max(k) as last_k
        from ordered
        group by student_id, standard_code, score
    )
    group by student_id, standard_code
),

sums as (
    select
        student_id,
        standard_code,
        any_value(n) as n_evidence,
        min(assessed_on) as first_assessed_on,
        max(assessed_on) as latest_assessed_on,
        arg_max(score, k) as score_most_recent,
        avg(score) filter (where k > n - $most_recent_n) as score_most_recent_n,
        max(score) as score_highest,
        avg(score) as score_mean,
        -- decaying average: the newest piece weighs w, the one before w(1 - w), ...; the oldest (1 - w)^(n - 1)
        sum(score * case when k = 1 then pow(1 - $decaying_weight, n - 1)
                         else $decaying_weight * pow(1 - $decaying_weight, n - k) end) as score_decaying_average,
        arg_min(score, k) as score_first,
        -- power law: least squares of ln(score) on ln(position), a 0 mark entering as 0.1
        sum(ln(k)) as sx,
        sum(ln(greatest(score, 0.1))) as sy,
        sum(ln(k) * ln(k)) as sxx,
        sum(ln(k) * ln(greatest(score, 0.1))) as sxy
    from ordered
    group by student_id, standard_code
),

fitted as (
    select
        *,
        case when n_evidence * sxx - sx * sx > 0 then (n_evidence * sxy - sx * sy) / (n_evidence * sxx - sx * sx)
             else 0 end as slope
    from sums
),

calculated as (
    select
        f.student_id,
        f.standard_code,
        f.n_evidence,
        f.first_assessed_on,
        f.latest_assessed_on,
        case $method
            when 'most_recent' then f.score_most_recent
            when 'most_recent_n' then f.score_most_recent_n
            when 'highest' then f.score_highest
            when 'mean' then f.score_mean
            when 'mode' then m.score_mode
            when 'decaying_average' then f.score_decaying_average
            when 'power_law' then
                case when f.n_evidence = 1 then f.score_first
                     else least(greatest(exp((f.sy - f.slope * f.sx) / f.n_evidence + f.slope * ln(f.n_evidence)), 0), 4)
                end
        end as score
    from fitted as f
    join modes as m using (student_id, standard_code)
),

scored as (
    -- proficient at the cut; rounding to 9 places keeps a score of exactly the cut from falling a hair short
    select *, round(score, 9) >= $cut as is_proficient
    from calculated
),
-- as-of calculation: end

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
