-- Per school year x student x content area x calculation method x continuum level (docs/numbers.md,
-- continuum position): standards assessed and the level's `majority_score`, the (floor(n/2) + 1)-th highest
-- calculated score. A student is proficient on most (> 50%) of a level's assessed standards exactly when
-- majority_score >= the cut, so no table holds a cut and every query applies the district's (or the
-- viewer's) own. Computed in etl/continuum_levels.py (Arrow relation continuum_levels).
create or replace table mart_continuum_position as
with by_level as (
    -- each level's n_assessed and majority_score per student, content area and method, from
    -- etl/continuum_levels.py (Arrow relation continuum_levels); enrolled students with a grade only
    select * from continuum_levels
),

final as (
    select
        b.school_year,
        b.student_id,
        b.content_area,
        b.method,
        b.continuum_level,
        b.n_assessed,
        b.majority_score,
        b.school_id,
        b.grade_level,
        coalesce(g.continuum_level, b.grade_level) as grade_continuum_level,
        b.gender,
        b.race_ethnicity,
        b.is_ell,
        b.is_iep,
        b.is_504,
        b.is_econ_disadv
    from by_level as b
    left join mart_continuum_grades as g on g.grade_level = b.grade_level and g.content_area = b.content_area
)

select * from final;
