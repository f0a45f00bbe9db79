-- PLC teams' meeting habits in a school year: meetings per month, the median days between meetings, and the share of meetings with next steps and of next steps the next meeting reviewed.
-- param school_year: default null
-- privacy: kind=none
--
-- Staff data (how teams meet), no figure about students. One row per team with a saved meeting that year
-- (etl/marts/plc_meetings.sql), scoped to the viewer's schools:
--   meetings_per_month   meetings / calendar months from the first meeting's month to the last's, inclusive
--                        (meetings on Sep 3, Sep 17, Oct 1 and Oct 15: 4 / 2 = 2.0)
--   median_days_between  median of the days between consecutive meetings (null with a single meeting)
--   pct_with_next_steps  meetings that recorded next steps, of all meetings
--   pct_next_reviewed    of the meetings with next steps and a later meeting whose record says whether it
--                        reviewed them, those whose next meeting did; notes saved before the record asked
--                        (warehouse/schema/03_plc_records.sql) say neither and are left out (n_followed_up counts the rest)
with meetings as (
    select *
    from plc_meetings($school_ids)
    where $school_year is null or school_year = $school_year
),

final as (
    select
        school_id,
        team,
        school_year,
        any_value(team_type) as team_type,
        any_value(grade_level) as grade_level,
        any_value(course_id) as course_id,
        any_value(content_area) as content_area,
        any_value(grade_band) as grade_band,
        count(*)::integer as n_meetings,
        min(met_on) as first_met_on,
        max(met_on) as last_met_on,
        (datediff('month', date_trunc('month', min(met_on)), date_trunc('month', max(met_on))) + 1)::integer
            as n_months,
        round(count(*) / (datediff('month', date_trunc('month', min(met_on)), date_trunc('month', max(met_on))) + 1),
              2) as meetings_per_month,
        median(days_since_previous) as median_days_between,
        count(*) filter (where has_next_steps)::integer as n_with_next_steps,
        round(100.0 * count(*) filter (where has_next_steps) / count(*), 1) as pct_with_next_steps,
        count(*) filter (where has_next_steps and is_reviewed_at_next is not null)::integer as n_followed_up,
        round(100.0 * count(*) filter (where has_next_steps and is_reviewed_at_next)
              / nullif(count(*) filter (where has_next_steps and is_reviewed_at_next is not null), 0), 1)
            as pct_next_reviewed,
        median(n_participants) filter (where n_participants > 0) as median_participants
    from meetings
    group by school_id, team, school_year
    order by school_id, team
)

select * from final
