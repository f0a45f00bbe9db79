"""What a file looks like: its kind, its format, why, and the command that loads it."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import LoadRefused
from etl.formats.registry import FORMATS, Format
from etl.formats.sample import Sample, take_sample

KIND_ORDER = ("gradebook", "roster", "continuum", "survey")
SURVEY_REASONS = {
    "google_forms": "looks like a Google Forms response export: a Timestamp column, then one column per question",
    "surveymonkey": "looks like a SurveyMonkey export: two header rows (questions, then Response or the option)",
    "qualtrics": "looks like a Qualtrics export: three header rows (column ids, question texts, ImportId JSON)",
    "invited": "looks like invited counts per school and role (n_invited)",
    "long": "has a long survey's columns (a row per response x item)",
}


@dataclass
class Detection:
    path: Path
    kind: str | None
    format: str | None
    reason: str
    needs: str = ""
    is_converted: bool = False
    others: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, format, reason)

    @property
    def is_known(self) -> bool:
        return self.kind is not None

    def command(self) -> str:
        if not self.kind:
            return ""
        parts = ["python", "-m", "etl", "load", self.kind, str(self.path)]
        if self.format and self.format not in ("canonical", "common_standards_project"):
            parts += ["--format", self.format]
        if self.needs:
            parts += self.needs.split()
        return " ".join(shlex.quote(p) for p in parts)

    def lines(self) -> list[str]:
        if not self.kind:
            return [f"{self.path.name}: not recognised: {self.reason}"]
        out = [
            f"{self.path.name}: {self.kind}, format {self.format}: {self.reason}",
            f"  load it with: {self.command()}",
        ]
        out += [f"  could also be: {kind} {fmt} ({why})" for kind, fmt, why in self.others]
        return out


def _matches(sample: Sample, kind: str | None) -> list[tuple[Format, str]]:
    found = []
    for spec in FORMATS:
        if kind and spec.kind != kind:
            continue
        try:
            reason = spec.detect(sample)
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            reason = None
        if reason:
            found.append((spec, reason))
    return found


def _survey(path: Path, sample: Sample) -> str | None:
    if sample.json is not None or sample.bundle:
        return None
    from etl.surveys.detect import detect_rows

    rows = [sample.header, *sample.rows[:3]]
    fmt = detect_rows(rows)
    if fmt == "long":
        keys = sample.keys
        if not ({"itemid", "questionid", "item"} & keys and {"value", "answer", "response", "rating"} & keys):
            return None
    return fmt


def detect_file(path: Path, kind: str | None = None) -> Detection:
    """The best match for `path` (among the formats of `kind` when given), with the others that fit."""
    path = Path(path)
    sample = take_sample(path)
    matches = _matches(sample, kind if kind != "survey" else "__none__")
    survey = _survey(path, sample) if kind in (None, "survey") else None
    candidates = [(spec.kind, spec.name, reason, spec) for spec, reason in matches]
    if survey and (kind == "survey" or not matches):
        candidates.insert(0 if kind == "survey" else len(candidates), ("survey", survey, SURVEY_REASONS[survey], None))
    if not candidates:
        return Detection(path, None, None, _unknown_reason(sample, kind))
    best_kind, best_format, reason, spec = candidates[0]
    others = [(k, f, r) for k, f, r, _ in candidates[1:] if (k, f) != (best_kind, best_format)][:3]
    return Detection(
        path,
        best_kind,
        best_format,
        reason,
        needs=spec.needs if spec else "",
        is_converted=bool(spec and spec.convert),
        others=others,
    )


def _unknown_reason(sample: Sample, kind: str | None) -> str:
    if sample.json is not None:
        return "a JSON file that is no standards framework the loader knows"
    shown = ", ".join(h or "(blank)" for h in sample.header[:12])
    return (
        f"its columns ({shown}) match no {kind or 'known'} format; a mapping file (--mapping) can describe "
        "them (etl/presets/README.md)"
    )


def describe_for_refusal(path: Path, kind: str, used_format: str | None) -> str:
    """A refusal's second half: what the file looks like and the command that might load it."""
    try:
        found = detect_file(path)
    except LoadRefused:
        return ""
    if not found.is_known:
        return f" It matches no known format: {found.reason}."
    if found.kind == kind and found.format == (used_format or "canonical"):
        return ""
    what = found.reason if found.reason.startswith("looks like") else f"looks like a {found.kind} file ({found.reason})"
    return f" It {what}: try `{found.command()}`."
