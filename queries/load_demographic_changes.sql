-- Per roster load and school year: how many students' enrollments changed each demographic (district-wide
-- counts of the Data loads page, which only district leaders open), newest load first.
-- privacy: kind=none
with changes as (
    select c.load_id, l.file_name, c.school_year, c.demographic, c.n_students
    from load_demographic_changes as c
    join loads as l using (load_id)
),

final as (
    select
        load_id,
        any_value(file_name) as file_name,
        school_year,
        sum(n_students) filter (where demographic = 'race_ethnicity') as race_ethnicity,
        sum(n_students) filter (where demographic = 'is_ell') as ell,
        sum(n_students) filter (where demographic = 'is_iep') as iep,
        sum(n_students) filter (where demographic = 'is_504') as section_504,
        sum(n_students) filter (where demographic = 'is_econ_disadv') as economic_status,
        sum(n_students) filter (where demographic = 'gender') as gender
    from changes
    group by load_id, school_year
    order by load_id desc, school_year
)

select * from final
