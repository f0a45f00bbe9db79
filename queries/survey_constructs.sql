-- The constructs of each survey and how many scored items each has, for filters.
-- param survey_id: default null
-- privacy: kind=none
with items as (
    select survey_id, construct, item_id
    from survey_items
    where construct is not null
      and scale_points is not null
      and ($survey_id is null or survey_id = $survey_id)
      and exists (
          select 1 from survey_responses as r
          where r.survey_id = survey_items.survey_id and r.item_id = survey_items.item_id
            and ($school_ids is null or list_contains($school_ids, r.school_id)))
),

final as (
    select survey_id, construct, count(*) as n_items
    from items
    group by survey_id, construct
    order by survey_id, construct
)

select * from final
