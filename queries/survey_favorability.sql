-- Percent favorable of each survey item, or of each construct (the mean of its items), by wave, school and role.
-- param survey_id: default null
-- param wave: default null
-- param school_id: default null
-- param role: default null
-- param construct: default null
-- param level: default item choices item,construct
-- param by: default school_role choices school_role,school,role,district
-- privacy: kind=survey n=n_respondents values=n_favorable,pct_favorable,mean_value siblings=sibling_group
with answers as (
    -- scored answers only; reverse-coded items flipped so that a high value is always favorable;
    -- N/A and Don't know answers have no value and are left out
    select
        r.survey_id,
        r.wave,
        r.response_id,
        case when $by in ('school_role', 'school') then r.school_id else 'all' end as school_id,
        case when $by in ('school_role', 'role') then r.role else 'all' end as role,
        i.construct,
        r.item_id,
        i.item_text,
        i.is_reverse_coded,
        i.scale_points,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        -- favorable: the top points of the scale (warehouse macro favorable_points; docs/numbers.md)
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    where i.scale_points is not null
      and r.value is not null
      and ($survey_id is null or r.survey_id = $survey_id)
      and ($wave is null or r.wave = $wave)
      and ($school_id is null or r.school_id = $school_id)
      and ($role is null or r.role = $role)
      and ($construct is null or i.construct = $construct)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

items as (
    select
        survey_id, wave, school_id, role, construct, item_id,
        any_value(item_text) as item_text,
        bool_or(is_reverse_coded) as is_reverse_coded,
        max(scale_points) as scale_points,
        count(*) as n_answers,
        count(*) filter (where value > scale_points - n_top) as n_favorable,
        avg(value) as mean_value
    from answers
    group by survey_id, wave, school_id, role, construct, item_id
),

construct_respondents as (
    select survey_id, wave, school_id, role, construct, count(distinct response_id) as n_respondents
    from answers
    where construct is not null
    group by survey_id, wave, school_id, role, construct
),

item_rows as (
    select
        survey_id, wave, school_id, role, 'item' as level, construct, item_id, item_text, is_reverse_coded,
        scale_points, 1 as n_items, n_answers as n_respondents, n_favorable,
        round(100.0 * n_favorable / n_answers, 1) as pct_favorable,
        round(mean_value, 2) as mean_value
    from items
    where $level = 'item'
),

construct_rows as (
    -- construct score: the mean of its items' percent favorable
    select
        i.survey_id, i.wave, i.school_id, i.role, 'construct' as level, i.construct,
        null::varchar as item_id, i.construct as item_text, null::boolean as is_reverse_coded,
        max(i.scale_points) as scale_points, count(*) as n_items, any_value(c.n_respondents) as n_respondents,
        null::bigint as n_favorable,
        round(avg(100.0 * i.n_favorable / i.n_answers), 1) as pct_favorable,
        round(avg(i.mean_value), 2) as mean_value
    from items as i
    join construct_respondents as c
        on c.survey_id = i.survey_id and c.wave = i.wave and c.construct = i.construct
       and c.school_id is not distinct from i.school_id and c.role is not distinct from i.role
    where $level = 'construct'
    group by i.survey_id, i.wave, i.school_id, i.role, i.construct
),

final as (
    select
        x.survey_id,
        x.wave,
        x.school_id,
        case when x.school_id = 'all' then 'All schools' else coalesce(s.school_name, x.school_id, 'School not given') end
            as school_name,
        x.role,
        x.level,
        x.construct,
        x.item_id,
        x.item_text,
        x.is_reverse_coded,
        x.scale_points,
        x.n_items,
        x.n_respondents,
        x.n_favorable,
        x.pct_favorable,
        x.mean_value,
        -- cells that add up to a published total: roles within a school, or schools within the district
        concat_ws('|', x.survey_id, x.wave, coalesce(x.item_id, x.construct),
                  case when $by = 'school' then x.role else coalesce(x.school_id, '(none)') end) as sibling_group
    from (select * from item_rows union all select * from construct_rows) as x
    left join schools as s on s.school_id = x.school_id
    order by x.survey_id, x.wave, x.school_id nulls last, x.role nulls last, x.construct nulls last, x.item_id
)

select * from final
