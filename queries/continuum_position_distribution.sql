-- Continuum position: how many students work below, at or above their grade's level on the continuum, by grade and by student group.
-- param school_year: default null
-- param content_area: default math
-- param school_id: default null
-- param grade_level: default null
-- param group_by: default all choices all,gender,race_ethnicity,is_ell,is_iep,is_504,is_econ_disadv
-- param grades: default each choices each,pooled
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students siblings=school_year,content_area,grade_level values=n_below,n_at,n_above,n_none pct=pct_below,pct_at,pct_above,pct_none
--
-- A student's position (docs/numbers.md, mart_continuum_position): the highest continuum level at which
-- the student is proficient (calculated score >= cut, by the method) on most (> 50%) of that level's assessed
-- standards, compared with the level the grade is taught from: below, at, above; `none` when no level
-- qualifies (typically: assessed on grade-level standards only and not yet proficient on most of them).
-- Rows: each grade x group (`grades` each), or each group over all the grades in scope (`grades` pooled,
-- grade_level null). One or the other, never both in one answer: a small group hidden in one grade could
-- otherwise be recovered from the pooled row minus the other grades.
with params as (
    select coalesce($school_year, (select max(school_year) from mart_continuum_position)) as school_year
),

positions as (
    select
        c.grade_level,
        c.position,
        group_value($group_by, c.gender, c.race_ethnicity, c.is_ell, c.is_iep, c.is_504, c.is_econ_disadv)
            as group_value
    from continuum_position($method, $cut) as c
    join params as p on c.school_year = p.school_year
    where c.content_area = $content_area
      and ($school_ids is null or list_contains($school_ids, c.school_id))
      and ($school_id is null or c.school_id = $school_id)
      and ($grade_level is null or c.grade_level = $grade_level::integer)
),

counted as (
    select
        case when $grades = 'each' then grade_level end as grade_level,
        group_value,
        count(*) as n,
        count(*) filter (where position = 'below') as n_below,
        count(*) filter (where position = 'at') as n_at,
        count(*) filter (where position = 'above') as n_above,
        count(*) filter (where position = 'none') as n_none
    from positions
    group by all
),

final as (
    select
        (select school_year from params) as school_year,
        $content_area as content_area,
        grade_level,
        $group_by as group_by,
        group_value,
        n::integer as n_students,
        n_below::integer as n_below,
        n_at::integer as n_at,
        n_above::integer as n_above,
        n_none::integer as n_none,
        round(100 * n_below / n, 2) as pct_below,
        round(100 * n_at / n, 2) as pct_at,
        round(100 * n_above / n, 2) as pct_above,
        round(100 * n_none / n, 2) as pct_none,
        $method as method,
        $cut as cut
    from counted
    order by grade_level nulls last, group_value
)

select * from final
