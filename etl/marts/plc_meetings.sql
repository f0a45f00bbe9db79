-- The saved PLC meetings as the PLC system page reads them (app_pages/plc_system.py), written once as table
-- macros over meeting_notes and the marts: a meeting saved between two loads is seen at once (the macros read
-- the live table), and the between-meeting figures use the meeting page's own as-of calculation
-- (plc_scores_at_points in etl/marts/plc_as_of.sql).
--
-- A team is one school's grade or course team in one school year. Its meetings are ordered by the day they
-- were held (held_on; notes saved before that was recorded count their as-of date). Notes saved before the
-- richer record (warehouse/schema/03_plc_records.sql) have their team read from the team key (`grade:3:math`,
-- `course:ALG1`) and the course's content area and level from mart_plc_teams.

create or replace macro plc_meetings(p_school_ids) as table
with notes as (
    select
        n.*,
        coalesce(n.held_on, n.as_of) as met_on,
        coalesce(n.school_year, school_year_of(n.as_of)) as in_year,
        coalesce(n.team_type, split_part(n.team, ':', 1)) as kind,
        coalesce(n.grade_level, case when n.team like 'grade:%' then try_cast(split_part(n.team, ':', 2) as integer) end)
            as grade,
        coalesce(n.course_id, case when n.team like 'course:%' then substr(n.team, 8) end) as course,
        coalesce(n.content_area, case when n.team like 'grade:%' then nullif(split_part(n.team, ':', 3), '') end) as area
    from meeting_notes as n
    where (p_school_ids is null or list_contains(p_school_ids, n.school_id))
),

teams as (
    -- the team as the marts know it that year: its content area (for a course) and continuum level
    select
        n.*,
        coalesce(n.area, t.content_area) as team_area,
        coalesce(n.continuum_level, t.continuum_level) as team_level
    from notes as n
    left join mart_plc_teams as t
        on t.school_year = n.in_year
       and t.school_id = n.school_id
       and t.team_type = n.kind
       and (t.grade_level = n.grade or (n.kind = 'course' and t.course_id = n.course))
       and (n.kind = 'course' or t.content_area = n.area)
),

sequenced as (
    select
        *,
        row_number() over team_order as meeting_number,
        lag(met_on) over team_order as previous_met_on,
        lead(met_on) over team_order as next_met_on,
        lead(as_of) over team_order as next_as_of,
        lead(meeting_id) over team_order as next_meeting_id,
        lead(reviewed_last_next_steps) over team_order as is_reviewed_at_next
    from teams
    window team_order as (partition by school_id, team, in_year order by met_on, as_of)
),

final as (
    select
        meeting_id,
        school_id,
        team,
        in_year as school_year,
        kind as team_type,
        grade as grade_level,
        course as course_id,
        team_area as content_area,
        team_level as continuum_level,
        -- grade bands by the team's grade, for a course team by the continuum level it is taught from
        case when coalesce(grade, team_level) <= 2 then 'K-2'
             when coalesce(grade, team_level) <= 5 then '3-5'
             when coalesce(grade, team_level) <= 8 then '6-8'
             when coalesce(grade, team_level) is not null then '9-12' end as grade_band,
        met_on,
        as_of,
        meeting_number,
        previous_met_on,
        datediff('day', previous_met_on, met_on) as days_since_previous,
        next_met_on,
        next_as_of,
        next_meeting_id,
        coalesce(focus_standards, []) as focus_standards,
        coalesce(trim(next_steps), '') <> '' as has_next_steps,
        reviewed_last_next_steps as is_review_of_last,
        is_reviewed_at_next,
        coalesce(list_sum(map_values(participants)), 0)::integer as n_participants,
        participants
    from sequenced
)

select * from final;

-- For each meeting with focus standards and a next meeting in the same school year: the team's figures on those
-- standards at this meeting's as-of date and at the next one's, each as the meeting page computes them.
-- Counts are of student x focus-standard records (a student assessed on two focus standards counts twice in
-- n_records); n_students counts the students. One row per meeting.
create or replace macro plc_meeting_focus(p_school_ids, p_method, p_cut, p_decaying_weight, p_most_recent_n) as table
with meetings as (
    select *
    from plc_meetings(p_school_ids)
    where len(focus_standards) > 0
      and next_as_of is not null
      and content_area is not null
),

