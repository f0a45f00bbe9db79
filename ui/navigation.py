"""Which pages exist and who may open them (docs/access.md)."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.roles import AGGREGATE_ROLES, PUBLIC_ROLES, STUDENT_ROLES

# docs/access.md (the groups of roles are warehouse/roles.py's): the board sees the public release only; a PLC
# facilitator sees the PLC, continuum and equity pages (student lists allowed); leaders and principals see the
# live aggregates. Every page is scoped to the viewer's schools by the queries themselves ($school_ids).


@dataclass(frozen=True)
class PageEntry:
    path: str
    title: str
    icon: str
    roles: tuple[str, ...]
    is_default: bool = False
    shows_students: bool = False  # names or lists of students: never for the board, whatever `roles` says
    saves_to_warehouse: bool = False  # writes (meeting notes): runs without the page-wide read connection


PAGES = [
    PageEntry("app_pages/overview.py", "Overview", ":material/dashboard:", AGGREGATE_ROLES, is_default=True),
    PageEntry("app_pages/trends.py", "Trends", ":material/trending_up:", AGGREGATE_ROLES),
    PageEntry("app_pages/equity_gaps.py", "Equity gaps", ":material/balance:", STUDENT_ROLES),
    PageEntry("app_pages/continuum.py", "Continuum", ":material/stairs:", STUDENT_ROLES),
    PageEntry("app_pages/culture.py", "Culture & voice", ":material/forum:", AGGREGATE_ROLES),
    PageEntry(
        "app_pages/plc_meeting.py",
        "PLC data meeting",
        ":material/groups:",
        STUDENT_ROLES,
        shows_students=True,
        saves_to_warehouse=True,
    ),
    # Staff data (teams' meeting records, professional learning): leaders and principals, never the board
    PageEntry("app_pages/plc_system.py", "PLC system", ":material/hub:", AGGREGATE_ROLES),
    PageEntry("app_pages/board.py", "Board presentation", ":material/co_present:", PUBLIC_ROLES),
    PageEntry("app_pages/public_release.py", "Public data", ":material/public:", PUBLIC_ROLES),
    PageEntry("app_pages/data_loads.py", "Data loads", ":material/upload_file:", ("district_leader",)),
    PageEntry(
        "app_pages/data_upload.py",
        "Upload data",
        ":material/cloud_upload:",
        ("district_leader",),
        saves_to_warehouse=True,
    ),  # uploads, dry runs, loads and undo write the warehouse
]


def pages_for(role: str) -> list[PageEntry]:
    return [p for p in PAGES if role in p.roles and not (role == "board" and p.shows_students)]
