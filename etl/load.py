"""One load of one file: read, adapt, validate, write, rebuild marts; all or nothing.

Every adapter stages its rows in temp tables (or hands over a writer for rows too many to stage)
and its rejects in `load_rejects`; this module owns
the transaction, the `loads` record, the upserts into the canonical tables and the marts. A file
whose bytes were already loaded for the same kind is answered "already loaded" and changes nothing.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

import warehouse
from etl import marts
from etl.adapters import ADAPTERS, LoadOptions, Staged
from etl.errors import LoadRefused
from etl.replace import Replacement
from warehouse.sql_names import identifier

KINDS = ("roster", "continuum", "gradebook", "survey", "rubric", "learning")
# Files this big are hashed (for "already loaded") in a thread while the adapter reads them: on ten million
# scores that hides a second of single-threaded hashing. Smaller files are hashed first, so a repeated one
# is answered before it is read.
HASH_ALONGSIDE_BYTES = 64 * 2**20


@dataclass
class LoadReport:
    file_name: str
    kind: str
    status: str  # loaded | already loaded | refused
    load_id: int | None = None
    file_format: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    notes: list[str] = field(default_factory=list)
    reject_summary: list[tuple[str, int]] = field(default_factory=list)
    message: str = ""
    replacement: Replacement | None = None  # what the load replaced (etl/replace.py)

    def lines(self) -> list[str]:
        if self.status == "refused":
            return [f"{self.file_name}: refused: {self.message}"]
        if self.status == "already loaded":
            return [f"{self.file_name}: already loaded (load {self.load_id}); nothing changed"]
        out = [
            f"{self.file_name}: {self.kind} ({self.file_format}) load {self.load_id}: "
            f"{self.rows_read} rows read, {self.rows_loaded} loaded, {self.rows_rejected} rejected"
        ]
        if self.replacement is not None:
            out.append(f"  {self.replacement.line()}")
        out += [f"  note: {n}" for n in self.notes]
        out += [f"  rejected {count} x {reason}" for reason, count in self.reject_summary]
        if self.rows_loaded == 0:
            out.append(f"  {self.nothing_loaded()}")
        return out

    def nothing_loaded(self) -> str:
        """One sentence for a load that loaded nothing: why, and what to do."""
        if self.reject_summary:
            reason, count = max(self.reject_summary, key=lambda rc: rc[1])
            return (
                f"nothing was loaded: all {self.rows_rejected:,} rows were rejected, most often ({count:,} rows) "
                f"for: {reason}; fix that in the file or its mapping and load it again"
            )
        return (
            f"nothing was loaded: the file holds no rows of {self.kind} data (check that it is the export you "
            "meant, or name its format with --format)"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as f:
        while chunk := f.read(8 * 1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def load_file(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    path: Path,
    options: LoadOptions | None = None,
    rebuild_marts: bool = True,
) -> LoadReport:
    path = Path(path)
    options = options or LoadOptions()
    if kind not in ADAPTERS:
        raise LoadRefused(f"{path.name}: unknown kind '{kind}' (one of {', '.join(KINDS)})")
    if not path.exists():
        raise LoadRefused(f"{path.name}: file not found")
    if path.is_dir():
        raise LoadRefused(f"{path.name}: is a folder, not a file: name the file itself (e.g. {path.name}/roster.csv)")
    if warehouse.get_info(con, "is_demo") == "true":
        raise LoadRefused(
            f"{path.name}: this warehouse holds the generated demo district; load your own exports into "
            "a warehouse of their own (--db PATH or DASHBOARD_DB), so real students are never shown as demo data"
        )
    with ThreadPoolExecutor(max_workers=1) as hasher:
        sha = hasher.submit(file_sha256, path)
        if path.stat().st_size < HASH_ALONGSIDE_BYTES:
            previous = _previous_load(con, kind, sha.result())
            if previous:
                return LoadReport(path.name, kind, "already loaded", load_id=previous)
        started = datetime.now()
        con.execute("begin transaction")
        try:
            report = _load_in_transaction(con, kind, path, sha, started, options, rebuild_marts)
            con.execute("commit")
        except AlreadyLoaded as already:
            con.execute("rollback")
            return LoadReport(path.name, kind, "already loaded", load_id=already.load_id)
        except BaseException:
            con.execute("rollback")
            raise
        finally:
            _drop_temp_tables(con)
    return report


class AlreadyLoaded(Exception):
    def __init__(self, load_id: int) -> None:
        super().__init__(load_id)
        self.load_id = load_id


def _previous_load(con, kind: str, sha: str) -> int | None:
    row = con.execute(
        "select load_id from loads where sha256 = $sha and kind = $kind and status = 'loaded'",
        {"sha": sha, "kind": kind},
    ).fetchone()
    return row[0] if row else None


def _load_in_transaction(con, kind, path, sha_job: Future, started, options, rebuild_marts) -> LoadReport:
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchone()[0]
    con.execute(
        "create or replace temp table load_rejects "
        '(line_number bigint, "column" varchar, value varchar, reason varchar)'
    )
    staged: Staged = ADAPTERS[kind](con, path, options)
    # A big file was hashed while the adapter read it; it is checked before anything is written.
    sha = sha_job.result()
    previous = _previous_load(con, kind, sha)
    if previous:
        raise AlreadyLoaded(previous)
    rows_loaded = _write_staged(con, staged, load_id)
    rows_rejected = con.execute("select count(*) from load_rejects").fetchone()[0]
    con.execute(
        'insert into rejects select $load_id, line_number, "column", value, reason from load_rejects',
        {"load_id": load_id},
    )
    summary = con.execute(
        "select reason, count(*) as n from load_rejects group by reason order by n desc, reason limit 10"
    ).fetchall()
    notes = staged.notes
    replaced = staged.replacement
    report = LoadReport(
        file_name=path.name,
        kind=kind,
        status="loaded",
        load_id=load_id,
        file_format=staged.file_format,
        rows_read=staged.rows_read,
        rows_loaded=rows_loaded,
        rows_rejected=rows_rejected,
        notes=notes,
        reject_summary=summary,
        replacement=replaced,
    )
    con.execute(
        "insert into loads (load_id, kind, format, file_name, sha256, rows_read, rows_loaded, rows_rejected, "
        "status, started_at, finished_at, message, target_table, replace_scope, rows_replaced, rows_added, "
        "rows_changed, rows_removed) values ($load_id, $kind, $format, $file_name, $sha, $read, $loaded, "
        "$rejected, 'loaded', $started, $finished, $message, $target, $scope, $replaced, $added, $changed, "
        "$removed)",
        {
            "load_id": load_id,
            "kind": kind,
            "format": staged.file_format,
            "file_name": path.name,
            "sha": sha,
            "read": staged.rows_read,
            "loaded": rows_loaded,
            "rejected": rows_rejected,
            "started": started,
            "finished": datetime.now(),
            "message": "; ".join(notes)[:4000],
            "target": staged.main_table,
            "scope": replaced.scope if replaced else None,
            "replaced": replaced.n_replaced if replaced else None,
            "added": replaced.n_added if replaced else None,
            "changed": replaced.n_changed if replaced else None,
            "removed": replaced.n_removed if replaced else None,
        },
    )
    if replaced is not None and replaced.demographics_by_year:
        con.executemany(
            "insert into load_demographic_changes values (?, ?, ?, ?)",
            [(load_id, year, name, n) for year, name, n in replaced.demographics_by_year],
        )
    _mark_replaced_loads(con, staged.main_table, load_id)
    if rebuild_marts:
        marts.rebuild(con, marts_scope(con, kind, replaced))
    warehouse.set_info(con, "data_version", f"{load_id}:{sha[:12]}")
    return report


def marts_scope(con, kind: str, replaced: Replacement | None) -> marts.Scope:
    """Which marts a load's changes reach: the school years of a gradebook's or a roster's rows (their
    enrollments are in the marts) and nothing else; a continuum's standards reach every year; surveys and
    rubrics and professional-learning offerings no student mart (the steps that read them still run: etl/marts/__init__.py)."""
    if kind in ("gradebook", "roster") and replaced is not None:
        return marts.Scope(school_years=tuple(replaced.school_years), kind=kind)
    if kind in ("survey", "rubric", "learning"):
        return marts.Scope(school_years=(), kind=kind)
    return marts.Scope(school_years=None, kind=kind)


def _mark_replaced_loads(con, target: str, load_id: int) -> None:
    """Earlier loads into the same table whose rows were replaced, wholly or in part, say so; a file whose
    rows are no longer all in the warehouse is not "already loaded" (loading it again restores it)."""
    if "load_id" not in {r[0] for r in con.execute(f"describe {target}").fetchall()}:
        return  # target: an adapter's constant table name
    con.execute(
        f"""update loads set status = case when coalesce(p.n, 0) = 0 then 'replaced' else 'partly replaced' end
        from (select l.load_id, k.n from loads as l
              left join (select load_id, count(*) as n from {target} group by load_id) as k using (load_id)
              where l.target_table = $target and l.status = 'loaded' and l.load_id <> $load_id
                and coalesce(k.n, 0) < l.rows_loaded) as p
        where loads.load_id = p.load_id""",
        {"target": target, "load_id": load_id},
    )


def _write_staged(con, staged: Staged, load_id: int) -> int:
    """Upsert each staged temp table into its canonical table; returns rows of the main one."""
    main_count = 0
    for target, (temp_table, mode) in staged.tables.items():
        if target in staged.replace:
            replaced = staged.replace[target](con)
            if target == staged.main_table:
                staged.replacement = replaced
        # target and temp_table are the adapters' own constants, never user input.
        columns = [r[0] for r in con.execute(f"describe {temp_table}").fetchall()]
        target_columns = {r[0] for r in con.execute(f"describe {target}").fetchall()}
        if "load_id" in target_columns and "load_id" not in columns:
            con.execute(f"alter table {temp_table} add column load_id integer default {int(load_id)}")
            columns.append("load_id")
        column_list = ", ".join(identifier(c) for c in columns)
        verb = {"append": "insert into", "replace": "insert or replace into", "ignore": "insert or ignore into"}[mode]
        con.execute(f"{verb} {target} ({column_list}) select {column_list} from {temp_table}")
        if target == staged.main_table:
            main_count = con.execute(f"select count(*) from {temp_table}").fetchone()[0]
    for target, write in staged.writers.items():
        written = write(con, load_id)
        if target == staged.main_table:
            main_count = written
    return main_count


def _drop_temp_tables(con) -> None:
    """Drop the load's temp tables, and the views over them a failed adapter may leave behind."""
    for (name,) in con.execute(
        "select view_name from duckdb_views() where temporary and not internal and database_name = 'temp'"
    ).fetchall():
        con.execute(f'drop view if exists temp."{name}"')
    for (name,) in con.execute(
        "select table_name from duckdb_tables() where temporary and database_name = 'temp'"
    ).fetchall():
        con.execute(f'drop table if exists temp."{name}"')
