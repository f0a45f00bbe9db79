-- Continuum coverage: of a scope's grade-level standards, how many were assessed and how many have sufficient evidence.
-- param school_year: default null
-- param content_area: default null
-- param school_id: default null
-- param grade_level: default null
-- param course_id: default null
-- param teacher_id: default null
-- param term: default null
-- param min_evidence: default district
-- param by: default school choices district,school,course,teacher
-- param detail: default level choices level,strand
-- privacy: kind=students n=n_students values=n_assessed,n_sufficient,pct_standards_assessed,pct_standards_sufficient,n_evidence,evidence_per_student_standard,evidence_per_assessed
--
-- One row per school x grade level x content area (`by`: district pools the viewer's schools; course and
-- teacher split a school's grade by the course or teacher that recorded the marks; `detail` strand splits
-- each row by strand). docs/numbers.md, definitions of issue 4:
--   n_standards     standards whose continuum_level equals the grade level, in that content area (a grade
--                   with no standards at its own level, such as grade 10 ELA when the 9-10 band is stored at
--                   9, takes the highest level at most three below it; column continuum_level says which)
--   n_assessed      of those, standards with at least one score (a mark that is evidence) that year from a
--                   student enrolled in that school and grade (within the chosen course, teacher and term)
--   n_sufficient    of those, standards with at least min_evidence pieces of evidence per assessed student
--                   on average (several scores of a student on a standard on one day are one piece)
--   pct_standards_assessed = 100 * n_assessed / n_standards (unrounded)
--   evidence_per_student_standard = pieces / (n_students x n_standards): zeros of unassessed pairs included
--   evidence_per_assessed = pieces per assessed student x standard pair
-- n_students: every student enrolled in the school and grade; for a course or teacher (split or chosen),
-- the enrolled students with a mark on the grade's standards in it.
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
    -- the continuum level each grade is taught from (mart_continuum_grades: its own, or a band's)
    select grade_level, content_area, continuum_level
    from mart_continuum_grades
    where ($content_area is null or content_area = $content_area)
),

grade_standards as (
    select
        s.standard_code,
        s.content_area,
        s.continuum_level,
        case when $detail = 'strand' then coalesce(s.strand, '(no strand)') end as strand
    from standards as s
    join (select distinct content_area, continuum_level from grade_levels) as l using (content_area, continuum_level)
),

marks as (
    -- a term, course or teacher: every mark (evidence or not) of the scope's students on their grade's standards
    select
        n.student_id,
        case when $by = 'district' then null else n.school_id end as school_key,
        n.grade_level,
        g.content_area,
        g.continuum_level,
        case $by when 'course' then s.course_id when 'teacher' then s.teacher_id end as scope_id,
        s.standard_code,
        s.assessed_on,
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

scopes as (
    -- the rows and their students: whole grades, or the students a course or teacher marked
    select
        case when $by = 'district' then null else n.school_id end as school_key,
        n.grade_level,
        l.content_area,
        l.continuum_level,
        null::varchar as scope_id,
        count(*) as n_students
    from enrolled as n
    join grade_levels as l on l.grade_level = n.grade_level
    where not ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null)
    group by all
    union all
    select school_key, grade_level, content_area, continuum_level, scope_id, count(distinct student_id) as n_students
    from marks
    where ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null)
    group by all
),

by_standard as (
    select
        case when $by = 'district' then null else c.school_id end as school_key,
        c.grade_level,
        c.content_area,
        null::varchar as scope_id,
        c.standard_code,
        sum(c.n_students_assessed) as n_students_assessed,
        sum(c.n_pieces) as n_pieces
    from mart_continuum_coverage as c, params as p
    where not ($by in ('course', 'teacher') or $course_id is not null or $teacher_id is not null or $term is not null)
      and c.school_year = p.school_year
      and ($content_area is null or c.content_area = $content_area)
      and ($school_ids is null or list_contains($school_ids, c.school_id))
      and ($school_id is null or c.school_id = $school_id)
      and ($grade_level is null or c.grade_level = $grade_level::integer)
    group by all
    union all
    select
        school_key, grade_level, content_area, scope_id, standard_code,
        count(distinct student_id) as n_students_assessed,
        count(distinct (student_id, assessed_on)) as n_pieces
    from marks
    where score is not null
    group by all
),

per_standard as (
    -- every grade-level standard of every row, assessed or not
    select
        c.school_key, c.grade_level, c.content_area, c.continuum_level, c.scope_id, c.n_students,
        g.strand, g.standard_code,
        coalesce(b.n_students_assessed, 0) as n_students_assessed,
        coalesce(b.n_pieces, 0) as n_pieces
    from scopes as c
    join grade_standards as g on g.content_area = c.content_area and g.continuum_level = c.continuum_level
    left join by_standard as b
        on b.school_key is not distinct from c.school_key
        and b.grade_level = c.grade_level
        and b.content_area = c.content_area
        and b.scope_id is not distinct from c.scope_id
        and b.standard_code = g.standard_code
),

by_scope as (
    select
        school_key, grade_level, content_area, continuum_level, scope_id, strand, n_students,
        count(*) as n_standards,
        count(*) filter (where n_students_assessed > 0) as n_assessed,
        count(*) filter (where n_students_assessed > 0 and n_pieces >= $min_evidence * n_students_assessed)
            as n_sufficient,
        sum(n_pieces) as n_evidence,
        sum(n_students_assessed) as n_assessed_pairs
    from per_standard
    group by all
),

final as (
    select
        (select school_year from params) as school_year,
        c.school_key as school_id,
        sc.school_name,
        c.grade_level,
        c.content_area,
        c.continuum_level,
        case when $by = 'course' then c.scope_id else $course_id end as course_id,
        case when $by = 'teacher' then c.scope_id else $teacher_id end as teacher_id,
        c.strand,
        c.n_students::integer as n_students,
        c.n_standards::integer as n_standards,
        c.n_assessed::integer as n_assessed,
        c.n_sufficient::integer as n_sufficient,
        100.0 * c.n_assessed / c.n_standards as pct_standards_assessed,
        100.0 * c.n_sufficient / c.n_standards as pct_standards_sufficient,
        c.n_evidence::integer as n_evidence,
        round(c.n_evidence / (c.n_students * c.n_standards), 3) as evidence_per_student_standard,
        round(c.n_evidence / nullif(c.n_assessed_pairs, 0), 2) as evidence_per_assessed,
        $min_evidence::integer as min_evidence,
        $term as term
    from by_scope as c
    left join schools as sc on sc.school_id = c.school_key
    order by c.school_key nulls first, c.grade_level, c.content_area, c.scope_id, c.strand
)

select * from final
