-- Students, schools and standards assessed in a school year, within the viewer's schools.
-- param school_year: default null
-- privacy: kind=students n=n_students values=n_schools,n_standards_assessed,n_scores
with params as (
    select coalesce($school_year, (select max(school_year) from enrollments)) as school_year
),

enrolled as (
    select e.*
    from enrollments as e, params as p
    where e.school_year = p.school_year
      and ($school_ids is null or list_contains($school_ids, e.school_id))
),

evidence as (
    select s.*
    from scores as s, params as p
    where s.school_year = p.school_year
      and ($school_ids is null or list_contains($school_ids, s.school_id))
),

final as (
    select
        (select school_year from params) as school_year,
        (select count(distinct student_id) from enrolled) as n_students,
        (select count(distinct school_id) from enrolled) as n_schools,
        (select count(distinct standard_code) from evidence where score is not null) as n_standards_assessed,
        (select count(*) from evidence) as n_scores
)

select * from final
