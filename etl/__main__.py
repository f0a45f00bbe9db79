"""Command line: python -m etl demo | load KIND FILE... [--dry-run] | detect FILE... | undo LOAD_ID | status | rebuild."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import warehouse
from etl.adapters.common import LoadOptions, read_mapping_file
from etl.errors import LoadRefused
from etl.formats.sample import loadable_path
from etl.load import KINDS, load_file
from warehouse.refusals import OneLineParser, add_debug_option, run_guarded, unexpected

# Refusals with a reason of their own; anything else is reported as unexpected (warehouse/refusals.py).
REFUSALS = (LoadRefused, warehouse.WarehouseBusy, warehouse.NotAWarehouse)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return run_guarded(lambda: args.run(args), args.debug, "refused", REFUSALS)


def parser() -> argparse.ArgumentParser:
    """The command line's grammar (docs/features.md lists its commands; tests/test_features.py parses them)."""
    parser = OneLineParser(prog="python -m etl", description="Load district exports into the warehouse.")
    parser.set_defaults(debug=False)
    commands = parser.add_subparsers(required=True, metavar="{demo,load,detect,undo,status,rebuild}")
    demo = commands.add_parser("demo", help="build the demo district warehouse")
    demo.add_argument("--db", type=Path, help="warehouse file (default data/district.duckdb or $DASHBOARD_DB)")
    demo.add_argument("--seed", type=int, default=42)
    demo.add_argument(
        "--force",
        action="store_true",
        help="replace a warehouse that holds anything but the demo district (it is kept beside it "
        "first, as NAME.kept-DATE)",
    )
    demo.add_argument(
        "--refresh-release-patterns",
        action="store_true",
        help="after building, write the demo's release patterns to data/demo/release_patterns.parquet (the "
        "next build reuses every pattern whose atoms are unchanged)",
    )
    demo.set_defaults(run=_run_demo)
    load = commands.add_parser("load", help="load export files of one kind")
    load.add_argument("kind", choices=KINDS)
    load.add_argument("files", nargs="+", type=Path, metavar="FILE")
    load.add_argument("--db", type=Path)
    load.add_argument(
        "--format",
        dest="file_format",
        help="a preset in etl/presets (e.g. masteryconnect_long); for surveys google_forms, "
        "surveymonkey, qualtrics or long (detected when not given)",
    )
    load.add_argument(
        "--mapping",
        type=Path,
        help="a YAML mapping file describing the columns and the scale (for surveys also an item map as CSV)",
    )
    load.add_argument("--school-year", help="school year for files that do not carry one, e.g. 2025-26")
    load.add_argument("--term", help="term for files that do not carry one, e.g. T1")
    load.add_argument("--school-id", help="school for files that do not carry one")
    load.add_argument("--role", help="survey respondents' role for files that do not carry one (teacher, leader)")
    covers = load.add_mutually_exclusive_group()
    covers.add_argument(
        "--replace",
        metavar="SCOPE",
        help="what the file replaces instead of its kind's default (gradebook: the school years "
        "x sections of the file; year, section, course or teacher; roster: year or school; "
        "survey: wave; learning: year or school); see etl/replace.py",
    )
    covers.add_argument(
        "--append", action="store_true", help="add the file's rows to those already loaded, replacing nothing"
    )
    load.add_argument(
        "--dry-run", action="store_true", help="read and check everything, print the validation report, write nothing"
    )
    load.set_defaults(run=_run_load)
    detect = commands.add_parser("detect", help="say what each file looks like and the command that loads it")
    detect.add_argument("files", nargs="+", type=Path, metavar="FILE")
    detect.add_argument("--kind", choices=KINDS, help="only the formats of this kind")
    detect.set_defaults(run=_run_detect)
    undo = commands.add_parser("undo", help="remove one load's rows (and what was derived from them)")
    undo.add_argument("load_id", type=int, metavar="LOAD_ID")
    undo.add_argument("--db", type=Path)
    undo.set_defaults(run=_run_undo)
    status = commands.add_parser("status", help="what the warehouse holds and its latest loads")
    status.add_argument("--db", type=Path)
    status.set_defaults(run=_run_status)
    rebuild = commands.add_parser(
        "rebuild", help="rebuild the marts from the warehouse's own tables (after an upgrade)"
    )
    rebuild.add_argument("--db", type=Path)
    rebuild.add_argument(
        "--if-outdated", action="store_true", help="only when the marts were built by an older version of this code"
    )
    rebuild.set_defaults(run=_run_rebuild)
    for command in (demo, load, detect, undo, status, rebuild):
        add_debug_option(command)
    return parser


