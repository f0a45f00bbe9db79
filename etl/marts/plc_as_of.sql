-- The PLC data meeting's figures as they stood on a date (docs/numbers.md methods, in SQL): the marts
-- hold whole-year results only, so a meeting's figures are recomputed from the evidence dated on or before
-- its as-of date. Table macros stored in the warehouse, (re)created after the marts they read; every plc_*
-- query starts from them, so the calculation is written once.

-- A point is one team on one date: struct(school_year, school_id, grade_level, course_id, content_area, as_of,
-- standard_codes), with grade_level for a grade team and course_id for a course team; standard_codes (null: every
-- standard of the content area) limits the calculation to the standards asked about. The meeting page asks for one point; the
-- PLC system page for every meeting date of every team at once, so the calculation is written once for both.

-- Each point's team: the students enrolled that school year in the school, in the grade (a grade team) or with
-- a mark in the course recorded by the as-of date (a course team: mart_plc_course_students holds each student's
-- first dated mark in the course, so the team is read without the scores, which are stored in load order).
create or replace macro plc_team_at_points(p_school_ids, p_points) as table
with points as (
    select i as point_id, p_points[i] as p from (select generate_subscripts(p_points, 1) as i)
)

select pt.point_id, pt.p.as_of::date as as_of, pt.p.content_area as content_area,
       pt.p.standard_codes::varchar[] as standard_codes, e.school_year, e.school_id, e.student_id, e.grade_level
from points as pt
join enrollments as e
  on e.school_year = pt.p.school_year
 and e.school_id = pt.p.school_id
 and e.grade_level = pt.p.grade_level::integer
where pt.p.course_id is null
  and (p_school_ids is null or list_contains(p_school_ids, e.school_id))
union all
select pt.point_id, pt.p.as_of::date, pt.p.content_area, pt.p.standard_codes::varchar[], e.school_year, e.school_id,
       e.student_id, e.grade_level
from points as pt
join mart_plc_course_students as c
  on c.school_year = pt.p.school_year
 and c.school_id = pt.p.school_id
 and c.course_id = pt.p.course_id
 and c.first_marked_on <= pt.p.as_of::date
join enrollments as e
  on e.school_year = c.school_year
 and e.school_id = c.school_id
 and e.student_id = c.student_id
where (p_school_ids is null or list_contains(p_school_ids, e.school_id))
union all
-- a point naming neither a grade nor a course: the whole school that year
select pt.point_id, pt.p.as_of::date, pt.p.content_area, pt.p.standard_codes::varchar[], e.school_year, e.school_id,
       e.student_id, e.grade_level
from points as pt
join enrollments as e
  on e.school_year = pt.p.school_year
 and e.school_id = pt.p.school_id
where pt.p.course_id is null and pt.p.grade_level is null
  and (p_school_ids is null or list_contains(p_school_ids, e.school_id));

-- Every team student's calculated score per standard of the point's content area, as of its date, by the method.
create or replace macro plc_scores_at_points(p_school_ids, p_points, p_method, p_cut, p_decaying_weight, p_most_recent_n) as table
with team as (
    select * from plc_team_at_points(p_school_ids, p_points)
),

-- The calculation methods of etl/calculations.py, in SQL, on the evidence recorded by the as-of date (the
-- marts hold whole-year results only, so a past meeting's figures are recomputed from the scores).
pieces as (
    -- mart_evidence: a student's scores on one standard on one day are one piece of evidence whose value is
    -- their mean; undated evidence cannot be placed before or after the as-of date and is left out. mart_evidence
    -- carries the student's enrollment that year and is stored in (school_year, school_id, grade_level, ...)
    -- order: joining on them lets the scan skip the row groups of other schools and grades.
    select t.point_id, m.student_id, m.standard_code, m.assessed_on, m.day_score as score
    from mart_evidence as m
    join team as t
      on t.student_id = m.student_id
     and t.school_year = m.school_year
     and t.school_id = m.school_id
     and t.grade_level = m.grade_level
     and m.assessed_on <= t.as_of
    join standards as st on st.standard_code = m.standard_code and st.content_area = t.content_area
    where t.standard_codes is null or list_contains(t.standard_codes, m.standard_code)
),

ordered as (
    select
        *,
        row_number() over (partition by point_id, student_id, standard_code order by assessed_on) as k,
        count(*) over (partition by point_id, student_id, standard_code) as n
    from pieces
),

modes as (
    -- the most frequent value; a tie goes to the tied value seen most recently
    select point_id, student_id, standard_code, arg_max(score, times * 1000000 + last_k) as score_mode
    from (
        select point_id, student_id, standard_code, score, count(*) as times, max(k) as last_k
        from ordered
        group by point_id, student_id, standard_code, score
    )
    group by point_id, student_id, standard_code
),

sums as (
    select
        point_id,
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
    group by point_id, student_id, standard_code
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
        f.point_id,
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
    join modes as m using (point_id, student_id, standard_code)
),

scored as (
    -- proficient at the cut; rounding to 9 places keeps a score of exactly the cut from falling a hair short
    select *, round(score, 9) >= p_cut as is_proficient
    from calculated
)

select * from scored;

-- The team on one date (the meeting page).
create or replace macro plc_team(p_school_ids, p_school_year, p_school_id, p_grade_level, p_course_id, p_as_of) as table
    select student_id, grade_level
    from plc_team_at_points(p_school_ids, [{school_year: p_school_year, school_id: p_school_id,
                                            grade_level: p_grade_level::integer, course_id: p_course_id,
                                            content_area: null::varchar, as_of: p_as_of::date,
                                            standard_codes: null::varchar[]}]);

-- The team's scores on one date (the meeting page's figures).
create or replace macro plc_scores_as_of(p_school_ids, p_school_year, p_school_id, p_grade_level, p_course_id, p_as_of, p_content_area, p_method, p_cut, p_decaying_weight, p_most_recent_n) as table
    select * exclude (point_id)
    from plc_scores_at_points(p_school_ids, [{school_year: p_school_year, school_id: p_school_id,
                                              grade_level: p_grade_level::integer, course_id: p_course_id,
                                              content_area: p_content_area, as_of: p_as_of::date,
                                              standard_codes: null::varchar[]}],
                              p_method, p_cut, p_decaying_weight, p_most_recent_n);
