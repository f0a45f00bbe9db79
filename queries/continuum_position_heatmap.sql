-- Continuum position heatmap: students by grade and by the highest continuum level they are proficient on.
-- param school_year: default null
-- param content_area: default math
-- param school_id: default null
-- param group_by: default all choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param group_value: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_grade values=n_students pct=pct_of_grade
--
-- One cell per grade x position level (mart_continuum_position; the level is the highest at which the student
-- is proficient on most of that level's assessed standards, null when there is none). The grade is the group
-- the gate measures, as in continuum_position_distribution (whose counts per grade are the same numbers): a
-- grade under the minimum shows n<10 and no cell, and in grades of 10-39 students a share near 0 or 100
-- shows as a bound with no count. `group_value` narrows the students to one group of `group_by`.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_continuum_position)) as school_year
),

positions as (
    select c.grade_level, c.grade_continuum_level, c.position_level, c.position
    from continuum_position($method, $cut) as c
    join params as p on c.school_year = p.school_year
    where c.content_area = $content_area
      and ($school_ids is null or list_contains($school_ids, c.school_id))
      and ($school_id is null or c.school_id = $school_id)
      and ($group_value is null
           or group_value($group_by, c.gender, c.race_ethnicity, c.is_ell, c.is_iep, c.is_504, c.is_econ_disadv)
              = $group_value)
),

cells as (
    select
        grade_level,
        any_value(grade_continuum_level) as grade_continuum_level,
        position_level,
        any_value(position) as position,
        count(*) as n
    from positions
    group by grade_level, position_level
),

final as (
    select
        (select school_year from params) as school_year,
        $content_area as content_area,
        grade_level,
        grade_continuum_level,
        position_level,
        position,
        n::integer as n_students,
        (sum(n) over (partition by grade_level))::integer as n_grade,
        round(100 * n / sum(n) over (partition by grade_level), 2) as pct_of_grade,
        $method as method,
        $cut as cut
    from cells
    order by grade_level, position_level nulls first
)

select * from final
