"""Rebuild the mart_* tables inside the load's transaction.

Each step is a SQL file in etl/marts/, except the calculation methods, which run in numpy
(etl/calculations.py) on the sorted pieces of evidence and come back as the temp table
standard_results.
"""
from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from etl.calculations import calculate
from etl.config import district_config

MART_DIR = Path(__file__).with_name("marts")
# In order: each step reads the ones before it. group_status and plc_as_of are table macros over
# the marts, so they are (re)created after them.
STEPS = ["mart_evidence", "mart_terms", "standard_keys", "calculate", "mart_standard_scores",
         "mart_content_status", "group_status", "mart_continuum_position", "plc_as_of"]


def mart_params() -> dict:
    config = district_config()
    return {"decaying_weight": config.decaying_weight, "most_recent_n": config.most_recent_n}


def rebuild(con) -> None:
    params = mart_params()
    # No mart depends on row order (every ordered step says `order by`), and unordered writes are
    # about 15% faster on ten million scores.
    con.execute("set preserve_insertion_order = false")
    try:
        for step in STEPS:
            if step == "calculate":
                _calculate(con, params)
            else:
                sql = (MART_DIR / f"{step}.sql").read_text()
                used = {k: v for k, v in params.items() if f"${k}" in sql}
                con.execute(sql, used) if used else con.execute(sql)
        con.execute("drop table if exists standard_results")
        con.execute("drop table if exists standard_keys")
    finally:
        con.execute("reset preserve_insertion_order")


def _calculate(con, params: dict) -> None:
    pieces = con.execute((MART_DIR / "standard_pieces.sql").read_text()).fetchnumpy()
    results = calculate(pieces["group_id"], pieces["day_score"], params["decaying_weight"], params["most_recent_n"])
    standard_results = pa.table({name: pa.array(values) for name, values in results.items()})
    con.register("standard_results_arrow", standard_results)
    con.execute("create or replace temp table standard_results as select * from standard_results_arrow")
    con.unregister("standard_results_arrow")
