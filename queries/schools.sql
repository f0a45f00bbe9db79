-- The schools the viewer may see, with their level.
-- privacy: kind=none
with final as (
    select school_id, school_name, level
    from schools
    where $school_ids is null or list_contains($school_ids, school_id)
    order by school_name
)

select * from final
