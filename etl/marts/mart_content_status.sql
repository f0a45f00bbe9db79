-- A student's content-area score per year (and term), a row per calculation method: the mean of their
-- calculated standard scores in that content area (docs/numbers.md), with the enrollment's school, grade
-- and groups. A view over mart_content_area_scores (a column per method): seven times fewer rows to write on
-- every load, and a filter on method, bound or literal, leaves one branch of the union, so a query reads one
-- method's column (equity and trend queries start here, through group_status).
create or replace view mart_content_status as
with final as (
    select school_year, term, student_id, content_area, 'most_recent' as method, score_most_recent as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
    union all
    select school_year, term, student_id, content_area, 'most_recent_n' as method, score_most_recent_n as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
    union all
    select school_year, term, student_id, content_area, 'highest' as method, score_highest as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
    union all
    select school_year, term, student_id, content_area, 'mean' as method, score_mean as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
    union all
    select school_year, term, student_id, content_area, 'mode' as method, score_mode as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
    union all
    select school_year, term, student_id, content_area, 'decaying_average' as method, score_decaying_average as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
    union all
    select school_year, term, student_id, content_area, 'power_law' as method, score_power_law as content_score,
        n_standards_scored, n_evidence, school_id, grade_level, gender, race_ethnicity, is_ell, is_iep, is_504,
        is_econ_disadv
    from mart_content_area_scores
)

select * from final
