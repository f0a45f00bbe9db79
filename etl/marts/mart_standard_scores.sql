-- A calculated score per student x standard, for the whole year (term is null) and for each term,
-- by every calculation method, so that pages can switch method without recomputing evidence.
create or replace table mart_standard_scores as
with periods as (
    select school_year, null::varchar as term, student_id, standard_code, assessed_on, day_score
    from mart_evidence
    union all
    select school_year, term, student_id, standard_code, assessed_on, day_score
    from mart_evidence
    where term is not null
),

ranked as (
    select
        *,
        row_number() over (
            partition by school_year, term, student_id, standard_code order by assessed_on desc nulls last
        ) as rank_newest,
        count(*) over (partition by school_year, term, student_id, standard_code) as n_evidence
    from periods
),

weighted as (
    select
        *,
        n_evidence - rank_newest + 1 as position,
        -- decaying average as a closed form: the oldest piece keeps (1-w)^(n-1), each later one w(1-w)^(n-k)
        case
            when rank_newest = n_evidence then pow(1 - $decaying_weight, n_evidence - 1)
            else $decaying_weight * pow(1 - $decaying_weight, rank_newest - 1)
        end as decay_weight
    from ranked
),

modes as (
    select school_year, term, student_id, standard_code,
        -- ties between equally frequent values go to the most recently seen of them
        arg_max(day_score, count_value * 1e10 + last_seen_epoch) as score_mode
    from (
        select school_year, term, student_id, standard_code, day_score,
            count(*)::double as count_value,
            epoch(max(coalesce(assessed_on, date '1900-01-01')))::double as last_seen_epoch
        from periods
        group by all
    )
    group by all
),

aggregated as (
    select
        school_year,
        term,
        student_id,
        standard_code,
        count(*) as n_evidence,
        any_value(day_score) filter (where rank_newest = 1) as score_most_recent,
        avg(day_score) filter (where rank_newest <= $most_recent_n) as score_most_recent_n,
        max(day_score) as score_highest,
        avg(day_score) as score_mean,
        sum(day_score * decay_weight) as score_decaying_average,
        -- power law (Marzano): least squares of ln(score) on ln(position), read at the newest position
        regr_slope(ln(greatest(day_score, 0.1)), ln(position)) as power_slope,
        regr_intercept(ln(greatest(day_score, 0.1)), ln(position)) as power_intercept,
        any_value(day_score) filter (where position = 1) as score_first,
        min(assessed_on) as first_assessed_on,
        max(assessed_on) as latest_assessed_on
    from weighted
    group by school_year, term, student_id, standard_code
),

final as (
    select
        a.school_year,
        a.term,
        a.student_id,
        a.standard_code,
        s.content_area,
        s.continuum_level,
        a.n_evidence,
        a.score_most_recent,
        a.score_most_recent_n,
        a.score_highest,
        a.score_mean,
        m.score_mode,
        a.score_decaying_average,
        case
            when a.n_evidence = 1 or a.power_slope is null then a.score_most_recent
            else least(4.0, greatest(0.0, exp(a.power_intercept + a.power_slope * ln(a.n_evidence))))
        end as score_power_law,
        a.score_first,
        a.first_assessed_on,
        a.latest_assessed_on
    from aggregated as a
    left join modes as m
        on m.school_year = a.school_year
        and m.term is not distinct from a.term
        and m.student_id = a.student_id
        and m.standard_code = a.standard_code
    left join standards as s on s.standard_code = a.standard_code
)

select * from final
