-- Construct scores (mean percent favorable of the construct's items) by school and wave, for trend lines.
-- param survey_id: default null
-- param school_id: default null
-- param role: default null
-- param construct: default null
-- param by: default school choices school,district
-- privacy: kind=survey n=n_respondents values=pct_favorable,mean_value siblings=sibling_group
with answers as (
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
    where i.scale_points is not null
      and i.construct is not null
      and r.value is not null
      and ($survey_id is null or r.survey_id = $survey_id)
      and ($school_id is null or r.school_id = $school_id)
      and ($role is null or r.role = $role)
      and ($construct is null or i.construct = $construct)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

items as (
    select
        survey_id, wave, school_id, construct, item_id,
        100.0 * count(*) filter (where value > scale_points - n_top) / count(*) as pct_favorable,
        avg(value) as mean_value
    from answers
    group by survey_id, wave, school_id, construct, item_id
),

respondents as (
    select survey_id, wave, school_id, construct, count(distinct response_id) as n_respondents
    from answers
    group by survey_id, wave, school_id, construct
),

final as (
    select
        i.survey_id,
        i.wave,
        i.school_id,
        case when i.school_id = 'all' then 'All schools' else coalesce(s.school_name, i.school_id, 'School not given') end
            as school_name,
        i.construct,
        count(*) as n_items,
        any_value(r.n_respondents) as n_respondents,
        round(avg(i.pct_favorable), 1) as pct_favorable,
        round(avg(i.mean_value), 2) as mean_value,
        concat_ws('|', i.survey_id, i.wave, i.construct) as sibling_group
    from items as i
    join respondents as r
        on r.survey_id = i.survey_id and r.wave = i.wave and r.construct = i.construct
       and r.school_id is not distinct from i.school_id
    left join schools as s on s.school_id = i.school_id
    group by i.survey_id, i.wave, i.school_id, s.school_name, i.construct
    order by i.survey_id, i.construct, i.school_id nulls last, i.wave
)

select * from final
