-- One row per piece of evidence: a student's scores on one standard on one day count as one piece whose
-- value is their mean (DESIGN.md section 4); n_scores says how many scores it averages. Non-evidence
-- marks are counted apart. A view: the pieces are stored as lists in mart_standard_scores (one row per
-- student x standard x year, in school year, school, grade, student order), which is three times fewer
-- rows to write than a row per piece; a filter on school_year and school_id still prunes row groups
-- through the view. school_id and grade_level are the student's enrollment that year (null when not
-- enrolled).
create or replace view mart_evidence as
with final as (
    select
        school_year,
        student_id,
        standard_code,
        school_id,
        grade_level,
        unnest(pieces, recursive := true)
    from mart_standard_scores
)

select * from final
