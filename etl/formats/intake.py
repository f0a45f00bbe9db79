"""Between the loader and an adapter: recognise the file, convert it when its shape needs it, say so.

`prepared(kind, adapter)` is what etl/adapters/__init__.py registers for each kind. With no --format
and no --mapping it detects the format (etl/formats/detect.py): a preset is named for the adapter, a
converter rewrites the file in the warehouse's own columns first. A refusal gets a second sentence
that says what the file looks like and the command that might load it. After the adapter, the rows the
load will overwrite are kept for `undo` (etl/undo.py), and a gradebook's standard codes are matched to
the continuum's spelling of the same standard (etl/standard_codes.py).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from etl.errors import LoadRefused
from etl.formats.registry import by_name, converter

DETECTED_KINDS = ("gradebook", "roster", "continuum")


def prepared(kind: str, adapter):
    def adapt(con, path, options):
        path = Path(path)
        options, source, notes = _resolve(con, kind, path, options)
        try:
            staged = adapter(con, source, options)
        except LoadRefused as error:
            first = str(error).rstrip()
            hint = _hint(path, kind, options)
            # one sentence after another: the refusal, then what the file looks like
            raise LoadRefused(first + ("." if hint and not first.endswith((".", "!", "?")) else "") + hint) from None
        staged.notes[:0] = notes
        from etl import standard_codes, undo

        if kind == "gradebook":
            standard_codes.after_scores(staged)
        undo.keep_overwritten(con, staged)
        return staged

    adapt.__wrapped__ = adapter
    adapt.__name__ = f"prepared_{kind}"
    return adapt


def _resolve(con, kind: str, path: Path, options):
    """(options for the adapter, the file it reads, notes): detection and conversion."""
    if kind not in DETECTED_KINDS or options.mapping:
        return options, path, []
    notes = []
    name = options.file_format
    if name is None:
        from etl.formats.detect import detect_file

        try:
            found = detect_file(path, kind)
        except LoadRefused:
            return options, path, []
        if found.kind != kind or found.format is None:
            return options, path, []
        spec = by_name(kind, found.format)
        if spec is None or spec.is_canonical:
            return options, path, []
        notes.append(f"format {found.format}, detected: {found.reason}")
        name = found.format
        if spec.is_preset:
            return dataclasses.replace(options, file_format=name), path, notes
    spec = converter(kind, name)
    if spec is None:
        return options, path, notes
    converted = spec.convert(con, path, options)
    options = dataclasses.replace(options, file_format=name, mapping=converted.mapping or {"kind": kind})
    return options, converted.path, notes + converted.notes


def _hint(path: Path, kind: str, options) -> str:
    from etl.formats.detect import describe_for_refusal

    try:
        return describe_for_refusal(path, kind, options.file_format)
    except Exception:  # a hint must never hide the refusal itself
        return ""
