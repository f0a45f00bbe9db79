-- PLC teams compared by school, grade band, grade or content area: how regularly they met, follow-through on next steps, and how their focus standards moved between meetings.
-- param school_year: default null
-- param group_by: default grade_band choices school,grade_band,grade,content_area
-- param method: default district
-- param cut: default district
-- param decaying_weight: default 0.65
-- param most_recent_n: default 3
-- privacy: kind=students n=n_students values=mean_change_points,n_meeting_pairs
--
-- One row per group with saved meetings that year. Meeting habits are staff figures (etl/marts/plc_meetings.sql):
-- median_days_between is the median of every gap between consecutive meetings of the group's teams,
-- meetings_per_month the mean of the teams' (queries/plc_system_teams.sql), the two shares are pooled over the
-- group's meetings. Figures about students: mean_change_points is the mean, over the group's meetings with focus
-- standards and a next meeting (n_meeting_pairs), of the change in percent proficient on the focus standards
-- from that meeting's as-of date to the next one's (queries/plc_system_focus_change.sql); n_students counts the
-- distinct students behind those figures and is what the gate counts. Descriptive: what happened around the
-- meetings, not what they caused.
with meetings as (
    select *,
        case $group_by when 'school' then school_id
                       when 'grade_band' then grade_band
                       when 'grade' then coalesce(grade_level::varchar, 'course ' || course_id)
                       when 'content_area' then content_area end as group_value
    from plc_meetings($school_ids)
    where $school_year is null or school_year = $school_year
),

teams as (
    select
        group_value, school_id, team,
        count(*) / (datediff('month', date_trunc('month', min(met_on)), date_trunc('month', max(met_on))) + 1)
            as meetings_per_month
    from meetings
    group by group_value, school_id, team
),

habits as (
    select
        group_value,
        count(distinct school_id || '|' || team)::integer as n_teams,
        count(*)::integer as n_meetings,
        median(days_since_previous) as median_days_between,
        round(100.0 * count(*) filter (where has_next_steps) / count(*), 1) as pct_with_next_steps,
        round(100.0 * count(*) filter (where has_next_steps and is_reviewed_at_next)
              / nullif(count(*) filter (where has_next_steps and is_reviewed_at_next is not null), 0), 1)
            as pct_next_reviewed
    from meetings
    group by group_value
),

changes as (
    select
        m.group_value,
        count(*) filter (where f.pct_proficient_at is not null and f.pct_proficient_next is not null)::integer
            as n_meeting_pairs,
        avg(f.pct_proficient_next - f.pct_proficient_at) as mean_change_points,
        list_distinct(flatten(list(f.student_ids))) as student_ids
    from plc_meeting_focus($school_ids, $method, $cut, $decaying_weight, $most_recent_n) as f
    join meetings as m using (meeting_id)
    group by m.group_value
),

final as (
    select
        $group_by as group_by,
        h.group_value,
        h.n_teams,
        h.n_meetings,
        round((select avg(t.meetings_per_month) from teams as t where t.group_value = h.group_value), 2)
            as meetings_per_month,
        h.median_days_between,
        h.pct_with_next_steps,
        h.pct_next_reviewed,
        coalesce(len(c.student_ids), 0)::integer as n_students,
        coalesce(c.n_meeting_pairs, 0)::integer as n_meeting_pairs,
        round(c.mean_change_points, 1) as mean_change_points,
        $method as method
    from habits as h
    left join changes as c using (group_value)
    order by h.group_value
)

select * from final
