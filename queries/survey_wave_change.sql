-- Change in each construct score between two waves (default: the latest wave and the one before it), by school.
-- param survey_id: default null
-- param wave: default null
-- param prior_wave: default null
-- param role: default null
-- param construct: default null
-- param by: default school choices school,district
-- privacy: kind=survey n=n_respondents reference_n=prior_n values=pct_favorable siblings=sibling_group gap_values=prior_pct,change_pp
with waves as (
    select distinct survey_id, wave
    from survey_responses
    where ($survey_id is null or survey_id = $survey_id)
),

latest as (
    select survey_id, coalesce($wave, max(wave)) as wave
    from waves
    group by survey_id
),

chosen as (
    -- waves sort as text (2024-25 before 2025-26); pass prior_wave when they do not
    select
        l.survey_id,
        l.wave,
        coalesce($prior_wave, (select max(w.wave) from waves as w where w.survey_id = l.survey_id and w.wave < l.wave))
            as prior_wave
    from latest as l
),

answers as (
    select
        r.survey_id,
        r.wave,
        r.response_id,
        case when $by = 'school' then r.school_id else 'all' end as school_id,
        i.construct,
        r.item_id,
        i.scale_points,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    join chosen as c on c.survey_id = r.survey_id and r.wave in (c.wave, c.prior_wave)
    where i.scale_points is not null
      and i.construct is not null
      and r.value is not null
      and ($role is null or r.role = $role)
      and ($construct is null or i.construct = $construct)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

items as (
    select survey_id, wave, school_id, construct, item_id,
        100.0 * count(*) filter (where value > scale_points - n_top) / count(*) as pct_favorable
    from answers
    group by survey_id, wave, school_id, construct, item_id
),

respondents as (
    select survey_id, wave, school_id, construct, count(distinct response_id) as n_respondents
    from answers
    group by survey_id, wave, school_id, construct
),

scores as (
    select i.survey_id, i.wave, i.school_id, i.construct, avg(i.pct_favorable) as pct_favorable,
        any_value(r.n_respondents) as n_respondents
    from items as i
    join respondents as r
        on r.survey_id = i.survey_id and r.wave = i.wave and r.construct = i.construct
       and r.school_id is not distinct from i.school_id
    group by i.survey_id, i.wave, i.school_id, i.construct
),

final as (
    select
        c.survey_id,
        c.wave,
        cur.school_id,
        case when cur.school_id = 'all' then 'All schools' else coalesce(s.school_name, cur.school_id, 'School not given') end
            as school_name,
        cur.construct,
        cur.n_respondents,
        round(cur.pct_favorable, 1) as pct_favorable,
        c.prior_wave,
        prior.n_respondents as prior_n,
        round(prior.pct_favorable, 1) as prior_pct,
        round(cur.pct_favorable - prior.pct_favorable, 1) as change_pp,
        concat_ws('|', c.survey_id, c.wave, cur.construct) as sibling_group
    from chosen as c
    join scores as cur on cur.survey_id = c.survey_id and cur.wave = c.wave
    join scores as prior
        on prior.survey_id = c.survey_id and prior.wave = c.prior_wave and prior.construct = cur.construct
       and prior.school_id is not distinct from cur.school_id
    left join schools as s on s.school_id = cur.school_id
    order by c.survey_id, cur.construct, cur.school_id nulls last
)

select * from final
