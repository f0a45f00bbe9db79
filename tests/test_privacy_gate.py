"""The one privacy gate (docs/privacy.md): examples and properties over random groupings."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from queries.privacy import NotAllowed, PrivacySpec, apply_gate

GAP_SPEC = PrivacySpec.parse(
    "kind=students n=n_students reference_n=reference_n siblings=grouping values=n_proficient pct=pct_proficient "
    "gap_values=reference_n,gap_pp"
)


def grouping(sizes: list[int], proficient: list[int] | None = None, name: str = "g") -> pd.DataFrame:
    proficient = proficient if proficient is not None else [n // 2 for n in sizes]
    total = sum(sizes)
    total_x = sum(proficient)
    rows = []
    for i, (n, x) in enumerate(zip(sizes, proficient)):
        ref_n, ref_x = total - n, total_x - x
        pct = 100 * x / n if n else 0.0
        ref_pct = 100 * ref_x / ref_n if ref_n else 0.0
        rows.append(
            dict(
                grouping=name,
                group_value=f"v{i}",
                n_students=n,
                n_proficient=x,
                pct_proficient=round(pct, 1),
                reference_n=ref_n,
                gap_pp=round(pct - ref_pct, 1),
            )
        )
    return pd.DataFrame(rows)


def test_small_group_shows_label_and_no_figure():
    out = apply_gate(grouping([50, 40, 7]), GAP_SPEC, "leader")
    small = out[out.group_value == "v2"].iloc[0]
    assert small["n_students"] == "n<10"
    assert small[["n_proficient", "pct_proficient", "gap_pp", "reference_n"]].isna().all()
    assert bool(small["suppressed"])


def test_two_value_grouping_suppresses_both_sides():
    out = apply_gate(grouping([200, 6]), GAP_SPEC, "leader")
    assert out["suppressed"].all()
    assert (out["n_students"] == "n<10").all()


def test_complementary_suppression_takes_smallest_remaining():
    out = apply_gate(grouping([300, 45, 60, 4]), GAP_SPEC, "leader")
    assert out.set_index("group_value")["suppressed"].to_dict() == {"v0": False, "v1": True, "v2": False, "v3": True}


@pytest.mark.parametrize(
    "n, x, shown",
    [
        pytest.param(20, 0, "<=5%", id="bottom-coded"),
        pytest.param(20, 20, ">=95%", id="top-coded"),
        pytest.param(39, 1, "<=5%", id="coded-at-39"),
        pytest.param(40, 0, 0.0, id="not-coded-at-40"),
        pytest.param(20, 10, 50.0, id="middle-not-coded"),
    ],
)
def test_top_bottom_coding(n, x, shown):
    out = apply_gate(grouping([n, 400], [x, 200]), GAP_SPEC, "leader")
    row = out.iloc[0]
    assert row["pct_proficient"] == shown
    if isinstance(shown, str):
        assert pd.isna(row["n_proficient"]) and pd.isna(row["gap_pp"])


def test_gap_suppressed_when_reference_side_is_small():
    frame = pd.DataFrame(
        [
            dict(
                grouping="g",
                group_value="a",
                n_students=50,
                n_proficient=20,
                pct_proficient=40.0,
                reference_n=6,
                gap_pp=-10.0,
            )
        ]
    )
    out = apply_gate(frame, GAP_SPEC, "leader")
    assert not out.iloc[0]["suppressed"]
    assert pd.isna(out.iloc[0]["gap_pp"]) and out.iloc[0]["reference_n"] == "n<10"


def test_board_never_below_defaults(monkeypatch, tmp_path):
    config = tmp_path / "district.yaml"
    config.write_text("privacy:\n  min_n: 3\n")
    monkeypatch.setenv("DASHBOARD_CONFIG", str(config))
    frame = grouping([300, 5, 6], name="g")
    assert apply_gate(frame, GAP_SPEC, "board").set_index("group_value").loc["v1", "suppressed"]
    assert not apply_gate(frame, GAP_SPEC, "leader").set_index("group_value").loc["v1", "suppressed"]


def test_student_lists_never_reach_the_board():
    spec = PrivacySpec.parse("kind=student_list")
    with pytest.raises(NotAllowed):
        apply_gate(pd.DataFrame({"student_id": ["1"]}), spec, "board")


def test_survey_cells_under_five_suppressed_with_next_smallest():
    spec = PrivacySpec.parse("kind=survey n=n_respondents siblings=item pct=pct_favorable comments=comment")
    frame = pd.DataFrame(
        dict(
            item="q1",
            role=["teacher", "leader", "counselor"],
            n_respondents=[40, 3, 8],
            pct_favorable=[70.0, 100.0, 50.0],
            comment=["ok", "hi", "fine"],
        )
    )
    out = apply_gate(frame, spec, "leader").set_index("role")
    assert out["suppressed"].to_dict() == {"teacher": False, "leader": True, "counselor": True}
    assert out.loc["teacher", "comment"] == "ok"  # 40 respondents: comments may show


def test_comments_need_ten():
    spec = PrivacySpec.parse("kind=survey n=n_respondents pct=pct_favorable comments=comment")
    out = apply_gate(pd.DataFrame(dict(n_respondents=[8], pct_favorable=[50.0], comment=["x"])), spec, "leader")
    assert not out.iloc[0]["suppressed"] and pd.isna(out.iloc[0]["comment"])


# ---------------------------------------------------------------- properties

sizes_strategy = st.lists(st.integers(min_value=1, max_value=120), min_size=2, max_size=8)


@settings(max_examples=300, deadline=None)
@given(sizes=sizes_strategy, audience=st.sampled_from(["leader", "plc", "board"]))
def test_no_released_cell_below_minimum(sizes, audience):
    out = apply_gate(grouping(sizes), GAP_SPEC, audience)
    released = out[~out["suppressed"]]
    assert (pd.to_numeric(released["n_students"]) >= 10).all()
    hidden = out[out["suppressed"]]
    assert hidden[["n_proficient", "pct_proficient", "gap_pp", "reference_n"]].isna().all().all()


def determined_unknowns(out: pd.DataFrame, total: int) -> list[int]:
    """Which suppressed counts the released figures pin down: solve the linear system
    sum(all counts) = total, each released n and each released reference_n = total - n_i."""
    n_rows = len(out)
    equations, values = [np.ones(n_rows)], [float(total)]
    for i, row in out.reset_index(drop=True).iterrows():
        for released in (row["n_students"], row["reference_n"]):
            if isinstance(released, (int, np.integer, float)) and not pd.isna(released):
                value = released if released is row["n_students"] else total - released
                equations.append(np.eye(n_rows)[i])
                values.append(float(value))
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    pinned = []
    for i in np.flatnonzero(out["suppressed"].to_numpy()):
        if np.linalg.matrix_rank(np.vstack([matrix, np.eye(n_rows)[i]])) == rank:
            pinned.append(int(i))
    return pinned


@settings(max_examples=300, deadline=None)
@given(sizes=sizes_strategy)
def test_no_suppressed_count_can_be_recovered(sizes):
    out = apply_gate(grouping(sizes), GAP_SPEC, "leader")
    assert determined_unknowns(out, total=sum(sizes)) == []
