"""A copy of the demo district whose text from data is hostile: Markdown images and links, HTML, scripts and
spreadsheet formulas in school names, course ids, standard descriptions, survey items and comments, PLC
notes and load file names. Pages must show all of it as text (tests/test_inert_text.py, and in Chromium
tests/test_browser.py); downloads must be formula-safe.

Every hostile address points at 127.0.0.1:9 (the discard port): a browser that fetched one would show up
in the request log the browser test keeps.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import warehouse
from etl import marts

TRAP = "127.0.0.1:9"
SCHOOL_IMAGE = "![t](http://127.0.0.1:9/pixel.png)"
SCHOOL_HTML = '<img src="http://127.0.0.1:9/img.png"> <script>window.__injected = 1</script> http://127.0.0.1:9/link'
COURSE_FORMULA = '=HYPERLINK("http://127.0.0.1:9/c","c")'
DESCRIPTION = '<a href="http://127.0.0.1:9/a">click</a> **bold** [link](http://127.0.0.1:9/md)'
ITEM_TEXT = "[Do you trust](http://127.0.0.1:9/item) <b>your</b> colleagues? ![i](http://127.0.0.1:9/item.png)"
COMMENTS = ('=HYPERLINK("http://127.0.0.1:9/c","c")', " +1+1", "@SUM(1)", "![c](http://127.0.0.1:9/comment.png)")
NOTE = "![n](http://127.0.0.1:9/note.png) <script>window.__injected = 1</script> www.example.org"
FILE_NAME = '=HYPERLINK("http://127.0.0.1:9/f","f").csv'
# Raw strings a page must never hand to Markdown or HTML as they are.
MARKUP = ("![t](", "<img", "<script", "<a href", "](http", "<b>")


def make_hostile_copy(demo_db: Path, out: Path) -> dict:
    """Copy the demo warehouse to `out`, plant the hostile text, rebuild the marts. Returns what was planted."""
    shutil.copyfile(demo_db, out)
    con = warehouse.connect(out)
    try:
        schools = [r[0] for r in con.execute("select school_id from schools order by school_id").fetchall()]
        con.execute("update schools set school_name = ? where school_id = ?", [SCHOOL_IMAGE, schools[0]])
        con.execute("update schools set school_name = ? where school_id = ?", [SCHOOL_HTML, schools[1]])
        course = con.execute(
            "select course_id from scores where school_id = ? and course_id is not null order by course_id limit 1",
            [schools[0]],
        ).fetchone()[0]
        con.execute("update scores set course_id = ? where course_id = ?", [COURSE_FORMULA, course])
        con.execute("update standards set description = ?", [DESCRIPTION])
        item = con.execute("select survey_id, item_id from survey_items order by item_id limit 1").fetchone()
        con.execute("update survey_items set item_text = ? where survey_id = ? and item_id = ?", [ITEM_TEXT, *item])
        commented = con.execute(
            "select response_id, item_id from survey_responses where comment is not null order by response_id, item_id"
        ).fetchall()
        for i, (response_id, item_id) in enumerate(commented):
            con.execute(
                "update survey_responses set comment = ? where response_id = ? and item_id = ?",
                [COMMENTS[i % len(COMMENTS)], response_id, item_id],
            )
        con.execute("update loads set file_name = ? where load_id = (select min(load_id) from loads)", [FILE_NAME])
        marts.rebuild(con)
    finally:
        con.close()
    return {"schools": schools[:2], "course": COURSE_FORMULA}


def plant_meeting_note(db: Path, school_id: str, team: str, as_of: date) -> None:
    """A saved meeting whose notes are hostile, through the app's own save."""
    from warehouse.meeting_notes import save_meeting_note

    save_meeting_note(db, school_id, team, as_of, NOTE, NOTE, NOTE)
