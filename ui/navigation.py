"""Which pages exist and who may open them (docs/access.md)."""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.roles import AGGREGATE_ROLES, PUBLIC_ROLES, ROLES, STUDENT_ROLES

# docs/access.md: the board sees the public release only; a PLC facilitator sees PLC, continuum and equity pages.
# Every page is scoped to the viewer's schools by the queries themselves (queries/runner.py $school_ids).
ALL_ROLES = ROLES
STAFF_ROLES = STUDENT_ROLES
STAFF = AGGREGATE_ROLES
STAFF_AGGREGATE = AGGREGATE_ROLES
PUBLIC = PUBLIC_ROLES
PLC = STUDENT_ROLES  # PLC and continuum pages (student lists allowed)


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
    PageEntry("app_pages/overview.py", "Overview", ":material/dashboard:", STAFF_AGGREGATE, is_default=True),
    PageEntry("app_pages/trends.py", "Trends", ":material/trending_up:", STAFF_AGGREGATE),
    PageEntry("app_pages/equity_gaps.py", "Equity gaps", ":material/balance:", STAFF_ROLES),
    PageEntry("app_pages/continuum.py", "Continuum", ":material/stairs:", STAFF_ROLES),
    PageEntry("app_pages/culture.py", "Culture & voice", ":material/forum:", STAFF_AGGREGATE),
    PageEntry(
        "app_pages/plc_meeting.py",
        "PLC data meeting",
        ":material/groups:",
        PLC,
        shows_students=True,
        saves_to_warehouse=True,
    ),
    # Staff data (teams' meeting records, professional learning): leaders and principals, never the board
    PageEntry("app_pages/plc_system.py", "PLC system", ":material/hub:", STAFF),
    PageEntry("app_pages/board.py", "Board presentation", ":material/co_present:", PUBLIC),
    PageEntry("app_pages/public_release.py", "Public data", ":material/public:", PUBLIC),
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
