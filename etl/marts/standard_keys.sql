-- One numbered group per student x standard x period (the whole year, and each term), with the
-- dates of its first and latest evidence. The calculation step works on these group ids.
create or replace temp table standard_keys as
with by_year as (
    select school_year, null::varchar as term, student_id, standard_code,
        min(assessed_on) as first_assessed_on, max(assessed_on) as latest_assessed_on
    from mart_evidence
    group by school_year, student_id, standard_code
),

by_term as (
    select school_year, term, student_id, standard_code,
        min(assessed_on) as first_assessed_on, max(assessed_on) as latest_assessed_on
    from mart_evidence
    where term is not null
    group by school_year, term, student_id, standard_code
),

final as (
    select row_number() over () as group_id, *
    from (select * from by_year union all select * from by_term)
)

select * from final
