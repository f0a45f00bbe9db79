-- Opportunity to learn: evidence per student and share of grade-level standards with sufficient evidence, by student group, with the gap to other students.
-- param school_year: default null
-- param content_area: default null
-- param school_id: default null
-- param grade_level: default null
-- param course_id: default null
-- param teacher_id: default null
-- param term: default null
-- param min_evidence: default district
-- param group_by: default is_ell choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_year,content_area,group_by values=evidence_per_student,evidence_per_student_standard pct=pct_standards_assessed,pct_standards_sufficient gap_values=reference_n,reference_evidence_per_student_standard,reference_pct_sufficient,evidence_gap,evidence_gap_low,evidence_gap_high,evidence_gap_significant,sufficient_gap_pp,sufficient_gap_low,sufficient_gap_high,sufficient_gap_significant
--
-- Per student and content area (docs/numbers.md, continuum coverage by student group): the standards of
-- the continuum level the student's grade is taught from (as in continuum_coverage), the pieces of evidence
-- on them (several scores on one day are one piece), how many were assessed, and how many have at least
-- min_evidence pieces. Every enrolled student counts, unassessed ones with zeros; for a chosen course or
-- teacher, the students with a mark on their grade's standards there. A group's figures are means over its
-- students: evidence_per_student (pieces), evidence_per_student_standard (pieces / the grade's standards),
-- pct_standards_assessed and pct_standards_sufficient (of the grade's standards). Gaps are the group minus
-- all other students, with a 95% normal-approximation interval for a difference of means.
with params as (
    select coalesce($school_year, (select max(school_year) from enrollments)) as school_year
),

enrolled as (
    select
        e.student_id,
        e.grade_level,
        group_value($group_by, e.gender, e.race_ethnicity, e.is_ell, e.is_iep, e.is_504, e.is_econ_disadv)
            as group_value
    from enrollments as e, params as p
    where e.school_year = p.school_year
      and e.grade_level is not null
      and ($school_ids is null or list_contains($school_ids, e.school_id))
      and ($school_id is null or e.school_id = $school_id)
      and ($grade_level is null or e.grade_level = $grade_level::integer)
),

grade_levels as (
    -- the level each grade is taught from (mart_continuum_grades: its own, or a band's) and its standards
    select grade_level, content_area, continuum_level, n_standards
    from mart_continuum_grades
    where ($content_area is null or content_area = $content_area)
),

whole_year as (
    -- whole grades, whole year: every enrolled student, with mart_continuum_students' pieces (none: zeros)
    select
        n.student_id,
        n.group_value,
        l.content_area,
        l.n_standards,
        coalesce(m.n_pieces, 0) as n_pieces,
        coalesce(m.n_assessed, 0) as n_assessed,
        coalesce(len(list_filter(m.pieces, lambda x: x >= $min_evidence)), 0) as n_sufficient
    from enrolled as n
    join grade_levels as l on l.grade_level = n.grade_level
    left join mart_continuum_students as m
        on m.school_year = (select school_year from params)
        and m.student_id = n.student_id
        and m.content_area = l.content_area
    where not ($course_id is not null or $teacher_id is not null or $term is not null)
),

marks as (
    -- a term, course or teacher: the marks of the scope's students on their grade's standards
    select n.student_id, n.group_value, l.content_area, l.n_standards, s.standard_code, s.assessed_on, s.score
    from scores as s
    join params as p on s.school_year = p.school_year
    join enrolled as n on n.student_id = s.student_id
    join standards as g on g.standard_code = s.standard_code
    join grade_levels as l
        on l.grade_level = n.grade_level and l.content_area = g.content_area and l.continuum_level = g.continuum_level
    -- the conditions are written out (not read from params) so that the planner drops the scan of scores
    where ($course_id is not null or $teacher_id is not null or $term is not null)
      and (not ($course_id is not null or $teacher_id is not null) or $school_id is null or s.school_id = $school_id)  -- the school's own courses
      and ($course_id is null or s.course_id = $course_id)
      and ($teacher_id is null or s.teacher_id = $teacher_id)
      and ($term is null or s.term = $term)
),

marked_standards as (
    select
        student_id, group_value, content_area, n_standards, standard_code,
        count(distinct assessed_on) filter (where score is not null)
            + (count(*) filter (where score is not null and assessed_on is null) > 0)::integer as n_pieces
    from marks
    group by all
),

in_scope as (
    -- everyone enrolled (a term), or the students the course or teacher marked
    select n.student_id, n.group_value, l.content_area, l.n_standards
    from enrolled as n
    join grade_levels as l on l.grade_level = n.grade_level
    where $term is not null and $course_id is null and $teacher_id is null
    union
    select student_id, group_value, content_area, n_standards
    from marks
    where ($course_id is not null or $teacher_id is not null)
),

from_marks as (
    select
        i.student_id,
        i.group_value,
        i.content_area,
        i.n_standards,
        coalesce(sum(t.n_pieces), 0) as n_pieces,
        count(t.standard_code) filter (where t.n_pieces > 0) as n_assessed,
        count(t.standard_code) filter (where t.n_pieces >= $min_evidence) as n_sufficient
    from in_scope as i
    left join marked_standards as t on t.student_id = i.student_id and t.content_area = i.content_area
    group by i.student_id, i.group_value, i.content_area, i.n_standards
),

per_student as (
    select * from whole_year
    union all
    select * from from_marks
),

rates as (
    select
        *,
        n_pieces / n_standards as evidence_rate,
        n_assessed / n_standards as assessed_share,
        n_sufficient / n_standards as sufficient_share
    from per_student
),

groups as (
    select
        content_area,
        group_value,
        count(*)::double as n,
        sum(n_pieces) as pieces_sum,
        sum(evidence_rate) as evidence_sum,
        sum(evidence_rate * evidence_rate) as evidence_squares,
        sum(assessed_share) as assessed_sum,
        sum(sufficient_share) as sufficient_sum,
        sum(sufficient_share * sufficient_share) as sufficient_squares
    from rates
    group by content_area, group_value
),

totals as (
    select
        content_area,
        sum(n) as n,
        sum(evidence_sum) as evidence_sum,
        sum(evidence_squares) as evidence_squares,
        sum(sufficient_sum) as sufficient_sum,
        sum(sufficient_squares) as sufficient_squares
    from groups
    group by content_area
),

measured as (
    select
        g.*,
        t.n - g.n as ref_n,
        g.evidence_sum / g.n as evidence_mean,
        g.sufficient_sum / g.n as sufficient_mean,
        (t.evidence_sum - g.evidence_sum) / nullif(t.n - g.n, 0) as ref_evidence_mean,
        (t.sufficient_sum - g.sufficient_sum) / nullif(t.n - g.n, 0) as ref_sufficient_mean,
        greatest((g.evidence_squares - g.evidence_sum * g.evidence_sum / g.n) / nullif(g.n - 1, 0), 0)
            as evidence_var,
        greatest((g.sufficient_squares - g.sufficient_sum * g.sufficient_sum / g.n) / nullif(g.n - 1, 0), 0)
            as sufficient_var,
        greatest(((t.evidence_squares - g.evidence_squares)
                  - (t.evidence_sum - g.evidence_sum) ^ 2 / nullif(t.n - g.n, 0)) / nullif(t.n - g.n - 1, 0), 0)
            as ref_evidence_var,
        greatest(((t.sufficient_squares - g.sufficient_squares)
                  - (t.sufficient_sum - g.sufficient_sum) ^ 2 / nullif(t.n - g.n, 0)) / nullif(t.n - g.n - 1, 0), 0)
            as ref_sufficient_var
    from groups as g
    join totals as t using (content_area)
),

with_intervals as (
    select
        *,
        evidence_mean - ref_evidence_mean as evidence_gap_raw,
        1.959964 * sqrt(evidence_var / n + ref_evidence_var / ref_n) as evidence_half,
        sufficient_mean - ref_sufficient_mean as sufficient_gap_raw,
        1.959964 * sqrt(sufficient_var / n + ref_sufficient_var / ref_n) as sufficient_half
    from measured
),

final as (
    select
        (select school_year from params) as school_year,
        content_area,
        $group_by as group_by,
        group_value,
        n::integer as n_students,
        round(pieces_sum / n, 2) as evidence_per_student,
        round(evidence_mean, 3) as evidence_per_student_standard,
        round(100 * assessed_sum / n, 2) as pct_standards_assessed,
        round(100 * sufficient_mean, 2) as pct_standards_sufficient,
        ref_n::integer as reference_n,
        round(ref_evidence_mean, 3) as reference_evidence_per_student_standard,
        round(100 * ref_sufficient_mean, 2) as reference_pct_sufficient,
        round(evidence_gap_raw, 3) as evidence_gap,
        round(evidence_gap_raw - evidence_half, 3) as evidence_gap_low,
        round(evidence_gap_raw + evidence_half, 3) as evidence_gap_high,
        coalesce(abs(evidence_gap_raw) > evidence_half, false) as evidence_gap_significant,
        round(100 * sufficient_gap_raw, 2) as sufficient_gap_pp,
        round(100 * (sufficient_gap_raw - sufficient_half), 2) as sufficient_gap_low,
        round(100 * (sufficient_gap_raw + sufficient_half), 2) as sufficient_gap_high,
        coalesce(abs(sufficient_gap_raw) > sufficient_half, false) as sufficient_gap_significant,
        $min_evidence::integer as min_evidence
    from with_intervals
    order by content_area, group_value
)

select * from final
