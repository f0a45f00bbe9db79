-- Every piece of evidence with its group id, oldest first within each group: the input of
-- etl/calculations.py. A piece counts once for its year and once for its term.
with pieces as (
    select k.group_id, e.assessed_on, e.day_score
    from mart_evidence as e
    join standard_keys as k
        on k.term is null
        and k.school_year = e.school_year
        and k.student_id = e.student_id
        and k.standard_code = e.standard_code
    union all
    select k.group_id, e.assessed_on, e.day_score
    from mart_evidence as e
    join standard_keys as k
        on k.term = e.term
        and k.school_year = e.school_year
        and k.student_id = e.student_id
        and k.standard_code = e.standard_code
),

final as (
    select group_id, day_score from pieces order by group_id, assessed_on nulls first
)

select * from final