def _run_load(args) -> int:
    options = LoadOptions(
        file_format=args.file_format,
        mapping=_read_mapping(args) if args.mapping else {},
        school_year=args.school_year,
        term=args.term,
        school_id=args.school_id,
        role=args.role,
        show_progress=sys.stdout.isatty(),
        replace=args.replace,
        append=args.append,
    )
    con = warehouse.connect(args.db, purpose="load", echo=print)
    if options.show_progress:
        con.execute("set enable_progress_bar = true")  # DuckDB draws it for long statements
    failures = 0
    for path in args.files:
        try:
            path = loadable_path(path)  # a OneRoster folder is loaded as one zip of its files
            if args.dry_run:
                from etl.dry_run import dry_run

                validation = dry_run(con, args.kind, path, options)
                print("\n".join(validation.lines()))
                failures += validation.status == "refused"
                continue
            report = load_file(con, args.kind, path, options)
        except Exception as error:  # each file is all or nothing: the next file still loads
            if args.debug and not isinstance(error, LoadRefused):
                raise
            reason = " ".join(str(error).split()) if isinstance(error, LoadRefused) else unexpected(error)
            reason = reason if reason.startswith(path.name) else f"{path.name}: {reason}"
            print(f"refused: {reason}", file=sys.stderr)
            failures += 1
            continue
        # A report quotes the file's own text (standard codes, values): its line breaks must not break the report
        print("\n".join(line.replace("\r", "\\r").replace("\n", "\\n") for line in report.lines()))
    return 1 if failures else 0


def _run_detect(args) -> int:
    from etl.formats.detect import detect_file

    unknown = 0
    for path in args.files:
        try:
            found = detect_file(path, args.kind)
        except LoadRefused as error:
            print(f"refused: {error}", file=sys.stderr)
            unknown += 1
            continue
        print("\n".join(found.lines()))
        unknown += not found.is_known
    return 1 if unknown else 0


def _run_undo(args) -> int:
    from etl.undo import undo_load

    path = args.db or warehouse.default_db_path()
    if not Path(path).exists():
        print(f"no warehouse at {path}: nothing to undo")
        return 1
    con = warehouse.connect(path)
    try:
        print("\n".join(undo_load(con, args.load_id).lines()))
    finally:
        con.close()
    return 0


def _read_mapping(args) -> dict:
    if args.kind == "survey":
        from etl.surveys.item_map import read_item_map_file

        return read_item_map_file(args.mapping)  # YAML, or an item map as CSV
    return read_mapping_file(args.mapping)


def _run_demo(args) -> int:
    from etl.demo import build_demo

    path = args.db or warehouse.default_db_path()
    summary = build_demo(path, seed=args.seed, echo=print, force=args.force)
    print(summary)
    if args.refresh_release_patterns:
        from etl.demo import write_release_patterns

        con = warehouse.connect(path)
        try:
            print(f"release patterns written to {write_release_patterns(con)}")
        finally:
            con.close()
    return 0


def _run_status(args) -> int:
    from etl.status import status_lines

    path = args.db or warehouse.default_db_path()
    if not Path(path).exists():
        raise LoadRefused(f"no warehouse at {path}: run `python -m etl demo` or `python -m etl load ...`")
    con = warehouse.connect(path, read_only=True)
    print("\n".join(status_lines(con, path)))
    return 0


def _run_rebuild(args) -> int:
    import time

    from etl import marts

    path = args.db or warehouse.default_db_path()
    if not Path(path).exists():
        raise LoadRefused(f"no warehouse at {path}: nothing to rebuild (give --db the warehouse file)")
    warehouse.check_warehouse_file(Path(path))
    con = warehouse.connect(path, purpose="rebuild of the marts", echo=print)
    try:
        if args.if_outdated and not marts.is_outdated(con):
            return 0
        started = time.perf_counter()
        con.execute("begin transaction")
        try:
            marts.rebuild(con)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        print(f"marts of {path} rebuilt (version {marts.MARTS_VERSION}) in {time.perf_counter() - started:.1f} s")
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