points as (
    -- every team and date the figures are needed on (each meeting's as-of date and its next meeting's), numbered
    -- in the order of the list handed to the calculation, so each team is calculated once per date
    select row_number() over (order by school_id, team, school_year, as_of) as point_id, *
    from (
        select school_id, team, school_year, grade_level, course_id, content_area, as_of,
               list_sort(list_distinct(flatten(list(focus_standards)))) as standard_codes
        from (select * exclude (as_of), unnest([as_of, next_as_of]) as as_of from meetings)
        group by school_id, team, school_year, grade_level, course_id, content_area, as_of
    )
),

scored as (
    select pt.school_id, pt.team, pt.school_year, pt.as_of, s.student_id, s.standard_code, s.n_evidence, s.is_proficient
    from plc_scores_at_points(
        p_school_ids,
        (select list({school_year: school_year, school_id: school_id,
                      grade_level: case when course_id is null then grade_level end, course_id: course_id,
                      content_area: content_area, as_of: as_of, standard_codes: standard_codes}
                order by point_id) from points),
        p_method, p_cut, p_decaying_weight, p_most_recent_n) as s
    join points as pt using (point_id)
),

on_focus as (
    select m.meeting_id, 'at' as point, s.student_id, s.n_evidence, s.is_proficient
    from meetings as m
    join scored as s
        on s.school_id = m.school_id and s.team = m.team and s.school_year = m.school_year and s.as_of = m.as_of
       and list_contains(m.focus_standards, s.standard_code)
    union all
    select m.meeting_id, 'next' as point, s.student_id, s.n_evidence, s.is_proficient
    from meetings as m
    join scored as s
        on s.school_id = m.school_id and s.team = m.team and s.school_year = m.school_year and s.as_of = m.next_as_of
       and list_contains(m.focus_standards, s.standard_code)
),

by_point as (
    select
        meeting_id,
        count(distinct student_id) filter (where point = 'at') as n_students_at,
        count(*) filter (where point = 'at') as n_records_at,
        count(*) filter (where point = 'at' and is_proficient) as n_proficient_at,
        coalesce(sum(n_evidence) filter (where point = 'at'), 0) as n_evidence_at,
        count(distinct student_id) filter (where point = 'next') as n_students_next,
        count(*) filter (where point = 'next') as n_records_next,
        count(*) filter (where point = 'next' and is_proficient) as n_proficient_next,
        coalesce(sum(n_evidence) filter (where point = 'next'), 0) as n_evidence_next,
        list(distinct student_id) as student_ids
    from on_focus
    group by meeting_id
),

final as (
    select
        m.meeting_id, m.school_id, m.team, m.school_year, m.team_type, m.grade_level, m.course_id, m.content_area,
        m.grade_band, m.met_on, m.as_of, m.next_met_on, m.next_as_of, m.focus_standards,
        datediff('day', m.met_on, m.next_met_on) as days_to_next,
        coalesce(b.n_students_at, 0) as n_students_at,
        coalesce(b.n_records_at, 0) as n_records_at,
        coalesce(b.n_proficient_at, 0) as n_proficient_at,
        coalesce(b.n_evidence_at, 0) as n_evidence_at,
        coalesce(b.n_students_next, 0) as n_students_next,
        coalesce(b.n_records_next, 0) as n_records_next,
        coalesce(b.n_proficient_next, 0) as n_proficient_next,
        coalesce(b.n_evidence_next, 0) as n_evidence_next,
        100.0 * b.n_proficient_at / nullif(b.n_records_at, 0) as pct_proficient_at,
        100.0 * b.n_proficient_next / nullif(b.n_records_next, 0) as pct_proficient_next,
        coalesce(b.student_ids, []) as student_ids
    from meetings as m
    left join by_point as b using (meeting_id)
)

select * from final;
