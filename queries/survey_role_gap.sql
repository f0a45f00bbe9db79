-- Do leaders and teachers see the same school? Leaders' minus teachers' percent favorable per construct.
-- param survey_id: default null
-- param wave: default null
-- param school_id: default null
-- param construct: default null
-- param by: default district choices school,district
-- param leader_role: default leader
-- param teacher_role: default teacher
-- privacy: kind=survey n=n_leaders reference_n=n_teachers values=leader_pct siblings=sibling_group gap_values=teacher_pct,gap_pp
with answers as (
    select
        r.survey_id,
        r.wave,
        r.response_id,
        case when $by = 'school' then r.school_id else 'all' end as school_id,
        r.role,
        i.construct,
        r.item_id,
        i.scale_points,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    where i.scale_points is not null
      and i.construct is not null
      and r.value is not null
      and r.role in ($leader_role, $teacher_role)
      and ($survey_id is null or r.survey_id = $survey_id)
      and ($wave is null or r.wave = $wave)
      and ($school_id is null or r.school_id = $school_id)
      and ($construct is null or i.construct = $construct)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

items as (
    select survey_id, wave, school_id, role, construct, item_id,
        100.0 * count(*) filter (where value > scale_points - n_top) / count(*) as pct_favorable
    from answers
    group by survey_id, wave, school_id, role, construct, item_id
),

respondents as (
    select survey_id, wave, school_id, role, construct, count(distinct response_id) as n_respondents
    from answers
    group by survey_id, wave, school_id, role, construct
),

scores as (
    select i.survey_id, i.wave, i.school_id, i.role, i.construct, avg(i.pct_favorable) as pct_favorable,
        any_value(r.n_respondents) as n_respondents
    from items as i
    join respondents as r
        on r.survey_id = i.survey_id and r.wave = i.wave and r.construct = i.construct and r.role = i.role
       and r.school_id is not distinct from i.school_id
    group by i.survey_id, i.wave, i.school_id, i.role, i.construct
),

final as (
    select
        l.survey_id,
        l.wave,
        l.school_id,
        case when l.school_id = 'all' then 'All schools' else coalesce(s.school_name, l.school_id, 'School not given') end
            as school_name,
        l.construct,
        l.n_respondents as n_leaders,
        round(l.pct_favorable, 1) as leader_pct,
        t.n_respondents as n_teachers,
        round(t.pct_favorable, 1) as teacher_pct,
        round(l.pct_favorable - t.pct_favorable, 1) as gap_pp,
        concat_ws('|', l.survey_id, l.wave, l.construct) as sibling_group
    from scores as l
    join scores as t
        on t.survey_id = l.survey_id and t.wave = l.wave and t.construct = l.construct
       and t.school_id is not distinct from l.school_id and t.role = $teacher_role
    left join schools as s on s.school_id = l.school_id
    where l.role = $leader_role
    order by l.survey_id, l.wave, l.school_id nulls last, l.construct
)

select * from final
