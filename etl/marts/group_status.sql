-- Per school year, term (null = the whole year), school, content area and group: students, proficient
-- students, and the sums that give means and variances. Every equity and trend query starts here.
-- content_area null: every content area, one row each (the board's findings read all areas in one query
-- instead of one query per area).
-- Parameters are p_-named so that none shadows a column of mart_content_status (a view).
create or replace macro group_status(p_method, p_cut, p_content_area, p_group_by, p_group_by_2, p_school_ids, p_school_id, p_grade_level) as table
    select
        c.school_year,
        c.term,
        c.school_id,
        c.content_area,
        group_value(p_group_by, c.gender, c.race_ethnicity, c.is_ell, c.is_iep, c.is_504, c.is_econ_disadv)
        || coalesce(' x ' || group_value(p_group_by_2, c.gender, c.race_ethnicity, c.is_ell, c.is_iep,
                                          c.is_504, c.is_econ_disadv), '') as group_value,
        count(*)::double as n,
        count(*) filter (where c.content_score >= p_cut)::double as x,
        sum(c.content_score) as score_sum,
        sum(c.content_score * c.content_score) as score_squares
    from mart_content_status as c
    where c.method = p_method
      and (p_content_area is null or c.content_area = p_content_area)
      and (p_school_ids is null or list_contains(p_school_ids, c.school_id))
      and (p_school_id is null or c.school_id = p_school_id)
      and (p_grade_level is null or c.grade_level = p_grade_level::integer)
    group by all;
