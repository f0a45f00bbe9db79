-- One row per piece of evidence: a student's scores on one standard on one day count as one piece whose
-- value is their mean (docs/numbers.md); n_scores says how many scores it averages and marks lists them
-- as written. Non-evidence marks (IE, NY) are not pieces: they stay in scores. A view: the pieces are stored as lists in mart_standard_scores (one row per
-- student x standard x year, in school year, school, grade, student order), which is three times fewer
-- rows to write than a row per piece; a filter on school_year and school_id still prunes row groups
-- through the view. school_id and grade_level are the student's enrollment that year (null when not
-- enrolled).
create or replace view mart_evidence as
with pieces as (
    select school_year, student_id, standard_code, school_id, grade_level, unnest(pieces) as piece
    from mart_standard_scores
),

final as (
    select
        school_year,
        student_id,
        standard_code,
        school_id,
        grade_level,
        piece.assessed_on,
        piece.day_score,
        piece.n_scores,
        piece.marks
    from pieces
)

select * from final
