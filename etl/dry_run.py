"""A load that writes nothing: the whole load runs in a transaction that is rolled back, and what it
would have done is reported (the validation report of `python -m etl load ... --dry-run` and the
Data page)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import warehouse
from etl import load as loader
from etl.adapters import LoadOptions
from etl.errors import LoadRefused


@dataclass
class ValidationReport:
    file_name: str
    kind: str
    file_format: str = ""
    status: str = "would load"  # would load | already loaded | refused
    message: str = ""
    rows_read: int = 0
    rows_loaded: int = 0
    rejects: list[tuple[str, int, list[int]]] = field(default_factory=list)  # reason, n, first line numbers
    roster_match: tuple[int, int] | None = None  # (students the roster knows, students in the file)
    unknown_codes: list[str] = field(default_factory=list)
    n_unknown_code_scores: int = 0
    marks_off_scale: int = 0
    duplicates: int = 0
    students_without_evidence: int | None = None
    mark_examples: list[tuple[str, float | None, int]] = field(default_factory=list)  # mark, score, rows
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.status != "would load":
            return [f"{self.file_name}: dry run: {self.status}" + (f": {self.message}" if self.message else "")]
        out = [
            f"{self.file_name}: dry run of a {self.kind} load ({self.file_format}); nothing was written",
            f"  rows read: {self.rows_read}",
            f"  rows that would load: {self.rows_loaded}",
            f"  rows rejected: {sum(n for _, n, _ in self.rejects)}",
        ]
        for reason, n, lines in self.rejects:
            more = ", ..." if n > len(lines) else ""
            out.append(f"    {n} x {reason} (lines {', '.join(map(str, lines))}{more})")
        if self.roster_match is not None:
            known, total = self.roster_match
            rate = f"{100 * known / total:.0f}%" if total else "n/a"
            out.append(f"  roster match: {known} of {total} students are on a roster ({rate})")
        if self.kind == "gradebook":
            shown = ", ".join(self.unknown_codes[:8]) + (", ..." if len(self.unknown_codes) > 8 else "")
            out.append(
                f"  standard codes not in the continuum: {len(self.unknown_codes)}"
                + (f" ({self.n_unknown_code_scores} scores: {shown})" if self.unknown_codes else "")
            )
            out.append(f"  marks outside the scale: {self.marks_off_scale}")
        out.append(f"  duplicate rows: {self.duplicates}")
        if self.students_without_evidence is not None:
            out.append(
                f"  enrolled students with no evidence (in the school years loaded): {self.students_without_evidence}"
            )
        out += [f"  note: {n}" for n in self.notes]
        return out


def dry_run(con, kind: str, path: Path, options: LoadOptions | None = None) -> ValidationReport:
    """Everything a load would do, then rolled back; the warehouse is left exactly as it was."""
    path = Path(path)
    options = options or LoadOptions()
    report = ValidationReport(path.name, kind)
    if not path.exists():
        raise LoadRefused(f"{path.name}: file not found")
    con.execute("begin transaction")
    try:
        with ThreadPoolExecutor(max_workers=1) as hasher:
            sha = hasher.submit(loader.file_sha256, path)
            load_report = loader._load_in_transaction(
                con, kind, path, sha, datetime.now(), options, rebuild_marts=False
            )
        _measure(con, report, load_report)
    except loader.AlreadyLoaded as already:
        report.status, report.message = "already loaded", f"load {already.load_id}; loading it again changes nothing"
    except LoadRefused as error:
        report.status, report.message = "refused", str(error)
    finally:
        con.execute("rollback")
        loader._drop_temp_tables(con)
    return report


def _measure(con, report: ValidationReport, load_report) -> None:
    load_id = load_report.load_id
    report.file_format, report.rows_read, report.rows_loaded = (
        load_report.file_format,
        load_report.rows_read,
        load_report.rows_loaded,
    )
    report.notes = list(load_report.notes)
    for reason, n, lines in con.execute(
        "select reason, count(*), list(line_number order by line_number)[1:8] from rejects where load_id = $id "
        "group by reason order by count(*) desc, reason",
        {"id": load_id},
    ).fetchall():
        report.rejects.append((reason, n, [int(x) for x in lines if x is not None]))
    report.marks_off_scale = sum(n for reason, n, _ in report.rejects if reason.startswith("mark"))
    if report.kind == "gradebook":
        known, total = con.execute(
            "select count(distinct s.student_id) filter (where e.student_id is not null), count(distinct s.student_id) "
            "from scores s left join enrollments e on e.student_id = s.student_id and e.school_year = s.school_year "
            "where s.load_id = $id",
            {"id": load_id},
        ).fetchone()
        report.roster_match = (known, total)
        rows = con.execute(
            "select standard_code, count(*) from scores anti join standards using (standard_code) "
            "where load_id = $id group by standard_code order by standard_code",
            {"id": load_id},
        ).fetchall()
        report.unknown_codes = [code for code, _ in rows]
        report.n_unknown_code_scores = sum(n for _, n in rows)
        report.duplicates = con.execute(
            "select coalesce(sum(n - 1), 0) from (select count(*) as n from scores where load_id = $id "
            "group by student_id, standard_code, assessed_on, assessment_name, mark, section_id having count(*) > 1)",
            {"id": load_id},
        ).fetchone()[0]
        report.students_without_evidence = _without_evidence(con, load_id, "scores")
        report.mark_examples = [
            tuple(r)
            for r in con.execute(
                "select mark, score, count(*) from scores where load_id = $id group by mark, score "
                "order by count(*) desc, mark limit 12",
                {"id": load_id},
            ).fetchall()
        ]
    elif report.kind == "roster":
        report.duplicates = sum(n for reason, n, _ in report.rejects if "twice" in reason)
        report.students_without_evidence = _without_evidence(con, load_id, "enrollments")
    else:
        report.duplicates = sum(n for reason, n, _ in report.rejects if "twice" in reason)


def _without_evidence(con, load_id: int, table: str) -> int:
    # table: one of our two constants, never input.
    return con.execute(
        f"""select count(*) from enrollments e
            where e.school_year in (select distinct school_year from {table} where load_id = $id)
              and not exists (select 1 from scores s where s.student_id = e.student_id
                              and s.school_year = e.school_year)""",
        {"id": load_id},
    ).fetchone()[0]


def connect_for_dry_run(db_path):
    return warehouse.connect(db_path)
