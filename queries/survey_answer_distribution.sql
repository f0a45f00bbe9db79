-- How each item was answered, point by point (least to most favorable, reverse-coded items flipped), for diverging bars.
-- param survey_id: default null
-- param wave: default null
-- param school_id: default null
-- param role: default null
-- param construct: default null
-- param by: default district choices school_role,school,role,district
-- privacy: kind=survey n=n_respondents values=answer_counts,n_not_answered,pct_favorable siblings=sibling_group
with answers as (
    select
        r.survey_id,
        r.wave,
        case when $by in ('school_role', 'school') then r.school_id else 'all' end as school_id,
        case when $by in ('school_role', 'role') then r.role else 'all' end as role,
        i.construct,
        r.item_id,
        i.item_text,
        i.is_reverse_coded,
        i.scale_points,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    where i.scale_points is not null
      and ($survey_id is null or r.survey_id = $survey_id)
      and ($wave is null or r.wave = $wave)
      and ($school_id is null or r.school_id = $school_id)
      and ($role is null or r.role = $role)
      and ($construct is null or i.construct = $construct)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

points as (
    select survey_id, wave, school_id, role, construct, item_id, value, count(*) as n
    from answers
    where value is not null
    group by all
),

items as (
    select
        survey_id, wave, school_id, role, construct, item_id,
        any_value(item_text) as item_text,
        bool_or(is_reverse_coded) as is_reverse_coded,
        max(scale_points) as scale_points,
        count(value) as n_respondents,
        count(*) - count(value) as n_not_answered,
        round(100.0 * count(*) filter (where value > scale_points - n_top) / nullif(count(value), 0), 1) as pct_favorable
    from answers
    group by survey_id, wave, school_id, role, construct, item_id
),

final as (
    select
        i.survey_id,
        i.wave,
        i.school_id,
        case when i.school_id = 'all' then 'All schools' else coalesce(s.school_name, i.school_id, 'School not given') end
            as school_name,
        i.role,
        i.construct,
        i.item_id,
        i.item_text,
        i.is_reverse_coded,
        i.scale_points,
        i.n_respondents,
        i.n_not_answered,
        i.pct_favorable,
        -- answers at points 1..scale_points, least favorable first
        (select list(coalesce(p.n, 0) order by k.point)
         from range(1, i.scale_points + 1) as k(point)
         left join points as p
            on p.survey_id = i.survey_id and p.wave = i.wave and p.item_id = i.item_id and p.value = k.point
           and p.school_id is not distinct from i.school_id and p.role is not distinct from i.role) as answer_counts,
        concat_ws('|', i.survey_id, i.wave, i.item_id,
                  case when $by = 'school' then i.role else coalesce(i.school_id, '(none)') end) as sibling_group
    from items as i
    left join schools as s on s.school_id = i.school_id
    where i.n_respondents + i.n_not_answered > 0
    order by i.survey_id, i.wave, i.school_id nulls last, i.role nulls last, i.construct nulls last, i.item_id
)

select * from final
