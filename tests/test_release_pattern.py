"""The release's pattern on hand-made linked sets: primary, coding, secondary, and the audit's verdicts."""

from __future__ import annotations

import pandas as pd

from etl.release import pattern, students, surveys


def test_a_survey_role_of_three_is_hidden_with_a_second_cell_and_passes_the_audit():
    atoms = pd.DataFrame(
        {
            "school_id": ["A", "A", "A", "B", "B", "C"],
            "role": ["teacher", "leader", "counselor", "teacher", "leader", "teacher"],
            "construct": "trust",
            "n": [20, 6, 3, 25, 7, 30],
            "k": [12, 5, 2, 10, 4, 20],
        }
    )
    out = surveys.release_wave(atoms)
    status = dict(zip(zip(out["scope"], out["school_id"].fillna(""), out["role"]), out["status"]))
    assert status[("district", "", "counselor")] == "hidden"
    assert sum(s == "hidden" for s in status.values()) >= 2  # the lone hidden role is not left alone
    cells = surveys.cells_of(atoms)
    linked = surveys.linked_set(atoms, cells)
    linked.status = [
        status[(r.scope, r.school_id if isinstance(r.school_id, str) else "", r.role)] for r in cells.itertuples()
    ]
    linked.band, linked.code = [None] * len(cells), [None] * len(cells)
    assert pattern.failures(linked, surveys.BOUNDS) == []


def test_a_lone_small_group_is_pinned_until_secondary_suppression_hides_a_partner():
    atoms = pd.DataFrame(
        {
            "school_id": ["A", "A", "B", "B"],
            "gender": ["F", "M", "F", "M"],
            "race_ethnicity": "White",
            "is_ell": "false",
            "is_iep": "false",
            "is_504": "false",
            "is_econ_disadv": "false",
            "n": [4, 40, 30, 35],
            "k": [2, 20, 15, 20],
        }
    )
    cells = students.cells_of(atoms)
    linked = students.linked_set(atoms, cells)
    pattern.primary(linked, students.BOUNDS)
    assert pattern.failures(linked, students.BOUNDS)  # the 4 girls of school A: total minus boys
    pattern.secondary(linked, students.BOUNDS)
    assert pattern.failures(linked, students.BOUNDS) == []
    assert linked.status.count(pattern.HIDDEN) >= 2


def test_coding_bands_widen_as_groups_shrink():
    assert [pattern.coding_fraction(n) for n in (10, 20, 21, 40, 41, 49, 50, 100, 101, 3000)] == [
        10,
        10,
        5,
        5,
        5,
        5,
        2,
        2,
        1,
        1,
    ]
    assert [pattern.coding_fraction(n) for n in (5, 6, 9)] == [20, 20, 20]  # survey groups: never a band of one count
