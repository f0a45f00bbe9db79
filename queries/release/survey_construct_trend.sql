-- Share of staff who view each construct favorably, by wave (public release).
-- param survey_id: default null
-- param school_id: default null
-- param construct: default null
-- param by: default district choices school,district
-- privacy: kind=release people=survey n=n_respondents pct=pct_favorable
--
-- From the public release (docs/privacy.md): all roles together, for the district or each school (roles are
-- published district-wide only: see survey_role_gap). A respondent views a construct favorably when at least
-- half their answers to its items are favorable.
with final as (
    select
        r.survey_id,
        r.wave,
        coalesce(r.school_id, 'all') as school_id,
        case when r.scope = 'district' then 'All schools' else coalesce(s.school_name, r.school_id) end as school_name,
        r.construct,
        r.status,
        r.n_respondents,
        r.pct_favorable,
        r.pct_code,
        concat_ws('|', r.survey_id, r.wave, r.construct) as sibling_group
    from release_survey as r
    left join schools as s on s.school_id = r.school_id
    where r.role = 'all roles'
      and (($by = 'district' and $school_id is null and r.scope = 'district')
           or (($by = 'school' or $school_id is not null) and r.scope = 'school'
               and ($school_id is null or r.school_id = $school_id)
               and ($school_ids is null or list_contains($school_ids, r.school_id))))
      and ($survey_id is null or r.survey_id = $survey_id)
      and ($construct is null or r.construct = $construct)
    order by r.survey_id, r.construct, school_id, r.wave
)

select * from final
