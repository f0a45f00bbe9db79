"""The one privacy gate (docs/privacy.md). Every table or figure that leaves the warehouse
for a person passes `apply_gate`; there is no second path.

A query declares in its header which column counts the people behind each row (`n`), which
columns are figures about them (`values`), which are percentages (`pct`, top/bottom coded for
small groups), which rows are siblings of one grouping (`siblings`, for complementary suppression)
and, for gaps, which column counts the reference group (`reference_n`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from warehouse.config import district_config
from warehouse.gated_cells import SUPPRESSED_N

AUDIENCES = ("leader", "plc", "board")


@dataclass(frozen=True)
class PrivacySpec:
    kind: str = "students"  # students | survey | none (no figure about people) | student_list | release
    people: str = "students"  # release: whose counts the rows hold (students | survey), for the label
    n: str | None = None
    values: tuple[str, ...] = ()
    pct: tuple[str, ...] = ()
    siblings: tuple[str, ...] = ()
    reference_n: str | None = None
    gap_values: tuple[str, ...] = ()
    comments: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> PrivacySpec:
        """From a header line such as `kind=students n=n_students pct=pct_proficient,pct_low`."""
        fields: dict = {}
        for part in text.split():
            key, _, value = part.partition("=")
            if key in ("kind", "n", "reference_n", "people"):
                fields[key] = value
            elif key in ("values", "pct", "siblings", "gap_values", "comments"):
                fields[key] = tuple(v for v in value.split(",") if v)
            else:
                raise ValueError(f"unknown privacy key '{key}'")
        return cls(**fields)


@dataclass(frozen=True)
class Thresholds:
    min_n: int
    coding_max_n: int
    comment_min_n: int
    label: str = field(default=SUPPRESSED_N)


class NotAllowed(Exception):
    """This audience may not see this kind of output at all (a student list for the board)."""


def thresholds(audience: str, kind: str) -> Thresholds:
    config = district_config()
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}")
    if kind == "survey":
        min_n = max(config.survey_min_n, 5)
        return Thresholds(min_n, 0, max(config.comment_min_n, 10), f"n<{min_n}")
    # The board sees public slides: never below the defaults, whatever the configuration says.
    min_n = max(config.min_n, 10) if audience == "board" else max(config.min_n, 1)
    return Thresholds(min_n, max(config.coding_max_n, 39), max(config.comment_min_n, 10), f"n<{min_n}")


def apply_gate(frame: pd.DataFrame, spec: PrivacySpec, audience: str) -> pd.DataFrame:
    """Return the frame as this audience may see it, with a boolean `suppressed` column."""
    if spec.kind == "none":
        return frame
    if spec.kind == "release":
        return _release_gate(frame, spec)
    if spec.kind == "student_list":
        if audience == "board":
            raise NotAllowed("student lists are never shown to the board audience")
        return frame
    limits = thresholds(audience, spec.kind)
    out = frame.copy()
    if out.empty:
        out["suppressed"] = pd.Series(dtype="bool")
        return out
    n = pd.to_numeric(out[spec.n], errors="coerce").fillna(0)
    suppressed = n < limits.min_n
    suppressed = _complementary(out, n, suppressed, spec.siblings)
    coded = ~suppressed & (n <= limits.coding_max_n) if spec.kind == "students" else suppressed & False
    figure_columns = [c for c in (*spec.values, *spec.pct, *spec.gap_values) if c in out]
    for column in figure_columns:
        out[column] = out[column].astype("object")
    _set_where(out, suppressed, figure_columns, None)
    _top_bottom_code(out, coded, spec)
    _suppress_gaps(out, spec, limits, suppressed)
    _suppress_comments(out, spec, limits, n)
    out[spec.n] = out[spec.n].astype("object")
    _set_where(out, suppressed, [spec.n], limits.label)
    out["suppressed"] = suppressed.astype(bool)
    return out


def _release_gate(frame: pd.DataFrame, spec: PrivacySpec) -> pd.DataFrame:
    """Rows of the public release (queries/release/): the pattern was chosen and audited when the release was
    built (etl/release/, docs/privacy.md), so the gate only labels it: a hidden row shows the label and no figure,
    a coded rate shows its band, and a row whose status is hidden loses every figure whatever the SQL said."""
    limits = thresholds("board", spec.people)
    out = frame.copy()
    status = out["status"] if "status" in out else pd.Series("shown", index=out.index)
    hidden = status.eq("hidden")
    figures = [c for c in out.columns if c not in _RELEASE_LABELS and pd.api.types.is_numeric_dtype(out[c])]
    for column in figures:
        out[column] = out[column].astype("object")
    _set_where(out, hidden, figures, None)
    for column in spec.pct:
        code_column = {"from_pct": "from_code", "to_pct": "to_code"}.get(column, "pct_code")
        if column in out and code_column in out:
            coded = out[code_column].notna() & out[column].isna()
            out[column] = out[column].astype("object")
            _set_where(out, coded, [column], out.loc[coded, code_column] if coded.any() else None)
    if spec.n and spec.n in out:
        out[spec.n] = out[spec.n].astype("object")
        _set_where(out, hidden | out[spec.n].isna(), [spec.n], limits.label)
    out = out.drop(columns=[c for c in ("pct_code", "from_code", "to_code") if c in out])
    out["suppressed"] = hidden.astype(bool)
    return out


# Columns of release rows that are labels, never figures about people.
_RELEASE_LABELS = {
    "status",
    "school_year",
    "from_year",
    "to_year",
    "wave",
    "school_id",
    "term",
    "term_order",
    "content_area",
    "continuum_level",
    "grade_level",
}


def _set_where(out: pd.DataFrame, rows: pd.Series, columns: list[str], value) -> None:
    """out.loc[rows, columns] = value, skipped when no row or column is chosen: most cells pass the gate
    untouched, and an empty .loc assignment still costs about a millisecond per column in pandas."""
    if columns and rows.any():
        out.loc[rows, columns] = value


def _complementary(frame: pd.DataFrame, n: pd.Series, suppressed: pd.Series, siblings: tuple[str, ...]) -> pd.Series:
    """Where exactly one cell of a grouping is suppressed, suppress the smallest remaining one too,
    so the hidden count cannot be recovered by subtraction from the total."""
    keys = [c for c in siblings if c in frame]
    if not keys:
        return suppressed
    group = frame.groupby(keys, dropna=False, sort=False).ngroup()
    per_group = suppressed.groupby(group)
    lone = per_group.transform("sum").eq(1) & per_group.transform("size").ge(2)
    # the smallest released cell of each such grouping (ties: the first row)
    return suppressed | _first_minimum(n.where(lone & ~suppressed), group)


def _first_minimum(values: pd.Series, group: pd.Series) -> pd.Series:
    """True at the first row holding each group's minimum of `values` (NaN rows never)."""
    order = values.reset_index(drop=True).to_frame("v").assign(g=group.to_numpy(), i=range(len(values)))
    order = order.dropna(subset=["v"]).sort_values(["g", "v", "i"])
    chosen = order.drop_duplicates("g")["i"].to_numpy()
    mask = pd.Series(False, index=values.index)
    mask.iloc[chosen] = True
    return mask


