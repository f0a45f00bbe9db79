-- Terms in order within each school year: a term's place is set by its earliest evidence,
-- so T1/T2, Fall/Winter/Spring and Q1..Q4 all sort the way the calendar does. The first dates come
-- from etl/standard_scores.py (Arrow relation term_starts).
create or replace table mart_terms as
with final as (
    select
        school_year,
        term,
        row_number() over (partition by school_year order by first_assessed_on nulls last, term) as term_order,
        first_assessed_on
    from term_starts
)

select * from final
