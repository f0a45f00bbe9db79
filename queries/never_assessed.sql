-- Never assessed: a scope's continuum standards with no evidence that year, with strand and description.
-- param school_year: default null
-- param content_area: default null
-- param school_id: default null
-- param grade_level: default null
-- param course_id: default null
-- param teacher_id: default null
-- param term: default null
-- param by: default district choices district,school,course,teacher
-- privacy: kind=none
--
-- The scope's standards are those of the continuum levels its enrolled grades are taught from (a grade's
-- own level; for a grade with no standards at its own level, such as grade 10 ELA when the 9-10 band is
-- stored at 9, the highest level at most three below it). A standard is assessed when a student enrolled
-- that year in the scope's schools, in a grade taught from the standard's level, has a score (a mark that is
-- evidence) on it, within the chosen course, teacher and term; the grades sharing a band share its standards.
-- `by` district lists what no school in view assessed; school, course and teacher list each one's gaps.
-- last_assessed_year: the latest earlier school year in which students of those grades in the same schools
-- had evidence on the standard (null: never in the warehouse).
-- Whole grades over the whole year read mart_continuum_coverage; a term, course or teacher reads the scores.
with params as (
    select coalesce($school_year, (select max(school_year) from enrollments)) as school_year
),

enrolled as (
    select e.student_id, e.school_id, e.grade_level
    from enrollments as e, params as p
    where e.school_year = p.school_year
      and e.grade_level is not null
      and ($school_ids is null or list_contains($school_ids, e.school_id))
      and ($school_id is null or e.school_id = $school_id)
      and ($grade_level is null or e.grade_level = $grade_level::integer)
),

grade_levels as (
    select grade_level, content_area, continuum_level
    from mart_continuum_grades
    where ($content_area is null or content_area = $content_area)
),

grade_standards as (
    select s.standard_code, s.content_area, s.continuum_level, s.strand, s.description
    from standards as s
    join (select distinct content_area, continuum_level from grade_levels) as l using (content_area, continuum_level)
),

marks as (
    -- a term, course or teacher: every mark (evidence or not) of the scope's students on their grade's standards
    select
        case when $by = 'district' then null else n.school_id end as school_key,
        n.grade_level,
        g.content_area,
        g.continuum_level,
        case $by when 'course' then s.course_id when 'teacher' then s.teacher_id end as scope_id,
        s.standard_code,
        s.score
    from scores as s
    join params as p on s.school_year = p.school_year
    join enrolled as n on n.student_id = s.student_id
    join grade_standards as g on g.standard_code = s.standard_code
    join grade_levels as l
        on l.grade_level = n.grade_level and l.content_area = g.content_area and l.continuum_level = g.continuum_level
    -- the conditions are written out (not read from params) so that the planner drops the scan of scores
    where ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null or $term is not null)
      and (not ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null) or $school_id is null or s.school_id = $school_id)  -- the school's own courses
      and ($course_id is null or s.course_id = $course_id)
      and ($teacher_id is null or s.teacher_id = $teacher_id)
      and ($term is null or s.term = $term)
),

rows_grades as (
    -- the rows (scope x content area x level) and the grades taught from each level
    select distinct
        case when $by = 'district' then null else n.school_id end as school_key,
        n.grade_level,
        l.content_area,
        l.continuum_level,
        null::varchar as scope_id
    from enrolled as n
    join grade_levels as l on l.grade_level = n.grade_level
    where not ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null)
    union
    select school_key, grade_level, content_area, continuum_level, scope_id
    from marks
    where ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null)
),

scopes as (
    select
        school_key, content_area, continuum_level, scope_id,
        string_agg(case when grade_level = 0 then 'K' else grade_level::varchar end, ', '
                   order by grade_level) as grade_levels
    from rows_grades
    group by school_key, content_area, continuum_level, scope_id
),

assessed as (
    select distinct
        case when $by = 'district' then null else c.school_id end as school_key,
        c.content_area,
        c.continuum_level,
        null::varchar as scope_id,
        c.standard_code
    from mart_continuum_coverage as c, params as p
    where not ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null or $term is not null)
      and c.school_year = p.school_year
      and ($content_area is null or c.content_area = $content_area)
      and ($school_ids is null or list_contains($school_ids, c.school_id))
      and ($school_id is null or c.school_id = $school_id)
      and ($grade_level is null or c.grade_level = $grade_level::integer)
    union
    select school_key, content_area, continuum_level, scope_id, standard_code
    from marks
    where score is not null
),

never as (
    select c.school_key, c.content_area, c.continuum_level, c.grade_levels, c.scope_id,
        g.standard_code, g.strand, g.description
    from scopes as c
    join grade_standards as g on g.content_area = c.content_area and g.continuum_level = c.continuum_level
    anti join assessed as a
        on a.school_key is not distinct from c.school_key
        and a.content_area = c.content_area
        and a.continuum_level = c.continuum_level
        and a.scope_id is not distinct from c.scope_id
        and a.standard_code = g.standard_code
),

earlier as (
    -- earlier years' evidence on these standards from students of the same grades in the same schools
    select
        case when $by = 'district' then null else c.school_id end as school_key,
        c.standard_code,
        max(c.school_year) as last_assessed_year
    from mart_continuum_coverage as c
    where c.school_year < (select school_year from params)
      and c.standard_code in (select standard_code from never)
      and c.grade_level in (select grade_level from rows_grades)
      and ($school_ids is null or list_contains($school_ids, c.school_id))
      and ($school_id is null or c.school_id = $school_id)
    group by all
),

final as (
    select
        (select school_year from params) as school_year,
        n.school_key as school_id,
        sc.school_name,
        n.content_area,
        n.continuum_level,
        n.grade_levels,
        case when $by = 'course' then n.scope_id else $course_id end as course_id,
        case when $by = 'teacher' then n.scope_id else $teacher_id end as teacher_id,
        n.standard_code,
        n.strand,
        n.description,
        r.last_assessed_year
    from never as n
    left join schools as sc on sc.school_id = n.school_key
    left join earlier as r on r.school_key is not distinct from n.school_key and r.standard_code = n.standard_code
    order by n.school_key nulls first, n.content_area, n.continuum_level, n.scope_id, n.strand, n.standard_code
)

select * from final
