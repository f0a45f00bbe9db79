"""Command line: `python -m exports board --out deck.pptx` (docs/commands.md) and `python -m exports pdf`.

    python -m exports board [--db PATH] --out deck.pptx [--school-year 2025-26] [--method NAME]
                            [--pdf deck.pdf] [--png-dir DIR] [--csv-dir DIR]
    python -m exports pdf   [--db PATH] --out deck.pdf [--school-year 2025-26] [--method NAME]

Every figure is gated for the board audience; the deck names no student. Exit status 1 with a one-line
reason when the warehouse is missing or holds nothing to present.
"""

from __future__ import annotations

import sys
from pathlib import Path

from warehouse.config import METHODS
from warehouse.refusals import OneLineParser, add_debug_option, run_guarded


class ExportRefused(Exception):
    """Nothing to export, or no such warehouse: the one line a person sees."""


def parser() -> OneLineParser:
    """The command line's grammar (docs/features.md lists its commands; tests/test_features.py parses them)."""
    parser = OneLineParser(prog="python -m exports", description="Board deck, PDF, PNG and CSV exports.")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("board", "the board deck (PowerPoint), and optionally its PDF, PNGs and CSVs"),
        ("pdf", "the board findings as a PDF"),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "--db", type=Path, default=None, help="warehouse (default: $DASHBOARD_DB or data/district.duckdb)"
        )
        command.add_argument("--out", type=Path, required=True, help="the file to write")
        command.add_argument("--school-year", default=None, help="e.g. 2025-26 (default: the latest)")
        command.add_argument(
            "--method",
            choices=list(METHODS),
            default=None,
            help="calculation method (default: the district's, config/district.yaml)",
        )
        if name == "board":
            command.add_argument("--pdf", type=Path, default=None, help="also write the findings as a PDF")
            command.add_argument("--png-dir", type=Path, default=None, help="also write a PNG per chart here")
            command.add_argument("--csv-dir", type=Path, default=None, help="also write a CSV per table here")
        add_debug_option(command)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)

    import warehouse

    refusals = (ExportRefused, warehouse.WarehouseBusy, warehouse.NotAWarehouse)
    return run_guarded(lambda: _run(args), args.debug, "error", refusals)


def _run(args) -> int:
    import warehouse
    from exports.board import board_report_from_db, export_board

    db = args.db or warehouse.default_db_path()
    if not Path(db).exists():
        raise ExportRefused(f"no warehouse at {db} (build the demo with `python -m etl demo`)")
    warehouse.check_warehouse_file(Path(db))
    report = board_report_from_db(db, args.school_year, args.method)
    if not report.findings:
        raise ExportRefused("nothing to present: the warehouse has no scored evidence or survey answers yet")
    if args.school_year and report.school_year != args.school_year:
        raise ExportRefused(
            f"--school-year {args.school_year}: no data for that school year (the latest is {report.school_year})"
        )
    print(f"{report.title}, {report.subtitle} ({report.method_label}):")
    for number, finding in enumerate(report.findings, start=1):
        print(f"  {number}. {finding.headline}")
    if args.command == "board":
        export_board(report, out=args.out, pdf=args.pdf, png_dir=args.png_dir, csv_dir=args.csv_dir, log=print)
    else:
        export_board(report, pdf=args.out, log=print)
    return 0


if __name__ == "__main__":
    sys.exit(main())
