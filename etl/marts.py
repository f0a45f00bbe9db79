"""Rebuild the mart_* tables (etl/marts/*.sql) inside the load's transaction."""
from __future__ import annotations

from pathlib import Path

from etl.config import district_config

MART_DIR = Path(__file__).with_name("marts")
# Built in this order: each reads the ones before it.
# group_status is a table macro over mart_content_status, so it is (re)created after it.
MART_ORDER = ["mart_evidence", "mart_terms", "mart_standard_scores", "mart_content_status", "group_status"]


def mart_params() -> dict:
    config = district_config()
    return {"decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}


def rebuild(con, kinds: set[str] | None = None) -> None:
    params = mart_params()
    for name in MART_ORDER:
        sql = (MART_DIR / f"{name}.sql").read_text()
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        con.execute(sql, used)
