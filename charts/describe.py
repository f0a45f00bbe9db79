"""A chart's text alternative: one line saying what it shows, read from the figure's own data (so it can never
say something the chart does not), for screen readers (the chart's alt text) and for everyone (its caption)."""

from __future__ import annotations

import math
import re

import plotly.graph_objects as go

MAX_SERIES = 3


def describe(figure: go.Figure) -> str:
    """`Title: highest X (12.3), lowest Y (4.5).` for bars; the first and last point of each line; a grid's
    extremes. Hidden (suppressed) values are left out, as the chart leaves them out."""
    title = _text(figure.layout.title.text) if figure.layout.title else ""
    parts = [p for p in (_trace_text(t) for t in figure.data[: MAX_SERIES * 2]) if p][:MAX_SERIES]
    if not parts:
        return f"{title}: no figure to show." if title else "No figure to show."
    more = len([t for t in figure.data if _points(t)]) - len(parts)
    body = "; ".join(parts) + (f"; and {more} more series" if more > 0 else "")
    return f"{title}: {body}." if title else body[0].upper() + body[1:] + "."


def _trace_text(trace) -> str | None:
    points = _points(trace)
    if not points:
        return None
    name = _text(getattr(trace, "name", None))
    prefix = f"{name}: " if name else ""
    if trace.type == "heatmap":
        (top, high), (bottom, low) = max(points, key=lambda p: p[1]), min(points, key=lambda p: p[1])
        return f"{prefix}a grid of {len(points)} cells, highest {top} ({_num(high)}), lowest {bottom} ({_num(low)})"
    if trace.type == "scatter" and "lines" in str(trace.mode or "lines") and len(points) > 1:
        (first, a), (last, b) = points[0], points[-1]
        return f"{prefix}{_num(a)} at {first} to {_num(b)} at {last}"
    if len(points) == 1:
        label, value = points[0]
        return f"{prefix}{label} {_num(value)}"
    (top, high), (bottom, low) = max(points, key=lambda p: p[1]), min(points, key=lambda p: p[1])
    return f"{prefix}{len(points)} values, highest {top} ({_num(high)}), lowest {bottom} ({_num(low)})"


def _points(trace) -> list[tuple[str, float]]:
    """(label, value) of every shown point of a bar, line or heatmap trace."""
    if trace.type == "heatmap":
        z, xs, ys = trace.z, trace.x, trace.y
        if z is None:
            return []
        return [
            (f"{_text(ys[r]) if ys is not None else r} / {_text(xs[c]) if xs is not None else c}", v)
            for r, row in enumerate(z)
            for c, v in enumerate(row)
            if _is_number(v)
        ]
    if trace.type not in ("bar", "scatter"):
        return []
    horizontal = getattr(trace, "orientation", None) == "h"
    labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
    if values is None:
        return []
    labels = labels if labels is not None else range(len(values))
    return [(_text(label), float(value)) for label, value in zip(labels, values) if _is_number(value)]


def _is_number(value) -> bool:
    try:
        return value is not None and not isinstance(value, bool) and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _num(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _text(value) -> str:
    """Labels as plain words: the charts' HTML line breaks and tags dropped."""
    return re.sub(r"<[^>]+>", " ", str(value)).strip() if value is not None else ""
