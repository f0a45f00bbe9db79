-- Response rates: respondents (anyone who answered at least one item) over staff invited, by school and role.
-- param survey_id: default null
-- param wave: default null
-- param school_id: default null
-- param by: default school_role choices school_role,school,role,district
-- privacy: kind=survey n=n_respondents values=response_rate
with respondents as (
    select
        survey_id,
        wave,
        case when $by in ('school_role', 'school') then school_id else 'all' end as school_id,
        case when $by in ('school_role', 'role') then role else 'all' end as role,
        count(distinct response_id) as n_respondents
    from survey_responses
    where ($survey_id is null or survey_id = $survey_id)
      and ($wave is null or wave = $wave)
      and ($school_id is null or school_id = $school_id)
      and ($school_ids is null or list_contains($school_ids, school_id))
    group by all
),

invited as (
    select
        survey_id,
        wave,
        case when $by in ('school_role', 'school') then school_id else 'all' end as school_id,
        case when $by in ('school_role', 'role') then role else 'all' end as role,
        sum(n_invited) as n_invited
    from survey_invited
    where ($survey_id is null or survey_id = $survey_id)
      and ($wave is null or wave = $wave)
      and ($school_id is null or school_id = $school_id)
      and ($school_ids is null or list_contains($school_ids, school_id))
    group by all
),

final as (
    select
        coalesce(r.survey_id, i.survey_id) as survey_id,
        coalesce(r.wave, i.wave) as wave,
        coalesce(r.school_id, i.school_id) as school_id,
        case when coalesce(r.school_id, i.school_id) = 'all' then 'All schools'
            else coalesce(s.school_name, r.school_id, i.school_id, 'School not given') end as school_name,
        coalesce(r.role, i.role) as role,
        i.n_invited::integer as n_invited,
        coalesce(r.n_respondents, 0)::integer as n_respondents,
        round(100.0 * coalesce(r.n_respondents, 0) / nullif(i.n_invited, 0), 1) as response_rate
    from respondents as r
    full outer join invited as i
        on i.survey_id = r.survey_id and i.wave = r.wave
       and i.school_id is not distinct from r.school_id and i.role is not distinct from r.role
    left join schools as s on s.school_id = coalesce(r.school_id, i.school_id)
    order by survey_id, wave, school_id nulls last, role nulls last
)

select * from final
