"""Build the demo district: generate its export files, then load them through the real loaders."""
from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from etl import marts, warehouse
from etl.demo_district import write_demo_files
from etl.load import load_file

LOAD_ORDER = ["continuum", "roster", "gradebook", "survey", "rubric"]


def build_demo(path: Path, seed: int = 42, echo=lambda line: None) -> str:
    """Build into a new file beside the target and swap it in, so a running app never sees half."""
    path = Path(path)
    started = time.perf_counter()
    building = path.with_name(path.name + ".building")
    building.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="demo-district-") as folder:
        files = write_demo_files(Path(folder), seed=seed)
        con = warehouse.connect(building)
        try:
            for kind in LOAD_ORDER:
                for file in files.get(kind, []):
                    report = load_file(con, kind, file, rebuild_marts=False)
                    for line in report.lines():
                        echo(line)
            con.execute("begin transaction")
            marts.rebuild(con)
            warehouse.set_info(con, "is_demo", "true")
            warehouse.set_info(con, "demo_seed", str(seed))
            warehouse.set_info(con, "data_version", f"demo-{seed}-{time.time_ns()}")
            con.execute("commit")
            con.execute("checkpoint")
        finally:
            con.close()
    os.replace(building, path)
    Path(str(building) + ".wal").unlink(missing_ok=True)
    return f"demo district (seed {seed}) built at {path} in {time.perf_counter() - started:.1f} s"
