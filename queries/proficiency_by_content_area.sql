-- Share of students proficient in each content area for a school year, by calculation method.
-- param school_year: default null
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students values=n_proficient,mean_score pct=pct_proficient
with params as (
    select coalesce($school_year, (select max(school_year) from mart_content_area_scores)) as school_year
),

status as (
    select c.*
    from mart_content_status as c, params as p
    where c.school_year = p.school_year
      and c.term is null
      and c.method = $method
      and ($school_ids is null or list_contains($school_ids, c.school_id))
),

final as (
    select
        (select school_year from params) as school_year,
        content_area,
        $method as method,
        count(*) as n_students,
        count(*) filter (where content_score >= $cut) as n_proficient,
        round(100.0 * count(*) filter (where content_score >= $cut) / count(*), 1) as pct_proficient,
        round(avg(content_score), 2) as mean_score
    from status
    group by content_area
    order by content_area
)

select * from final