def _top_bottom_code(out: pd.DataFrame, coded: pd.Series, spec: PrivacySpec) -> None:
    """Groups of 10-39: a rate near 0 or 100 would single students out, so it shows as a bound."""
    for column in spec.pct:
        if column not in out:
            continue
        value = pd.to_numeric(out[column], errors="coerce")
        low = coded & (value <= 5)
        high = coded & (value >= 95)
        derived = [c for c in (*spec.values, *spec.gap_values) if c in out and c != column]
        _set_where(out, low | high, derived, None)
        _set_where(out, low, [column], "<=5%")
        _set_where(out, high, [column], ">=95%")


def _suppress_gaps(out: pd.DataFrame, spec: PrivacySpec, limits: Thresholds, suppressed: pd.Series) -> None:
    """A gap is suppressed when either side is."""
    if not spec.gap_values:
        return
    gap_columns = [c for c in spec.gap_values if c in out]
    hide = suppressed.copy()
    small_reference = pd.Series(False, index=out.index)
    if spec.reference_n and spec.reference_n in out:
        small_reference = pd.to_numeric(out[spec.reference_n], errors="coerce").fillna(0) < limits.min_n
        hide |= small_reference
    _set_where(out, hide, gap_columns, None)
    if spec.reference_n and spec.reference_n in out:
        out[spec.reference_n] = out[spec.reference_n].astype("object")
        _set_where(out, small_reference & ~suppressed, [spec.reference_n], limits.label)


def _suppress_comments(out: pd.DataFrame, spec: PrivacySpec, limits: Thresholds, n: pd.Series) -> None:
    for column in spec.comments:
        if column in out:
            out[column] = out[column].astype("object")
            _set_where(out, n < limits.comment_min_n, [column], None)
