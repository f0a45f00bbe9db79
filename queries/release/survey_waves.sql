-- The surveys and waves the public release holds.
-- privacy: kind=none
with final as (
    select distinct survey_id, wave from release_survey order by survey_id, wave
)

select * from final
