-- Culture and results: each school's construct score (survey wave) against its percent proficient (school year).
-- param survey_id: default null
-- param wave: default null
-- param construct: default trust
-- param school_year: default null
-- param content_area: default math
-- param method: default district
-- param cut: default district
-- privacy: kind=students n=n_students values=n_proficient pct=pct_proficient reference_n=n_respondents gap_values=construct_score
with years as (
    select distinct school_year from mart_content_area_scores
),

survey_waves as (
    select distinct wave from survey_responses where ($survey_id is null or survey_id = $survey_id)
),

chosen_wave as (
    -- default: the wave named like the school year (given, else the latest), else the latest wave
    select coalesce($wave,
                    (select max(w.wave) from survey_waves as w
                     where w.wave = coalesce($school_year, (select max(school_year) from years))),
                    (select max(wave) from survey_waves)) as wave
),

chosen_year as (
    select coalesce($school_year,
                    (select max(y.school_year) from years as y where y.school_year = (select wave from chosen_wave)),
                    (select max(school_year) from years)) as school_year
),

answers as (
    select
        r.survey_id,
        r.wave,
        r.response_id,
        r.school_id,
        r.item_id,
        i.scale_points,
        case when i.is_reverse_coded then i.scale_points + 1 - r.value else r.value end as value,
        favorable_points(i.scale_points) as n_top
    from survey_responses as r
    join survey_items as i using (survey_id, item_id)
    where i.scale_points is not null
      and r.value is not null
      and i.construct = $construct
      and r.wave = (select wave from chosen_wave)
      and r.school_id is not null
      and ($survey_id is null or r.survey_id = $survey_id)
      and ($school_ids is null or list_contains($school_ids, r.school_id))
),

items as (
    select school_id, item_id,
        100.0 * count(*) filter (where value > scale_points - n_top) / count(*) as pct_favorable
    from answers
    group by school_id, item_id
),

respondents as (
    select school_id, count(distinct response_id) as n_respondents
    from answers
    group by school_id
),

culture as (
    select i.school_id, avg(i.pct_favorable) as construct_score, any_value(r.n_respondents) as n_respondents
    from items as i
    join respondents as r using (school_id)
    group by i.school_id
),

results as (
    select
        c.school_id,
        count(*) as n_students,
        count(*) filter (where c.content_score >= $cut) as n_proficient
    from mart_content_status as c
    where c.school_year = (select school_year from chosen_year)
      and c.term is null
      and c.method = $method
      and c.content_area = $content_area
      and ($school_ids is null or list_contains($school_ids, c.school_id))
    group by c.school_id
),

final as (
    select
        cu.school_id,
        coalesce(s.school_name, cu.school_id) as school_name,
        s.level as school_level,
        $construct as construct,
        (select wave from chosen_wave) as wave,
        cu.n_respondents,
        round(cu.construct_score, 1) as construct_score,
        (select school_year from chosen_year) as school_year,
        $content_area as content_area,
        $method as method,
        coalesce(re.n_students, 0) as n_students,
        re.n_proficient,
        round(100.0 * re.n_proficient / nullif(re.n_students, 0), 1) as pct_proficient
    from culture as cu
    left join results as re using (school_id)
    left join schools as s on s.school_id = cu.school_id
    order by cu.school_id
)

select * from final
