-- Per school year, term (null = the whole year), school and group: students, proficient students, and the
-- sums that give means and variances. Every equity and trend query starts here.
create or replace macro group_status(method, cut, content_area, group_by, group_by_2, school_ids, school_id, grade_level) as table
    select
        c.school_year,
        c.term,
        c.school_id,
        group_value(group_by, c.gender, c.race_ethnicity, c.is_ell, c.is_iep, c.is_504, c.is_econ_disadv)
        || coalesce(' x ' || group_value(group_by_2, c.gender, c.race_ethnicity, c.is_ell, c.is_iep,
                                          c.is_504, c.is_econ_disadv), '') as group_value,
        count(*)::double as n,
        count(*) filter (where c.content_score >= cut)::double as x,
        sum(c.content_score) as score_sum,
        sum(c.content_score * c.content_score) as score_squares
    from mart_content_status as c
    where c.method = method
      and c.content_area = content_area
      and (school_ids is null or list_contains(school_ids, c.school_id))
      and (school_id is null or c.school_id = school_id)
      and (grade_level is null or c.grade_level = grade_level::integer)
    group by all;
