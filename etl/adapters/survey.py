"""Staff surveys: vendor exports, the generic long format (a row per response x item), invited counts.

The format is detected from the file's first rows (etl/surveys/detect.py); `--format`
(google_forms, surveymonkey, qualtrics, long) overrides it, and any other `--format` names a preset
for the long format. The vendor exports (Google Forms, SurveyMonkey, Qualtrics) are read by their
own readers in etl/surveys/, which stage this same long shape.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from etl.adapters.common import LoadOptions, Staged, constant, reject_rows, resolve_columns
from etl.normalize import normalize_header
from etl.readers import RawTable, read_raw
from etl.replace import chosen_scope, replace_survey_waves
from etl.surveys import google_forms, qualtrics, surveymonkey
from etl.surveys.detect import detect_format
from etl.surveys.item_map import load_item_map
from etl.surveys.stage import stage_wide
from warehouse.config import district_config

READERS = {"google_forms": google_forms.read, "surveymonkey": surveymonkey.read, "qualtrics": qualtrics.read}

LONG_ALIASES = {
    "survey_id": ["survey"],
    "wave": ["administration", "window"],
    "response_id": ["respondent_id", "respondent", "responseid"],
    "school_id": ["school"],
    "role": ["position", "staff_role"],
    "item_id": ["question_id", "item"],
    "item_text": ["question", "question_text", "item_label"],
    "construct": ["domain", "scale", "dimension"],
    "is_reverse_coded": ["reverse_coded", "reverse"],
    "scale_points": ["points", "n_points"],
    "value": ["answer", "response", "rating"],
    "comment": ["comment_text", "free_text"],
    "learning_mode": ["mode"],
}
INVITED_ALIASES = {
    "survey_id": ["survey"],
    "wave": [],
    "school_id": ["school"],
    "role": [],
    "n_invited": ["invited", "n_staff"],
}


# A re-export of a wave replaces the wave (etl/replace.py): per table, its key within a wave and its values.
WAVE_ROWS = {
    "survey_responses": ("staged_responses", ("response_id", "item_id"), ("school_id", "role", "value", "comment")),
    "survey_invited": ("staged_invited", ("school_id", "role"), ("n_invited",)),
}


def adapt(con, path, options: LoadOptions) -> Staged:
    scope = chosen_scope("survey", options, options.resolved_mapping("survey") if options.mapping else {}, path.name)
    staged = _adapt(con, path, options)
    for target, (temp_table, key, values) in WAVE_ROWS.items():
        if target in staged.tables:
            staged.replace[target] = lambda con, t=target, tt=temp_table, k=key, v=values: replace_survey_waves(
                con, tt, t, k, v, scope
            )
    return staged


def _adapt(con, path, options: LoadOptions) -> Staged:
    chosen = options.file_format
    if chosen == "long":
        options = replace(options, file_format=None)  # not a preset name
    elif chosen is None:
        chosen = detect_format(path)
    if chosen in READERS:
        staged = stage_wide(con, path, READERS[chosen](path), options)
        how = "given with --format" if options.file_format else "detected"
        staged.notes.insert(0, f"format {chosen} ({how}; --format overrides)")
        return _tag_learning_modes(con, staged, options.mapping)
    raw = read_raw(con, path)
    if normalize_header("n_invited") in raw.columns or "invited" in raw.columns:
        return _adapt_invited(con, raw, options)
    return _tag_learning_modes(con, _adapt_long(con, raw, options), options.resolved_mapping("survey"))


def _tag_learning_modes(con, staged: Staged, mapping: dict) -> Staged:
    """The mode of professional learning each item asks about, from the file's `learning_mode` column (long
    format) or the item map's `mode`: the PLC system page shows favorability by mode (issue 19)."""
    items = staged.tables.get("survey_items", (None,))[0]
    if items is None:
        return staged
    con.execute(f"alter table {items} add column if not exists learning_mode varchar")  # our own temp table
    item_map = load_item_map(mapping)
    rows = con.execute(f"select item_id, item_text from {items} where learning_mode is null").fetchall()
    tagged = [
        (item_id, spec.learning_mode)
        for item_id, text in rows
        if (spec := item_map.lookup(item_id, text)) is not None and spec.learning_mode
    ]
    if tagged:
        con.register("item_modes_frame", pd.DataFrame(tagged, columns=["item_id", "learning_mode"]))
        con.execute(
            f"update {items} set learning_mode = m.learning_mode from item_modes_frame as m "
            f"where {items}.item_id = m.item_id"
        )
        con.unregister("item_modes_frame")
        staged.notes.append(f"{len(tagged)} item(s) ask about a mode of professional learning (item map `mode`)")
    return staged


