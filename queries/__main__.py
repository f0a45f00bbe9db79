"""Command line: python -m queries list | run NAME [--param K=V ...] [--audience ...] [--format csv|json]."""

from __future__ import annotations

import sys
from pathlib import Path

import warehouse
from queries.privacy import NotAllowed
from queries.runner import FULL_SCOPE, QueryError, list_queries, load_query, load_release_query, run_query
from warehouse.csv_safe import to_safe_csv
from warehouse.refusals import OneLineParser, add_debug_option, run_guarded


def parser() -> OneLineParser:
    """The command line's grammar (docs/features.md lists its commands; tests/test_features.py parses them)."""
    parser = OneLineParser(prog="python -m queries")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the named queries and their parameters")
    run = commands.add_parser("run", help="run a named query; rows have passed the privacy gate")
    run.add_argument("name")
    run.add_argument("--db", type=Path)
    run.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    run.add_argument("--audience", choices=["board", "leader", "plc"], default="leader")
    run.add_argument("--format", choices=["csv", "json"], default="csv")
    add_debug_option(run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "list":
        for query in list_queries():
            params = ", ".join([*query.required, *(f"{k}={v}" for k, v in query.defaults.items())])
            print(f"{query.name:<32} {query.description}" + (f"  [{params}]" if params else ""))
        return 0
    refusals = (QueryError, NotAllowed, ValueError, warehouse.WarehouseBusy, warehouse.NotAWarehouse)
    status = run_guarded(lambda: _run(args), args.debug, "error", refusals)
    return 2 if status == 1 else status


def _run(args) -> int:
    params = dict(_split(p) for p in args.param)
    (load_release_query if args.audience == "board" else load_query)(args.name)  # board: the public release
    path = args.db or warehouse.default_db_path()
    if not Path(path).exists():
        raise QueryError(f"no warehouse at {path}: run `python -m etl demo` first")
    con = warehouse.connect(path, read_only=True)
    try:
        frame = run_query(con, args.name, params, FULL_SCOPE, audience=args.audience)
    finally:
        con.close()
    if args.format == "json":
        sys.stdout.write(frame.to_json(orient="records", date_format="iso", indent=1) + "\n")
    else:
        sys.stdout.write(to_safe_csv(frame))
    return 0


def _split(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise QueryError(f"--param takes KEY=VALUE, not '{text}'")
    return key.strip(), value


if __name__ == "__main__":
    sys.exit(main())
