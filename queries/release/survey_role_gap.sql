-- Do leaders and teachers see the same school? Leaders' minus teachers' share favorable per construct (public release).
-- param survey_id: default null
-- param wave: default null
-- param construct: default null
-- param by: default district choices district
-- param leader_role: default leader
-- param teacher_role: default teacher
-- privacy: kind=release people=survey n=n_leaders pct=leader_pct,teacher_pct
--
-- From the public release (docs/privacy.md): roles are published district-wide only. A share favorable here
-- is the share of respondents who view the construct favorably (at least half their answers favorable).
with roles as (
    select * from release_survey
    where scope = 'district'
      and ($survey_id is null or survey_id = $survey_id)
      and ($wave is null or wave = $wave)
      and ($construct is null or construct = $construct)
),

final as (
    select
        l.survey_id,
        l.wave,
        'all' as school_id,
        'All schools' as school_name,
        l.construct,
        case when 'hidden' in (l.status, t.status) then 'hidden' else 'shown' end as status,
        l.n_respondents as n_leaders,
        l.pct_favorable as leader_pct,
        t.n_respondents as n_teachers,
        t.pct_favorable as teacher_pct,
        round(l.pct_favorable - t.pct_favorable, 1) as gap_pp,
        concat_ws('|', l.survey_id, l.wave, l.construct) as sibling_group
    from roles as l
    join roles as t on t.survey_id = l.survey_id and t.wave = l.wave and t.construct = l.construct
       and t.role = $teacher_role
    where l.role = $leader_role
    order by l.survey_id, l.wave, l.construct
)

select * from final
