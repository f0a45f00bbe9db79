"""The file's columns as the warehouse's: constants from the mapping or the command line, the first present of
a column's aliases, each cell as SQL."""

from __future__ import annotations

from etl.adapters.common import LoadOptions, resolve_columns
from etl.adapters.gradebook.mapping import ID_COLUMNS, LOOKED_UP, GradebookMapping
from etl.errors import LoadRefused
from etl.normalize import normalize_header, parse_school_year
from etl.readers import RawTable
from warehouse.sql_names import identifier


def constants_of(mapping: GradebookMapping, options: LoadOptions, raw: RawTable) -> dict[str, str]:
    """Values for the whole file: the command line wins over the mapping's `constants:`."""
    values = dict(mapping.constants)
    for key in ("school_year", "term", "school_id"):
        if getattr(options, key, None):
            values[key] = str(getattr(options, key))
    if "school_year" in values:
        try:
            values["school_year"] = parse_school_year(values["school_year"])
        except ValueError as error:
            raise LoadRefused(f"{raw.path.name}: {error}") from None
    return values


def columns_found(raw: RawTable) -> str:
    shown = ", ".join(raw.headers[k] or k for k in raw.columns[:25])
    return shown + (f", ... {len(raw.columns) - 25} more" if len(raw.columns) > 25 else "")


def resolve_columns_of(
    raw: RawTable,
    mapping: GradebookMapping,
    aliases: dict,
    required: list[str],
    constants: dict,
    needs_mark: bool = False,
) -> dict[str, str]:
    """canonical -> raw key; refuses naming the file and every missing column, with the way out."""
    found = resolve_columns(raw, aliases, _first_present(raw, mapping.columns), [])
    missing = [c for c in required if c not in found and c not in constants]
    if needs_mark and "mark" not in found and "score" not in found:
        missing.append("mark (or score)")
    if "school_year" not in found and "school_year" not in constants:
        if not (mapping.school_year_from_date and "assessed_on" in found):
            missing.append("school_year")
    if missing:
        hint = (
            (
                " (for school_year: give --school-year 2025-26, or set constants: school_year or "
                "school_year_from_date: true in the format)"
            )
            if "school_year" in missing
            else ""
        )
        raise LoadRefused(
            f"{raw.path.name}: missing required column(s) {', '.join(missing)}{hint} "
            f"(columns found: {columns_found(raw)})"
        )
    return found


def _first_present(raw: RawTable, columns: dict) -> dict[str, str]:
    """A mapping may name several headers for one column (exports differ by version): the first
    the file has wins; when it has none, the first is kept so that the refusal names it."""
    chosen = {}
    for canonical, headers in columns.items():
        options = headers if isinstance(headers, list) else [headers]
        chosen[canonical] = next((h for h in options if normalize_header(h) in raw.columns), options[0])
    return chosen


def cell_sql(key: str, source: str, is_padded: bool = True) -> str:
    """A cell without surrounding spaces, NULL when blank. trim() costs as much as reading the file
    itself, so only the cells that start or end with a space pay for it, and in a file where the
    reader saw no such cell (is_padded false) not even the test does."""
    cell = f"{source}.{identifier(key)}"
    if not is_padded:
        return cell
    padded = f"starts_with({cell}, ' ') or ends_with({cell}, ' ')"
    return f"(case when {padded} then nullif(trim({cell}), '') else {cell} end)"


def row_column_sql(
    canonical: str, found: dict, constants: dict, fallback: str = "null::varchar", is_padded: bool = True
) -> str:
    """One row column of gradebook_long: the file's cell, else the file-wide constant (bound)."""
    if canonical not in found:
        cell = fallback
    elif canonical in constants:
        blank = f"trim(r.{identifier(found[canonical])})" if is_padded else f"r.{identifier(found[canonical])}"
        cell = f"nullif({blank}, '')"  # a blank cell takes the constant
    elif canonical in LOOKED_UP:
        cell = f"r.{identifier(found[canonical])}"  # as written: its lookup cleans each distinct value once
    else:
        cell = cell_sql(found[canonical], "r", is_padded)
    if canonical in found and canonical in ID_COLUMNS:
        # Excel turns the id 123 into 123.0; only cells with a dot pay for the regex.
        cell = f"(case when contains({cell}, '.') then regexp_replace({cell}, '^(\\d+)\\.0+$', '\\1') else {cell} end)"
    if canonical in constants:
        return f"coalesce({cell}, $const_{canonical}) as {canonical}"
    return f"{cell} as {canonical}"


def skip_filter(mapping: GradebookMapping, found: dict) -> str:
    """Test students (Canvas's `Student, Test`) match on the student id or the name column."""
    tests = [
        f"trim(r.{identifier(found[c])}) in (select unnest($skip_students))"
        for c in ("student_id", "student_name")
        if c in found
    ]
    if not mapping.skip_students or not tests:
        return "true"
    return "not coalesce(" + " or ".join(tests) + ", false)"


def plan_params(constants: dict, mapping: GradebookMapping) -> dict:
    params = {f"const_{k}": v for k, v in constants.items()}
    if mapping.skip_students:
        params["skip_students"] = mapping.skip_students
    return params


def headers_of(raw: RawTable, found: dict) -> dict[str, str]:
    return {canonical: (raw.headers[key] or key).strip() for canonical, key in found.items()}
