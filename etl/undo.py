"""Undo one load: its rows out, what it overwrote back, the marts rebuilt, in one transaction.

Scores carry their load's id, so undoing a gradebook deletes exactly its rows. The small tables a
load writes by key (schools, students, enrollments, standards, survey items and responses, ...)
are copied as they were before the load (`keep_overwritten`, called by etl/formats/intake.py inside
the load's transaction), and undo puts the copy back. A copy is only the truth while no later load
changed the same table, so undo refuses then and names the later load to undo first; it also refuses
a load that replaced other loads' scores (a refresh), whose replaced rows no copy holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import warehouse
from etl import marts
from etl.errors import LoadRefused
from warehouse.sql_names import identifier

PENDING = -1  # the load's id is not known yet while the adapter runs; its writer sets it
SNAPSHOT_TABLES = (
    "schools",
    "students",
    "enrollments",
    "standards",
    "survey_items",
    "survey_responses",
    "survey_invited",
    "implementation_ratings",
    "learning_offerings",
)


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe {table}").fetchall()]


def _other_scores(con) -> int:
    return con.execute("select count(*) from scores").fetchone()[0]


def keep_overwritten(con, staged) -> None:
    """Copy each small table the load will write, as it is now; record the scores of other loads."""
    tables = [t for t in staged.tables if t in SNAPSHOT_TABLES]
    for table in tables:
        columns = _ensure_snapshot_columns(con, table)
        column_list = ", ".join(identifier(c) for c in columns)
        con.execute(
            f"insert into undo_snapshot_{table} (undo_load_id, {column_list}) "
            f"select {PENDING}, {column_list} from {table}"
        )
    before = _other_scores(con)
    statuses = con.execute("select load_id, status from loads").fetchall()
    touched = [*tables, *(["scores"] if "scores" in staged.writers or "scores" in staged.tables else [])]

    def record(con, load_id: int) -> int:
        after = con.execute(
            "select count(*) from scores where load_id is distinct from $id", {"id": load_id}
        ).fetchone()[0]
        if statuses:
            con.executemany(
                "insert into undo_load_statuses values (?, ?, ?)",
                [(load_id, other, status) for other, status in statuses],
            )
        for table in touched:
            con.execute(
                "insert into undo_touched values ($id, $t, $before, $after)",
                {"id": load_id, "t": table, "before": before, "after": after},
            )
            if table in SNAPSHOT_TABLES:
                con.execute(
                    f"update undo_snapshot_{table} set undo_load_id = $id where undo_load_id = {PENDING}",
                    {"id": load_id},
                )
        return 0

    staged.writers["undo_touched"] = record  # runs after every other writer of the load


def _ensure_snapshot_columns(con, table: str) -> list[str]:
    """The table's columns; a column added to the warehouse since is added to its copy too."""
    columns = _columns(con, table)
    have = set(_columns(con, f"undo_snapshot_{table}"))
    for name, kind in con.execute(
        f"select column_name, data_type from duckdb_columns() where table_name = '{table}' and schema_name = 'main'"
    ).fetchall():
        if name not in have:
            con.execute(f'alter table undo_snapshot_{table} add column "{name}" {kind}')
    return columns


@dataclass
class UndoReport:
    load_id: int
    file_name: str
    rows_removed: dict[str, int]

    def lines(self) -> list[str]:
        removed = ", ".join(f"{table} {n}" for table, n in self.rows_removed.items()) or "nothing"
        return [f"load {self.load_id} ({self.file_name}) undone: rows changed back: {removed}; marts rebuilt"]


def undo_load(con, load_id: int, rebuild_marts: bool = True) -> UndoReport:
    row = con.execute("select file_name, status from loads where load_id = $id", {"id": load_id}).fetchone()
    if row is None:
        raise LoadRefused(f"no load {load_id} in this warehouse (`python -m etl status` lists the loads)")
    file_name, status = row
    if status != "loaded":
        raise LoadRefused(f"load {load_id} ({file_name}) is {status}: nothing to undo")
    touched = con.execute(
        "select table_name, other_scores_before, other_scores_after from undo_touched where load_id = $id",
        {"id": load_id},
    ).fetchall()
    if (
        not touched
        and not con.execute("select count(*) from scores where load_id = $id", {"id": load_id}).fetchone()[0]
    ):
        raise LoadRefused(
            f"load {load_id} ({file_name}) was made before loads could be undone (it kept no copy of what it changed)"
        )
    for table, before, after in touched:
        if table == "scores" and after is not None and before is not None and after < before:
            raise LoadRefused(
                f"load {load_id} ({file_name}) replaced {before - after} score(s) of earlier loads; "
                "undo cannot bring them back: load the earlier file again instead"
            )
        later = con.execute(
            "select t.load_id, l.file_name from undo_touched t join loads l using (load_id) "
            "where t.table_name = $t and t.load_id > $id and l.status = 'loaded' order by t.load_id desc limit 1",
            {"t": table, "id": load_id},
        ).fetchone()
        if later and table in SNAPSHOT_TABLES:
            raise LoadRefused(
                f"load {later[0]} ({later[1]}) changed {table} after load {load_id}: undo load {later[0]} first"
            )
    con.execute("begin transaction")
    try:
        removed = _undo_in_transaction(con, load_id, [t for t, _, _ in touched])
        if rebuild_marts:
            marts.rebuild(con)
        warehouse.set_info(con, "data_version", f"undo-{load_id}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return UndoReport(load_id, file_name, removed)


def _undo_in_transaction(con, load_id: int, tables: list[str]) -> dict[str, int]:
    removed = {}
    n = con.execute("delete from scores where load_id = $id", {"id": load_id}).fetchall()[0][0]
    if n:
        removed["scores"] = n
    for table in tables:
        if table not in SNAPSHOT_TABLES:
            continue
        columns = ", ".join(identifier(c) for c in _columns(con, table))
        before = con.execute(f"select count(*) from {table}").fetchone()[0]
        con.execute(f"delete from {table}")
        con.execute(
            f"insert into {table} ({columns}) select {columns} from undo_snapshot_{table} where undo_load_id = $id",
            {"id": load_id},
        )
        after = con.execute(f"select count(*) from {table}").fetchone()[0]
        removed[table] = before - after
        con.execute(f"delete from undo_snapshot_{table} where undo_load_id = $id", {"id": load_id})
    for (table,) in con.execute(
        "select table_name from duckdb_columns() where schema_name = 'main' and column_name = 'load_id' "
        "and table_name not in ('loads', 'scores', 'undo_touched', 'undo_load_statuses') "
        "and table_name not like 'undo_snapshot_%'"
    ).fetchall():
        if table not in SNAPSHOT_TABLES:  # rejects, and what a load records beside its rows
            con.execute(f'delete from "{table}" where load_id = $id', {"id": load_id})
    con.execute(
        "update loads set status = s.status from undo_load_statuses s where s.load_id = $id "
        "and loads.load_id = s.other_load_id and loads.status is distinct from s.status",
        {"id": load_id},
    )
    con.execute("delete from undo_load_statuses where load_id = $id", {"id": load_id})
    con.execute("delete from undo_touched where load_id = $id", {"id": load_id})
    con.execute("update loads set status = 'undone', finished_at = now() where load_id = $id", {"id": load_id})
    return removed
