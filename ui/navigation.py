"""Which pages exist and who may open them (DESIGN.md section 6)."""
from __future__ import annotations

from dataclasses import dataclass

ALL_ROLES = ("district_leader", "principal", "plc_facilitator", "board")
STAFF = ("district_leader", "principal")


@dataclass(frozen=True)
class PageEntry:
    path: str
    title: str
    icon: str
    roles: tuple[str, ...]
    is_default: bool = False


PAGES = [
    PageEntry("pages/overview.py", "Overview", ":material/dashboard:", ALL_ROLES, is_default=True),
    PageEntry("pages/trends.py", "Trends", ":material/trending_up:", ("district_leader", "principal", "board")),
    PageEntry("pages/equity_gaps.py", "Equity gaps", ":material/balance:", ALL_ROLES),
    PageEntry("pages/data_loads.py", "Data loads", ":material/upload_file:", ("district_leader",)),
]


def pages_for(role: str) -> list[PageEntry]:
    return [p for p in PAGES if role in p.roles]
