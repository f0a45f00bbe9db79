"""The learning continuum: standards by grade level, from a plain CSV or Common Standards Project JSON."""

from __future__ import annotations

import pandas as pd

from etl.adapters.common import LoadOptions, Staged, reject_frame, resolve_columns
from etl.errors import LoadRefused
from etl.normalize import parse_grade_levels
from etl.readers import read_raw
from etl.vocabulary import column_aliases
from warehouse.sql_names import identifier

ALIASES = column_aliases(
    "continuum",
    {
        "standard_code": ["code", "standard", "standard_id", "id", "statement_code"],
        "framework": ["framework_name", "source"],
        "content_area": ["subject", "content", "discipline"],
        "strand": ["domain", "cluster", "category"],
        "continuum_level": ["grade_level", "grade", "level"],
        "description": ["statement", "standard_description", "text", "title"],
    },
)  # and the field's names: etl/vocabulary/columns.yaml
CONTENT_AREAS = {
    "math": "math",
    "mathematics": "math",
    "maths": "math",
    "ela": "ela",
    "english language arts": "ela",
    "english": "ela",
    "reading": "ela",
    "writing": "ela",
    "literacy": "ela",
    "ela-literacy": "ela",
    "language arts": "ela",
    "science": "science",
    "sci": "science",
    "social studies": "social_studies",
}


def adapt(con, path, options: LoadOptions) -> Staged:
    if path.suffix.lower() == ".json":
        return _adapt_csp_json(con, path, options)
    raw = read_raw(con, path)
    found = resolve_columns(
        raw,
        ALIASES,
        (options.resolved_mapping("continuum") or {}).get("columns"),
        ["standard_code", "content_area", "continuum_level"],
    )
    select = ", ".join(f"{identifier(key)} as {canonical}" for canonical, key in found.items())
    frame = con.execute(f"select line_number, {select} from {raw.name}").df()  # keys: our own names
    frame, rejects = _normalize(frame)
    reject_frame(con, rejects)
    _stage(con, frame)
    return Staged(
        {"standards": ("staged_standards", "replace")},
        "standards",
        raw.n_rows,
        options.file_format or "csv",
        list(raw.notes),
    )


def _adapt_csp_json(con, path, options: LoadOptions) -> Staged:
    from etl.csp_continuum import read_csp_json

    try:
        frame = read_csp_json(path)
    except ValueError as error:
        raise LoadRefused(str(error)) from None
    frame = frame.reset_index(drop=True)
    frame.insert(0, "line_number", frame.index + 1)  # JSON has no lines: the node's position
    notes = [f"Common Standards Project JSON: {len(frame)} standards"]
    frame, rejects = _normalize(frame)
    reject_frame(con, rejects)
    _stage(con, frame)
    return Staged(
        {"standards": ("staged_standards", "replace")},
        "standards",
        len(frame) + len(rejects),
        "common_standards_project",
        notes,
    )


def _normalize(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = frame.copy()
    frame["standard_code"] = frame["standard_code"].astype("string").str.strip()
    area = frame["content_area"].astype("string").str.strip().str.lower()
    frame["content_area"] = area.map(lambda a: CONTENT_AREAS.get(a, a) if isinstance(a, str) else None)
    if pd.api.types.is_integer_dtype(frame["continuum_level"]):
        bad_level = frame["continuum_level"].isna()
    else:
        frame["continuum_level"], bad_level = parse_grade_levels(frame["continuum_level"])
    rejects = []
    bad = pd.Series(False, index=frame.index)
    for mask, column, reason in [
        (frame["standard_code"].isna() | (frame["standard_code"] == ""), "standard_code", "standard code is blank"),
        (frame["content_area"].isna(), "content_area", "content area is blank"),
        (
            bad_level.astype(bool) | frame["continuum_level"].isna(),
            "continuum_level",
            "continuum level is not a grade K-12",
        ),
    ]:
        mask = mask.fillna(True).astype(bool) & ~bad
        rows = frame[mask]
        rejects.append(
            pd.DataFrame(
                {
                    "line_number": rows["line_number"],
                    "column": column,
                    "value": rows[column].astype("string"),
                    "reason": reason,
                }
            )
        )
        bad |= mask
    frame = frame[~bad]
    duplicate = frame.duplicated("standard_code", keep="last")
    rows = frame[duplicate]
    rejects.append(
        pd.DataFrame(
            {
                "line_number": rows["line_number"],
                "column": "standard_code",
                "value": rows["standard_code"],
                "reason": "standard code appears twice (the later row is kept)",
            }
        )
    )
    return frame[~duplicate], pd.concat(rejects, ignore_index=True)


def _stage(con, frame: pd.DataFrame) -> None:
    for column in ["framework", "strand", "description"]:
        if column not in frame:
            frame[column] = None
    con.register("standards_frame", frame)
    con.execute(
        """create or replace temp table staged_standards as
        select standard_code::varchar as standard_code, framework::varchar as framework,
               content_area::varchar as content_area, strand::varchar as strand,
               continuum_level::integer as continuum_level, description::varchar as description
        from standards_frame"""
    )
    con.unregister("standards_frame")
