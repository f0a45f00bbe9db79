"""Who may see what (docs/access.md): the roles a viewer can have, and the groups of roles the pages and the
queries decide by. The one home of the access policy's names; ui/navigation.py lists each page's roles from
these, ui/auth.py signs people in to one of them."""

from __future__ import annotations

ROLES = ("district_leader", "principal", "plc_facilitator", "board")
ROLE_NAMES = {
    "district_leader": "District leader",
    "principal": "Principal",
    "plc_facilitator": "PLC facilitator",
    "board": "Board presenter",
}
SCHOOL_ROLES = ("principal", "plc_facilitator")  # must name their schools; they see only those
# Staff who may see their own schools' students by name (student lists, one teacher's coverage); never the board.
STUDENT_ROLES = ("district_leader", "principal", "plc_facilitator")
# District and school figures from live data, no student listed.
AGGREGATE_ROLES = ("district_leader", "principal")
# The public release: the board, and the staff who preview exactly what the board can obtain.
PUBLIC_ROLES = ("district_leader", "principal", "board")
