-- Statistics every equity query shares (docs/numbers.md), as macros stored in the warehouse
-- so that analysts' own SQL computes them the same way. Rates are proportions 0-1 here.

-- Wilson score interval, 95%: honest for small groups and for rates near 0 or 1.
create or replace macro wilson_low(x, n) as
    case when n > 0 then
        ((x / n) + 1.959964 ^ 2 / (2 * n) - 1.959964 * sqrt((x / n) * (1 - x / n) / n + 1.959964 ^ 2 / (4 * n * n)))
        / (1 + 1.959964 ^ 2 / n)
    end;

create or replace macro wilson_high(x, n) as
    case when n > 0 then
        ((x / n) + 1.959964 ^ 2 / (2 * n) + 1.959964 * sqrt((x / n) * (1 - x / n) / n + 1.959964 ^ 2 / (4 * n * n)))
        / (1 + 1.959964 ^ 2 / n)
    end;

-- Newcombe's hybrid score interval (his method 10) for p1 - p2, built from the two Wilson intervals.
create or replace macro newcombe_low(x1, n1, x2, n2) as
    case when n1 > 0 and n2 > 0 then
        (x1 / n1 - x2 / n2)
        - sqrt((x1 / n1 - wilson_low(x1, n1)) ^ 2 + (wilson_high(x2, n2) - x2 / n2) ^ 2)
    end;

create or replace macro newcombe_high(x1, n1, x2, n2) as
    case when n1 > 0 and n2 > 0 then
        (x1 / n1 - x2 / n2)
        + sqrt((wilson_high(x1, n1) - x1 / n1) ^ 2 + (x2 / n2 - wilson_low(x2, n2)) ^ 2)
    end;

-- Cohen's h: the difference of two proportions on the arcsine scale.
create or replace macro cohens_h(p1, p2) as 2 * asin(sqrt(p1)) - 2 * asin(sqrt(p2));

-- Hedges' g: standardized mean difference with the small-sample correction J.
create or replace macro hedges_g(m1, v1, n1, m2, v2, n2) as
    case when n1 > 1 and n2 > 1 and ((n1 - 1) * v1 + (n2 - 1) * v2) > 0 then
        (m1 - m2) / sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)) * (1 - 3 / (4 * (n1 + n2) - 9))
    end;

-- A student's value for an equity grouping, chosen by name from a fixed list (never formatted in).
create or replace macro group_value(group_by, gender, race_ethnicity, is_ell, is_iep, is_504, is_econ_disadv) as
    case group_by
        when 'all' then 'all students'
        when 'gender' then coalesce(gender, 'not reported')
        when 'race_ethnicity' then coalesce(race_ethnicity, 'not reported')
        when 'is_ell' then coalesce(cast(is_ell as varchar), 'not reported')
        when 'is_iep' then coalesce(cast(is_iep as varchar), 'not reported')
        when 'is_504' then coalesce(cast(is_504 as varchar), 'not reported')
        when 'is_econ_disadv' then coalesce(cast(is_econ_disadv as varchar), 'not reported')
    end;

-- The favorable points of a survey scale (docs/numbers.md, "Survey favorability"): the top two of a 4- or 5-point
-- scale, the top three of 7 (one of 2 or 3; about the top 30% of a longer one).
create or replace macro favorable_points(scale_points) as
    case when scale_points <= 3 then 1 when scale_points <= 5 then 2 when scale_points <= 7 then 3
        else round(scale_points * 0.3)::integer end;

-- The school year of a date: July 1 starts a school year (2025-07-01 .. 2026-06-30 is 2025-26); the same rule
-- as warehouse/school_years.py, which every loader and page uses.
create or replace macro school_year_of(d) as
    (year(d) - case when month(d) < 7 then 1 else 0 end)::varchar || '-'
    || lpad(((year(d) - case when month(d) < 7 then 1 else 0 end + 1) % 100)::varchar, 2, '0');

-- Whether a group's gap is closing, in words (docs/numbers.md, "Closing"): the one home of the verdict that
-- the page's sentence, the chart's hover and every query's is_closing read. Between two years a gap can
-- narrow because the group behind rose (closing) or because the group ahead fell (narrowed by decline,
-- never closing). Figures in any one unit (proportions or points); is_significant: the gap's change is
-- beyond its uncertainty.
create or replace macro gap_verdict(gap_from, gap_to, group_from, group_to, others_from, others_to, is_significant) as
    case
        when gap_from is null or gap_to is null or group_from is null or group_to is null
            or others_from is null or others_to is null then 'no comparison'
        when not coalesce(is_significant, false) then
            case when abs(gap_to) < abs(gap_from) then 'narrowed within chance' else 'widened within chance' end
        when abs(gap_to) >= abs(gap_from) then 'widening'
        -- the side that was behind rose, and the side that was ahead did not fall
        when gap_from < 0 and group_to > group_from and others_to >= others_from then 'closing'
        when gap_from >= 0 and others_to > others_from and group_to >= group_from then 'closing'
        else 'narrowed by decline'
    end;
