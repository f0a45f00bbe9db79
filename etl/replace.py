"""What a load covers, and what it replaced (docs/commands.md: a re-export replaces what it covers).

A district exports its gradebook again every week (the year so far, this week's evidence added, last week's
typos corrected) and loads it on top. So a load declares its scope, units of a table's scope columns taken
from the file's own rows, and the rows earlier loads wrote in that scope give way to the file's:

- gradebook (scores): the school years x sections of the file; courses when it names no section, teachers
  when it names neither, the whole school year when it names none of them. `--replace year` widens the scope
  to the file's school years, `--append` adds the rows to what is there (a mapping file says the same with
  `replace: year` or `append: true`; the command line wins);
- roster (enrollments): the school years x schools of the file (`--replace year`: every school of its years);
- survey (survey_responses, survey_invited): the survey's waves in the file;
- learning (learning_offerings): the school years x schools of the file's offerings (`--replace year`: every
  school of its years).

Rows are matched on a natural key (for scores: student, standard, assessed_on, assessment, section) to say
how many were added (rows of a key new to the scope), changed (keys whose rows differ) and removed (rows of
a key the file no longer has); a corrected mark is a changed row, never a second one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from etl.errors import LoadRefused

# Per kind: the scopes `--replace` accepts, and the default order of the gradebook's class columns.
SCOPES = {
    "gradebook": ("year", "section", "course", "teacher"),
    "roster": ("year", "school"),
    "survey": ("wave",),
    "learning": ("year", "school"),
}
CLASS_COLUMNS = (("section", "section_id"), ("course", "course_id"), ("teacher", "teacher_id"))
SCORE_KEY = ("student_id", "standard_code", "assessed_on", "assessment_name", "section_id")
SCORE_VALUES = ("term", "school_id", "course_id", "teacher_id", "score", "mark", "assessment_type")
DEMOGRAPHICS = {
    "race_ethnicity": "race/ethnicity",
    "is_ell": "ELL",
    "is_iep": "IEP",
    "is_504": "504",
    "is_econ_disadv": "economic status",
    "gender": "gender",
}
UNITS_SHOWN = 8


@dataclass
class Replacement:
    """What one load replaced: its scope as words, and row counts matched on the natural key."""

    what: str  # pieces of evidence, enrollments, answers
    scope: str  # "2025-26, sections 3A, 3B", or "append"
    n_replaced: int = 0  # rows earlier loads wrote in the scope
    n_added: int = 0
    n_changed: int = 0
    n_removed: int = 0
    school_years: list[str] = field(default_factory=list)  # the school years the load touched
    demographics: dict[str, int] = field(default_factory=dict)  # roster: students whose value changed
    demographics_by_year: list[tuple[str, str, int]] = field(default_factory=list)  # (year, demographic, n)

    def line(self) -> str:
        if self.scope == "append":
            return f"appended: nothing replaced ({self.n_added:,} {self.what} added)"
        if not self.scope:
            return f"replaced nothing: the file gave no {self.what} to load"
        line = (
            f"replaced {self.n_replaced:,} {self.what} for {self.scope}: {self.n_added:,} added, "
            f"{self.n_changed:,} changed, {self.n_removed:,} removed"
        )
        if self.demographics:
            changed = [(DEMOGRAPHICS[k], n) for k, n in self.demographics.items() if n]
            parts = [f"{label} {n:,}" for label, n in changed]
            if parts:
                parts[0] += " student" if changed[0][1] == 1 else " students"
            line += "; demographics changed: " + (", ".join(parts) if parts else "none")
        return line


def chosen_scope(kind: str, options, mapping: dict, file_name: str) -> str | None:
    """'append', a scope name, or None (the kind's default). The command line wins over the mapping."""
    if options.append:
        return "append"
    if options.replace:
        scope = options.replace
    elif mapping.get("append"):
        return "append"
    else:
        scope = mapping.get("replace")
    if scope is None:
        return None
    scope = str(scope).strip().lower()
    if scope not in SCOPES.get(kind, ()):
        known = ", ".join(SCOPES.get(kind, ())) or "none"
        raise LoadRefused(
            f"{file_name}: cannot replace '{scope}' in a {kind} load (one of: {known}; "
            "or --append to add the rows to those already loaded)"
        )
    return scope


# ---------------------------------------------------------------- gradebooks


def replace_scores(con, load_id: int, scope: str | None) -> Replacement:
    """After the load's rows are in scores: the rows of earlier loads in its scope give way to them."""
    new = "select * from scores where load_id = $load_id"
    years = _distinct_years(con, new, {"load_id": load_id})
    if scope == "append":
        n_new = con.execute("select count(*) from scores where load_id = $load_id", {"load_id": load_id}).fetchone()[0]
        return Replacement("pieces of evidence", "append", n_added=n_new, school_years=years)
    column, label = _class_column(con, load_id, scope)
    scope_columns = ["school_year"] + ([column] if column else [])
    replacement = replace_in_scope(
        con,
        "scores",
        new,
        scope_columns,
        SCORE_KEY,
        SCORE_VALUES,
        old_filter="load_id is distinct from $load_id",
        params={"load_id": load_id},
        what="pieces of evidence",
        unit_label=label,
    )
    replacement.school_years = sorted(set(years) | set(replacement.school_years))
    return replacement


def _class_column(con, load_id: int, scope: str | None) -> tuple[str | None, str | None]:
    """The class column of the scope: the one asked for, else the first the file fills (section, course,
    teacher), else none (the whole school year)."""
    if scope == "year":
        return None, None
    filled = con.execute(
        "select count(section_id), count(course_id), count(teacher_id) from scores where load_id = $load_id",
        {"load_id": load_id},
    ).fetchone()
    for (label, column), n_filled in zip(CLASS_COLUMNS, filled):
        if scope == label or (scope is None and n_filled):
            return column, label
    return None, None


# ---------------------------------------------------------------- rosters and surveys


def replace_enrollments(con, staged: str, scope: str | None) -> Replacement:
    """Before a roster's staged enrollments are written: the enrollments of its school years (and schools)
    give way; the students whose demographics changed are counted per demographic."""
    if scope == "append":
        return _appended(con, staged, "enrollments")
    by_year = _demographic_changes(con, staged)
    scope_columns = ["school_year"] if scope == "year" else ["school_year", "school_id"]
    replacement = replace_in_scope(
        con,
        "enrollments",
        f"select * from {staged}",
        scope_columns,
        ("school_year", "student_id"),
        ("school_id", "grade_level", *DEMOGRAPHICS),
        what="enrollments",
        unit_label=None if scope == "year" else "school",
    )
    replacement.demographics_by_year = by_year
    replacement.demographics = {c: sum(n for _, d, n in by_year if d == c) for c in DEMOGRAPHICS}
    return replacement


def _demographic_changes(con, staged: str) -> list[tuple[str, str, int]]:
    """Per school year and demographic: students (of any school) whose enrollment that year had another
    value before this roster."""
    counts = ", ".join(f"count(*) filter (where s.{c} is distinct from e.{c})" for c in DEMOGRAPHICS)
    rows = con.execute(
        f"select school_year, {counts} from {staged} as s "
        "join enrollments as e using (school_year, student_id) group by school_year order by 1"
    ).fetchall()
    return [(year, c, int(n)) for year, *ns in rows for c, n in zip(DEMOGRAPHICS, ns)]


def replace_survey_waves(
    con, staged: str, target: str, key: tuple[str, ...], values: tuple[str, ...], scope: str | None
) -> Replacement:
    """Before a survey's staged rows are written: the rows of the waves it holds give way."""
    if scope == "append":
        return _appended(con, staged, "answers")
    return replace_in_scope(
        con,
        target,
        f"select * from {staged}",
        ["survey_id", "wave"],
        key,
        values,
        what="answers" if target == "survey_responses" else "invited counts",
        unit_label="wave",
    )


OFFERING_KEY = ("offered_on", "school_id", "mode", "title", "role")


def replace_offerings(con, staged: str, scope: str | None) -> Replacement:
    """Before a learning file's staged offerings are written: the offerings of its school years (and schools)
    give way, so an offering the district deleted from its system leaves the warehouse too."""
    if scope == "append":
        return _appended(con, staged, "participant counts (offering x role)")
    scope_columns = ["school_year"] if scope == "year" else ["school_year", "school_id"]
    return replace_in_scope(
        con,
        "learning_offerings",
        f"select * from {staged}",
        scope_columns,
        OFFERING_KEY,
        ("hours", "n_participants"),
        what="participant counts (offering x role)",
        unit_label=None if scope == "year" else "school",
    )


def _appended(con, staged: str, what: str) -> Replacement:
    n = con.execute(f"select count(*) from {staged}").fetchone()[0]
    years = _distinct_years(con, f"select * from {staged}", {}) if what == "enrollments" else []
    return Replacement(what, "append", n_added=n, school_years=years)


# ---------------------------------------------------------------- the one way rows are replaced


def replace_in_scope(
    con,
    target: str,
    new_sql: str,
    scope_columns: list[str],
    key: tuple[str, ...],
    values: tuple[str, ...],
    what: str,
    unit_label: str | None,
    old_filter: str = "true",
    params: dict | None = None,
) -> Replacement:
    """Count the rows of `target` in the scope of the new rows, match them on `key`, then delete them.

    target, scope_columns, key and values are our own table and column names; new_sql and old_filter are
    SQL written in etl/, over bound params. A row's key and its other values are hashed: a key seen in both
    with other values (or another number of rows) is a changed row; the sums of the hashes compare the rows
    of a key as a multiset, so the order of the rows does not matter.
    """
    params = dict(params or {})
    scope_list = ", ".join(scope_columns)
    con.execute(f"create or replace temp table replace_units as select distinct {scope_list} from ({new_sql})", params)
    on = " and ".join(f"t.{c} is not distinct from u.{c}" for c in scope_columns)
    old_sql = f"select t.* from {target} as t semi join replace_units as u on {on} where {old_filter}"
    n_old = con.execute(f"select count(*) from ({old_sql})", params).fetchone()[0]
    if n_old == 0:  # a first load: nothing to match, nothing to delete
        n_added, n_changed, n_removed = con.execute(f"select count(*), 0, 0 from ({new_sql})", params).fetchone()
    else:
        n_added, n_changed, n_removed = _matched(con, old_sql, new_sql, key, values, params)
        con.execute(f"delete from {target} as t using replace_units as u where {on} and {old_filter}", params)
    units = con.execute(f"select {scope_list} from replace_units order by all").fetchall()
    con.execute("drop table replace_units")
    years = sorted({u[0] for u in units}) if scope_columns[0] == "school_year" else []
    return Replacement(
        what,
        _scope_words(scope_columns, units, unit_label),
        n_replaced=int(n_old),
        n_added=int(n_added),
        n_changed=int(n_changed),
        n_removed=int(n_removed),
        school_years=years,
    )


def _matched(con, old_sql: str, new_sql: str, key: tuple[str, ...], values: tuple[str, ...], params: dict):
    """(rows added, keys changed, rows removed): rows of a key only the file has, keys whose rows differ (in
    values or in number), rows of a key only the warehouse had."""
    key_hash, value_hash = f"hash({', '.join(key)})", f"hash({', '.join(values)})"
    return con.execute(
        f"""
        with old as (select {key_hash} as k, count(*) as n, sum({value_hash}) as v from ({old_sql}) group by k),
        new as (select {key_hash} as k, count(*) as n, sum({value_hash}) as v from ({new_sql}) group by k)
        select coalesce(sum(n.n) filter (where o.k is null), 0),
               count(*) filter (where o.k is not null and n.k is not null and (o.n <> n.n or o.v <> n.v)),
               coalesce(sum(o.n) filter (where n.k is null), 0)
        from old as o full join new as n using (k)""",
        params,
    ).fetchone()


def _scope_words(scope_columns: list[str], units: list[tuple], unit_label: str | None) -> str:
    """'2025-26, sections 3A, 3B' / 'survey climate wave fall': the first column's values, then the rest's."""
    if not units:
        return ""  # nothing loaded: Replacement.line says so in words, never with blanks
    firsts = list(dict.fromkeys(str(u[0]) for u in units))
    if scope_columns[0] == "survey_id":
        by_survey = {}
        for survey, wave in units:
            by_survey.setdefault(survey, []).append(str(wave))
        return "; ".join(f"survey {s} wave{'s' if len(w) > 1 else ''} {_listed(w)}" for s, w in by_survey.items())
    words = _listed(firsts)
    if len(scope_columns) > 1:
        seconds = list(dict.fromkeys("(none)" if u[1] is None else str(u[1]) for u in units))
        plural = "es" if unit_label == "class" else "s"
        words += f", {unit_label}{plural if len(seconds) > 1 else ''} {_listed(seconds)}"
    return words


def _listed(values: list[str]) -> str:
    shown = ", ".join(values[:UNITS_SHOWN])
    return shown + (f", ... {len(values) - UNITS_SHOWN} more" if len(values) > UNITS_SHOWN else "")


def _distinct_years(con, relation_sql: str, params: dict) -> list[str]:
    return [
        y for (y,) in con.execute(f"select distinct school_year from ({relation_sql}) order by 1", params).fetchall()
    ]
