-- The school years the public release holds, newest first.
-- privacy: kind=none
with final as (
    select distinct school_year from release_proficiency order by school_year desc
)

select * from final
