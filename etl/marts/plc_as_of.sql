-- The PLC data meeting's figures as they stood on a date (DESIGN.md section 4 methods, in SQL): the marts
-- hold whole-year results only, so a meeting's figures are recomputed from the evidence dated on or before
-- its as-of date. Table macros stored in the warehouse, (re)created after the marts they read; every plc_*
-- query starts from them, so the calculation is written once.

-- A team's students: enrolled that school year in the school, in the grade (a grade team) or with a mark in
-- the course recorded by the as-of date (a course team: mart_plc_course_students holds each student's first
-- dated mark in the course, so the team is read without the scores, which are stored in load order).
create or replace macro plc_team(p_school_ids, p_school_year, p_school_id, p_grade_level, p_course_id, p_as_of) as table
    select e.student_id, e.grade_level
    from enrollments as e
    where e.school_year = p_school_year
      and e.school_id = p_school_id
      and (p_school_ids is null or list_contains(p_school_ids, e.school_id))
      and (p_grade_level is null or e.grade_level = p_grade_level::integer)
      and (p_course_id is null or e.student_id in (
          select c.student_id
          from mart_plc_course_students as c
          where c.school_year = p_school_year
            and c.school_id = p_school_id
            and c.course_id = p_course_id
            and c.first_marked_on <= p_as_of::date));

-- Every team student's calculated score per standard of a content area, as of the date, by the method.
create or replace macro plc_scores_as_of(p_school_ids, p_school_year, p_school_id, p_grade_level, p_course_id, p_as_of, p_content_area, p_method, p_cut, p_decaying_weight, p_most_recent_n) as table
with team as (
    select * from plc_team(p_school_ids, p_school_year, p_school_id, p_grade_level, p_course_id, p_as_of)
),

-- The calculation methods of etl/calculations.py, in SQL, on the evidence recorded by the as-of date (the
-- marts hold whole-year results only, so a past meeting's figures are recomputed from the scores).
pieces as (
    -- mart_evidence: a student's scores on one standard on one day are one piece of evidence whose value is
    -- their mean; undated evidence cannot be placed before or after the as-of date and is left out
    select m.student_id, m.standard_code, m.assessed_on, m.day_score as score
    from mart_evidence as m
    join team as t on t.student_id = m.student_id
    join standards as st on st.standard_code = m.standard_code
    where m.school_year = p_school_year
      -- mart_evidence carries the student's enrollment that year and is stored in (school_year, school_id,
      -- grade_level, ...) order: these filters say nothing the team join does not, but let the scan skip the
      -- row groups of other schools and grades
      and m.school_id = p_school_id
      and (p_grade_level is null or m.grade_level = p_grade_level::integer)
      and m.assessed_on <= p_as_of::date
      and st.content_area = p_content_area
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
        avg(score) filter (where k > n - p_most_recent_n) as score_most_recent_n,
        max(score) as score_highest,
        avg(score) as score_mean,
        -- decaying average: the newest piece weighs w, the one before w(1 - w), ...; the oldest (1 - w)^(n - 1)
        sum(score * case when k = 1 then pow(1 - p_decaying_weight, n - 1)
                         else p_decaying_weight * pow(1 - p_decaying_weight, n - k) end) as score_decaying_average,
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
        case p_method
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
    select *, round(score, 9) >= p_cut as is_proficient
    from calculated
)

select * from scored;
