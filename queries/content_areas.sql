-- The content areas that have calculated scores.
-- privacy: kind=none
with final as (
    select distinct content_area from mart_content_area_scores order by content_area
)

select * from final
