-- The continuum level each grade is taught from, per content area (docs/numbers.md, continuum coverage):
-- the grade's own level, or for a grade with no standards at its own level the highest level at most three
-- below it (a band stored at its first grade covers at most four grades: the high school ELA bands at 9 and
-- 11 serve grades 10 and 12). One table for every school year: etl/marts/__init__.py rebuilds every year's marts when
-- it changes.
create or replace table mart_continuum_grades as
with grade_levels as (
    select distinct grade_level from enrollments where grade_level is not null
),

level_sizes as (
    select content_area, continuum_level, count(*) as n_standards
    from standards
    where content_area is not null and continuum_level is not null
    group by content_area, continuum_level
),

taught_from as (
    select g.grade_level, l.content_area, max(l.continuum_level) as continuum_level
    from grade_levels as g
    join level_sizes as l on l.continuum_level between g.grade_level - 3 and g.grade_level
    group by g.grade_level, l.content_area
),

final as (
    select t.grade_level, t.content_area, t.continuum_level, l.n_standards
    from taught_from as t
    join level_sizes as l using (content_area, continuum_level)
)

select * from final;
