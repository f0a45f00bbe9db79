"""The public release's cost inside the marts' rebuild: every linked set audited afresh (no set's pattern kept),
timed on the benchmark warehouse, then rolled back."""

from __future__ import annotations

import time
from pathlib import Path


def release_seconds(warehouse_path: Path) -> float:
    import warehouse
    from etl import release

    con = warehouse.connect(warehouse_path)
    try:
        con.execute("begin transaction")
        con.execute("drop table if exists release_proficiency_cells")
        con.execute("drop table if exists release_survey")
        began = time.perf_counter()
        release.rebuild(con)
        seconds = time.perf_counter() - began
        con.execute("rollback")
    finally:
        con.close()
    return round(seconds, 2)
