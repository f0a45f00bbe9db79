"""The foundation every layer stands on: the DuckDB warehouse file, how it is opened, its schema and its
data version (warehouse/connection.py), the district's configuration (warehouse/config.py), the app's one
write (warehouse/meeting_notes.py), the one-line refusals of every command line (warehouse/refusals.py), and
the rules with one home: gated cells (gated_cells.py), the names people read (labels.py), roles (roles.py),
the school year of a date (school_years.py), the favorable rule (favorable.py), SQL identifiers
(sql_names.py) and formula-safe CSV (csv_safe.py). It imports nothing else of the project;
docs/architecture.md draws the layers above it."""

from warehouse.connection import (
    DEFAULT_DB,
    REPO_ROOT,
    SCHEMA_DIR,
    NotAWarehouse,
    WarehouseBusy,
    check_warehouse_file,
    connect,
    data_version,
    default_db_path,
    ensure_schema,
    execute,
    get_info,
    scratch,
    set_info,
    used_params,
    wait_seconds_default,
)

__all__ = [
    "DEFAULT_DB",
    "REPO_ROOT",
    "SCHEMA_DIR",
    "NotAWarehouse",
    "WarehouseBusy",
    "check_warehouse_file",
    "connect",
    "data_version",
    "default_db_path",
    "ensure_schema",
    "execute",
    "get_info",
    "scratch",
    "set_info",
    "used_params",
    "wait_seconds_default",
]
