-- Growth within a standard: first vs latest evidence on the 0-4 scale, by student group, with the gap to other students.
-- param school_year: default null
-- param content_area: default null
-- param school_id: default null
-- param grade_level: default null
-- param group_by: default is_ell choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- privacy: kind=students n=n_students reference_n=reference_n siblings=school_year,content_area,group_by values=n_student_standards,mean_first,mean_latest,mean_growth pct=pct_improved gap_values=reference_n,reference_growth,growth_gap,growth_gap_low,growth_gap_high,growth_gap_significant
--
-- For every student x standard with at least two pieces of evidence in the school year
-- (mart_continuum_students, from mart_standard_scores): the first piece (score_first) and the latest
-- (score_most_recent; several scores on one day are one piece, their mean). A student's growth in a content
-- area is the mean of latest - first over those standards; a group's figures are means over its students
-- (each student weighs the same), pct_improved is the share of its students whose mean growth is above zero,
-- and the gap is the group's mean growth minus that of all other students, with a 95% normal-approximation
-- interval.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_continuum_students)) as school_year
),

per_student as (
    select
        m.student_id,
        m.content_area,
        group_value($group_by, e.gender, e.race_ethnicity, e.is_ell, e.is_iep, e.is_504, e.is_econ_disadv)
            as group_value,
        m.n_growth as n_standards,
        m.first_sum / m.n_growth as first_mean,
        m.latest_sum / m.n_growth as latest_mean,
        (m.latest_sum - m.first_sum) / m.n_growth as growth
    from mart_continuum_students as m
    join params as p on m.school_year = p.school_year
    join enrollments as e on e.school_year = m.school_year and e.student_id = m.student_id
    where m.n_growth > 0
      and ($content_area is null or m.content_area = $content_area)
      and ($school_ids is null or list_contains($school_ids, e.school_id))
      and ($school_id is null or e.school_id = $school_id)
      and ($grade_level is null or e.grade_level = $grade_level::integer)
),

groups as (
    select
        content_area,
        group_value,
        count(*)::double as n,
        sum(n_standards) as n_standards,
        sum(first_mean) as first_sum,
        sum(latest_mean) as latest_sum,
        sum(growth) as growth_sum,
        sum(growth * growth) as growth_squares,
        count(*) filter (where growth > 0) as n_improved
    from per_student
    group by content_area, group_value
),

totals as (
    select content_area, sum(n) as n, sum(growth_sum) as growth_sum, sum(growth_squares) as growth_squares
    from groups
    group by content_area
),

measured as (
    select
        g.*,
        t.n - g.n as ref_n,
        g.growth_sum / g.n as growth_mean,
        (t.growth_sum - g.growth_sum) / nullif(t.n - g.n, 0) as ref_growth_mean,
        greatest((g.growth_squares - g.growth_sum * g.growth_sum / g.n) / nullif(g.n - 1, 0), 0) as growth_var,
        greatest(((t.growth_squares - g.growth_squares) - (t.growth_sum - g.growth_sum) ^ 2 / nullif(t.n - g.n, 0))
                 / nullif(t.n - g.n - 1, 0), 0) as ref_growth_var
    from groups as g
    join totals as t using (content_area)
),

with_intervals as (
    select
        *,
        growth_mean - ref_growth_mean as gap_raw,
        1.959964 * sqrt(growth_var / n + ref_growth_var / ref_n) as gap_half
    from measured
),

final as (
    select
        (select school_year from params) as school_year,
        content_area,
        $group_by as group_by,
        group_value,
        n::integer as n_students,
        n_standards::integer as n_student_standards,
        round(first_sum / n, 2) as mean_first,
        round(latest_sum / n, 2) as mean_latest,
        round(growth_mean, 3) as mean_growth,
        round(100 * n_improved / n, 2) as pct_improved,
        ref_n::integer as reference_n,
        round(ref_growth_mean, 3) as reference_growth,
        round(gap_raw, 3) as growth_gap,
        round(gap_raw - gap_half, 3) as growth_gap_low,
        round(gap_raw + gap_half, 3) as growth_gap_high,
        coalesce(abs(gap_raw) > gap_half, false) as growth_gap_significant
    from with_intervals
    order by content_area, group_value
)

select * from final
