-- Staff views of each mode of professional learning: percent favorable on the survey items tagged with a mode ("coaching is useful to my practice", "I want more coaching"), by school and wave.
-- param wave: default null
-- param by: default school choices school,district
-- privacy: kind=survey n=n_respondents values=n_favorable,pct_favorable,mean_value siblings=sibling_group
--
-- Items carry their mode in survey_items.learning_mode (the item map's `mode`, or a long file's learning_mode
-- column); `construct` tells the question apart (learning_useful, learning_want_more in the demo district;
-- 'all' when an item has none). Favorable as in queries/survey_favorability.sql: the
-- top two points of a 4- or 5-point scale, top three of 6 or 7, reverse-worded items flipped, N/A left out.
-- Scoped to the viewer's schools; survey minimums apply.
with answers as (
    select
        r.survey_id, r.wave, r.response_id,
        case when $by = 'school' then r.school_id else 'all' end as school_id,
        i.learning_mode as mode,
        coalesce(i.construct, 'all') as question,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        i.scale_points,
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    where i.learning_mode is not null
      and i.scale_points is not null
      and r.value is not null
      and ($wave is null or r.wave = $wave)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

final as (
    select
        a.survey_id, a.wave, a.school_id,
        case when a.school_id = 'all' then 'All schools' else coalesce(s.school_name, a.school_id) end as school_name,
        a.mode, a.question,
        count(distinct a.response_id)::integer as n_respondents,
        count(*) filter (where a.value > a.scale_points - a.n_top)::integer as n_favorable,
        round(100.0 * count(*) filter (where a.value > a.scale_points - a.n_top) / count(*), 1) as pct_favorable,
        round(avg(a.value), 2) as mean_value,
        concat_ws('|', a.survey_id, a.wave, a.mode, a.question) as sibling_group
    from answers as a
    left join schools as s on s.school_id = a.school_id
    group by all
    order by a.wave, a.school_id, a.mode, a.question
)

select * from final
