"""Every download is formula-safe (issue 15, item 5): the project's CSV writer and the tables' own download."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
import streamlit as st

from ui.tables import download_frame
from warehouse.csv_safe import escape_cell, to_safe_csv


@pytest.mark.parametrize(
    "cell", ["=1+1", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", ' =HYPERLINK("x")', "   +1", "\u00a0=1"], ids=repr
)
def test_formula_cells_are_neutralised_after_leading_spaces(cell):
    assert escape_cell(cell) == "'" + cell
    rows = list(csv.reader(io.StringIO(to_safe_csv(pd.DataFrame({"comment": [cell]})))))
    assert rows == [["comment"], ["'" + cell]]


@pytest.mark.parametrize("cell", ["plain text", "n<10", "a = b", "e-mail"], ids=repr)
def test_ordinary_text_is_left_alone(cell):
    assert escape_cell(cell) == cell


def test_numbers_stay_numbers_negative_ones_too():
    text = to_safe_csv(pd.DataFrame({"gap": [-4.5, 3.0], "label": ["-4.5", "n<10"]}))
    assert text.splitlines()[1:] == ["-4.5,'-4.5", "3.0,n<10"]


def test_table_download_uses_the_shown_labels_and_drops_hidden_columns():
    frame = pd.DataFrame({"school_name": ["=cmd"], "n_students": [12], "secret": ["x"]})
    shown = download_frame(
        frame, {"school_name": "school", "n_students": st.column_config.NumberColumn("students"), "secret": None}
    )
    assert list(shown.columns) == ["school", "students"]
    assert to_safe_csv(shown).splitlines()[1] == "'=cmd,12"


def test_the_table_toolbar_download_is_switched_off():
    """Streamlit's own "Download as CSV" writes cells as they are; the app's config switches it off."""
    import tomllib
    from pathlib import Path

    config = tomllib.loads((Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    assert (
        'st.set_option("client.disableDataExport", True)'
        in (Path(__file__).resolve().parents[1] / "dashboard.py").read_text()
    )


def test_a_long_list_shows_its_first_rows_says_how_many_and_downloads_them_all():
    from streamlit.testing.v1 import AppTest

    def page():
        import pandas as pd
        import streamlit as st

        import ui.tables

        written = []
        safe_csv = ui.tables.to_safe_csv
        ui.tables.to_safe_csv = lambda frame: written.append(len(frame)) or safe_csv(frame)
        ui.tables.table(pd.DataFrame({"standard_code": [f"S.{i}" for i in range(25)]}), key="long", first_rows=10)
        ui.tables.to_safe_csv = safe_csv
        st.text(f"downloaded rows: {written}")

    at = AppTest.from_function(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.dataframe[0].value) == 10
    assert "The first 10 of 25 rows" in at.caption[0].value
    assert at.text[0].value == "downloaded rows: [25]"
