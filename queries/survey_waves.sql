-- The surveys and waves in the warehouse, for filters.
-- privacy: kind=none
with waves as (
    select distinct survey_id, wave
    from survey_responses
    where ($school_ids is null or list_contains($school_ids, school_id))
),

final as (
    select survey_id, wave
    from waves
    order by survey_id, wave
)

select * from final
