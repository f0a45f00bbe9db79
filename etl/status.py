"""What the warehouse holds: table counts, the latest loads, and whether it is demo data."""

from __future__ import annotations

import warehouse

TABLES = [
    "schools",
    "students",
    "enrollments",
    "standards",
    "scores",
    "survey_items",
    "survey_responses",
    "survey_invited",
    "implementation_ratings",
    "loads",
    "rejects",
    "meeting_notes",
]


def status_lines(con, path) -> list[str]:
    lines = [f"warehouse: {path}"]
    if warehouse.get_info(con, "is_demo") == "true":
        lines.append(f"demo district (seed {warehouse.get_info(con, 'demo_seed')})")
    for table in TABLES:  # our own table names
        count = con.execute(f"select count(*) from {table}").fetchone()[0]
        lines.append(f"  {table:<24} {count:>12,}")
    loads = con.execute(
        "select load_id, kind, format, file_name, rows_read, rows_loaded, rows_rejected, finished_at, status, "
        "rows_replaced, replace_scope from loads order by load_id desc limit 10"
    ).fetchall()
    lines.append("latest loads:")
    for load_id, kind, fmt, name, read, loaded, rejected, finished, state, replaced, scope in loads:
        replaced_words = f", replaced {replaced} for {scope}" if replaced else ""
        state_words = f" [{state}]" if state != "loaded" else ""
        lines.append(
            f"  #{load_id} {finished:%Y-%m-%d %H:%M} {kind:<9} {name} ({fmt}): "
            f"{read} read, {loaded} loaded, {rejected} rejected{replaced_words}{state_words}"
        )
    return lines
