"""Gradebooks, long (a row per student x standard x assessment) or wide (a column per standard).

The bulk work is set-based SQL over the raw rows, because gradebooks are the big files: the
rows are projected (long) or unpivoted (wide) in a CTE that is never materialized, scanned once
for its distinct school years, dates and marks, and scanned once more to insert into `scores`.
A long CSV is not even copied: both scans read the file itself (etl/readers/ stream_raw), which
costs less than one copy of ten million rows. School years, dates and marks have few distinct
values, so those are classified once per distinct value in Python (etl/normalize/,
etl/scales.py) and joined back. Rejects cost a copy of the rows with their line numbers and a
third scan, only when the distinct values show there are some.

The mapping file (a preset in etl/presets/ is one the project ships) is described in
etl/presets/README.md.
"""

from __future__ import annotations

from etl.adapters.common import LoadOptions, Staged
from etl.adapters.gradebook.columns import constants_of
from etl.adapters.gradebook.mapping import ALIASES, GradebookMapping, Plan
from etl.adapters.gradebook.notes import unknown_key_notes, value_notes
from etl.adapters.gradebook.shapes import count_skipped, create_from_frame, plan_long, plan_wide
from etl.adapters.gradebook.staging import may_reject_rows, stage_rejects, write_score_rows
from etl.adapters.gradebook.values import date_lookup, mark_lookup, scan_distinct_values, type_lookup, year_lookup
from etl.readers import RawTable, number_lines, release_raw, stream_errors_refused, stream_raw
from etl.replace import chosen_scope, replace_scores


def adapt(con, path, options: LoadOptions) -> Staged:
    mapping = GradebookMapping.from_dict(options.resolved_mapping("gradebook"), path.name)
    scope = chosen_scope("gradebook", options, options.resolved_mapping("gradebook"), path.name)
    # A big long CSV is read from the file by each scan: no copy of ten million rows in memory.
    raw = stream_raw(con, path)
    constants = constants_of(mapping, options, raw)
    if mapping.shape == "wide":
        plan = plan_wide(con, raw, mapping, constants)
    else:
        plan = plan_long(raw, mapping, constants)
    if mapping.shape == "wide" or plan.skip_filter != "true":
        _number_raw_lines(con, raw, plan)  # their counts need the raw rows, not the scanned ones
    notes = list(raw.notes)
    with stream_errors_refused(raw):
        n_rows = (raw.n_rows or 0) - count_skipped(con, raw, plan, mapping, notes)
        facts = scan_distinct_values(con, plan)
    if raw.n_rows is None:  # streamed long rows: one scanned row per row of the file
        raw.n_rows = n_rows = facts.n_rows
    marks = mark_lookup(facts, mapping.scale)
    years, dates = year_lookup(facts), date_lookup(facts, mapping)
    lookups = {
        "gradebook_marks": marks.frame,
        "gradebook_years": years,
        "gradebook_dates": dates,
        "gradebook_types": type_lookup(facts),
    }
    for table, frame in lookups.items():
        create_from_frame(con, table, frame)
    if marks.has_rejects or may_reject_rows(facts, years, dates, mapping):
        _number_raw_lines(con, raw, plan)  # rejects name their lines
        stage_rejects(con, plan, facts, mapping)  # a third scan, only when the distinct values show rejects
    notes += value_notes(con, facts, marks, plan, n_rows, mapping)
    fmt = options.file_format or ("mapping" if options.mapping else "canonical")
    staged = Staged(
        tables={}, main_table="scores", rows_read=raw.n_rows, file_format=f"{fmt} ({mapping.shape})", notes=notes
    )

    def write_scores(con, load_id: int) -> int:
        # Straight into scores: staging ten million rows first would write them twice. The
        # loader's transaction still makes the load all or nothing.
        n_written = write_score_rows(con, plan, facts, mapping, load_id)
        release_raw(con, raw)
        # The evidence earlier loads wrote in the file's scope gives way to the file's (etl/replace.py).
        staged.replacement = replace_scores(con, load_id, scope)
        staged.notes += unknown_key_notes(con, load_id)
        staged.notes.append(f"scale: {mapping.scale.describe()}")
        return n_written

    staged.writers["scores"] = write_scores
    return staged


def _number_raw_lines(con, raw: RawTable, plan: Plan) -> None:
    """Copy streamed rows into the raw table with their line numbers; the plan then reads the copy."""
    if raw.stream is None:
        return
    streamed_from = f"from {raw.from_sql} r"
    assert streamed_from in plan.sql
    number_lines(con, raw)
    plan.sql = plan.sql.replace(streamed_from, f"from {raw.from_sql} r")


__all__ = ["ALIASES", "adapt"]
