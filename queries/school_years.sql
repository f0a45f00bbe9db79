-- The school years the warehouse holds, newest first.
-- privacy: kind=none
with years as (
    select distinct school_year from enrollments
    union
    select distinct school_year from scores
),

final as (
    select school_year from years order by school_year desc
)

select * from final
