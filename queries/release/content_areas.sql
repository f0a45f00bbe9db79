-- The content areas the public release holds.
-- privacy: kind=none
with final as (
    select distinct content_area from release_proficiency order by content_area
)

select * from final
