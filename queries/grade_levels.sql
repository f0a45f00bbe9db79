-- The grade levels enrolled in the viewer's schools.
-- privacy: kind=none
with final as (
    select distinct grade_level
    from enrollments
    where grade_level is not null and ($school_ids is null or list_contains($school_ids, school_id))
    order by grade_level
)

select * from final
