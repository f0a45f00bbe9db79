-- One row per school year x student x content area for a method and cut: position_level is the highest
-- continuum level at which the student is proficient on most of that level's assessed standards (null when
-- there is none), and position compares it with the grade's level: below, at, above, or none.
create or replace macro continuum_position(method, cut) as table
    with by_student as (
        select
            p.school_year,
            p.student_id,
            p.content_area,
            p.school_id,
            p.grade_level,
            p.grade_continuum_level,
            p.gender,
            p.race_ethnicity,
            p.is_ell,
            p.is_iep,
            p.is_504,
            p.is_econ_disadv,
            max(p.continuum_level) filter (where p.majority_score >= cut) as position_level,
            min(p.continuum_level) as lowest_level_assessed,
            max(p.continuum_level) as highest_level_assessed,
            sum(p.n_assessed) as n_standards_assessed
        from mart_continuum_position as p
        where p.method = method
        group by all
    )
    select
        *,
        case
            when position_level is null then 'none'
            when position_level < grade_continuum_level then 'below'
            when position_level = grade_continuum_level then 'at'
            else 'above'
        end as position
    from by_student;
