-- Each school's implementation stage (Exploring, Emerging, Proficient, Breakthrough) by year and domain.
-- param school_year: default null
-- param domain: default null
-- privacy: kind=none
with ratings as (
    select
        r.school_id,
        r.school_year,
        r.domain,
        r.stage,
        case r.stage when 'Exploring' then 1 when 'Emerging' then 2 when 'Proficient' then 3
            when 'Breakthrough' then 4 end as stage_rank
    from implementation_ratings as r
    where ($school_year is null or r.school_year = $school_year)
      and ($domain is null or r.domain = $domain)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

final as (
    select
        r.school_id,
        coalesce(s.school_name, r.school_id) as school_name,
        r.school_year,
        r.domain,
        r.stage,
        r.stage_rank
    from ratings as r
    left join schools as s using (school_id)
    order by r.school_id, r.school_year, r.domain
)

select * from final