def _adapt_long(con, raw: RawTable, options: LoadOptions) -> Staged:
    mapping = options.resolved_mapping("survey")
    constants = {k: constant(getattr(options, k, None), mapping, k) for k in ("school_id", "role")}
    constants.update({k: v for k, v in (mapping.get("constants") or {}).items()})
    found = resolve_columns(
        raw, LONG_ALIASES, mapping.get("columns"), ["survey_id", "wave", "response_id", "item_id", "value"], constants
    )

    def col(name, default="null"):
        return f'trim("{found[name]}")' if name in found else default

    con.execute(
        f"""create or replace temp table survey_long as
        select line_number, {col("survey_id")} as survey_id, {col("wave")} as wave,
               {col("response_id")} as response_id, {col("item_id")} as item_id,
               coalesce({col("school_id")}, $school_id) as school_id, lower(coalesce(nullif({col("role")}, ''), $role)) as role,
               {col("item_text")} as item_text, lower({col("construct")}) as construct,
               coalesce(lower({col("is_reverse_coded")}) in ('true', 't', 'yes', 'y', '1'), false) as is_reverse_coded,
               try_cast({col("scale_points")} as integer) as scale_points,
               {col("value")} as value_text, try_cast({col("value")} as integer) as value,
               nullif({col("comment")}, '') as comment,
               nullif(lower(regexp_replace({col("learning_mode")}, '[-\\s]+', '_', 'g')), '') as learning_mode
        from {raw.name}""",
        {"school_id": constants.get("school_id"), "role": constants.get("role")},
    )
    t = "survey_long"
    for key in ("survey_id", "wave", "response_id", "item_id"):
        reject_rows(con, t, f"{key} is null or {key} = ''", key, key, f"{key.replace('_', ' ')} is blank")
    reject_rows(
        con,
        t,
        "value is null and value_text is not null and lower(value_text) not in "
        "('n/a', 'na', 'not applicable', 'don''t know', 'unfamiliar', '')",
        "value",
        "value_text",
        "answer is not a whole number",
    )
    reject_rows(
        con,
        t,
        "value is not null and (value < 1 or value > coalesce(scale_points, 7))",
        "value",
        "value",
        "answer is outside 1..scale_points",
    )
    modes = list(district_config().learning_modes)
    reject_rows(
        con,
        t,
        "learning_mode is not null and not list_contains($modes, learning_mode)",
        "learning_mode",
        "learning_mode",
        f"mode is not one of {', '.join(modes)} (config/district.yaml learning: extra_modes)",
        {"modes": modes},
    )
    con.execute("""create or replace temp table staged_items as
        select survey_id, item_id, any_value(item_text) as item_text, any_value(construct) as construct,
               bool_or(is_reverse_coded) as is_reverse_coded, max(scale_points) as scale_points,
               any_value(learning_mode) as learning_mode
        from survey_long group by survey_id, item_id""")
    notes = list(raw.notes) + _apply_item_map(con, mapping)
    con.execute("""create or replace temp table staged_responses as
        select survey_id, wave, response_id, item_id, school_id, role, value, comment from survey_long
        qualify row_number() over (partition by survey_id, wave, response_id, item_id order by line_number desc) = 1""")
    return Staged(
        {"survey_items": ("staged_items", "replace"), "survey_responses": ("staged_responses", "replace")},
        "survey_responses",
        raw.n_rows,
        "generic long",
        notes,
    )


def _apply_item_map(con, mapping: dict) -> list[str]:
    """Items the file gives no construct: construct and reverse coding from the item map, if it knows them."""
    items = con.execute("select item_id, item_text from staged_items where construct is null").fetchall()
    if not items:
        return []
    item_map = load_item_map(mapping)
    found = [(item_id, spec) for item_id, text in items if (spec := item_map.lookup(item_id, text)) is not None]
    if found:
        frame = pd.DataFrame(
            {
                "item_id": [i for i, _ in found],
                "construct": [s.construct for _, s in found],
                "is_reverse_coded": [s.is_reverse_coded for _, s in found],
            }
        )
        con.register("item_map_frame", frame)
        con.execute("""update staged_items set construct = m.construct, is_reverse_coded = m.is_reverse_coded
                       from item_map_frame as m where staged_items.item_id = m.item_id""")
        con.unregister("item_map_frame")
    notes = [f"{len(found)} item(s) without a construct took theirs from the item map"] if found else []
    if len(items) > len(found):
        notes.append(f"{len(items) - len(found)} item(s) have no construct (not in the file nor the item map)")
    return notes


def _adapt_invited(con, raw: RawTable, options: LoadOptions) -> Staged:
    found = resolve_columns(
        raw,
        INVITED_ALIASES,
        options.resolved_mapping("survey").get("columns"),
        ["survey_id", "wave", "school_id", "role", "n_invited"],
    )
    con.execute(
        f"""create or replace temp table staged_invited as
        select line_number, trim("{found["survey_id"]}") as survey_id, trim("{found["wave"]}") as wave,
               trim("{found["school_id"]}") as school_id, lower(trim("{found["role"]}")) as role,
               try_cast("{found["n_invited"]}" as integer) as n_invited, "{found["n_invited"]}" as n_text
        from {raw.name}"""
    )
    reject_rows(
        con,
        "staged_invited",
        "n_invited is null or n_invited < 0",
        "n_invited",
        "n_text",
        "invited count is not a whole number",
    )
    con.execute("""create or replace temp table staged_invited as
        select survey_id, wave, school_id, role, n_invited from staged_invited
        qualify row_number() over (partition by survey_id, wave, school_id, role order by line_number desc) = 1""")
    return Staged(
        {"survey_invited": ("staged_invited", "replace")},
        "survey_invited",
        raw.n_rows,
        "invited counts",
        list(raw.notes),
    )
