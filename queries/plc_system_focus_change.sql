-- PLC meetings' focus standards: the team's percent proficient and evidence on them at the meeting's as-of date and at the next meeting's, and the change between.
-- param school_year: default null
-- param method: default district
-- param cut: default district
-- param decaying_weight: default 0.65
-- param most_recent_n: default 3
-- privacy: kind=students n=n_students values=n_proficient_at,n_proficient_next,n_evidence_at,n_evidence_next,change_points pct=pct_proficient_at,pct_proficient_next
--
-- One row per meeting that chose focus standards and has a next meeting in the same school year. Both sets of
-- figures come from the meeting page's own as-of calculation (plc_scores_at_points, etl/marts/plc_as_of.sql, via
-- plc_meeting_focus in etl/marts/plc_meetings.sql): only evidence dated by each as-of date counts. Percentages
-- are of student x focus-standard records with evidence (n_records_*); n_students, the fewer of the students
-- assessed at either date, is what the gate counts. change_points = pct_proficient_next - pct_proficient_at.
-- What happened between two meetings, not what the meeting caused.
with final as (
    select
        meeting_id, school_id, team, school_year, team_type, grade_level, course_id, content_area, grade_band,
        met_on, as_of, next_met_on, next_as_of, days_to_next,
        array_to_string(focus_standards, ', ') as focus_standards,
        least(n_students_at, n_students_next)::integer as n_students,
        n_records_at::integer as n_records_at,
        n_proficient_at::integer as n_proficient_at,
        round(pct_proficient_at, 1) as pct_proficient_at,
        n_evidence_at::integer as n_evidence_at,
        n_records_next::integer as n_records_next,
        n_proficient_next::integer as n_proficient_next,
        round(pct_proficient_next, 1) as pct_proficient_next,
        n_evidence_next::integer as n_evidence_next,
        round(pct_proficient_next - pct_proficient_at, 1) as change_points,
        $method as method
    from plc_meeting_focus($school_ids, $method, $cut, $decaying_weight, $most_recent_n)
    where $school_year is null or school_year = $school_year
    order by school_id, team, met_on
)

select * from final
