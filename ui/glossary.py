"""The glossary: every term the pages use, defined once, in plain words.

Pages show a definition as the help text (the (?) beside a label) where its term appears: `help_for("gap")`.
docs/glossary.md is written from this table (`python -m ui.glossary`, checked by tests/test_glossary.py), so
the repository carries the same words for readers who are not in the app.
"""

from __future__ import annotations

from pathlib import Path

TERMS: dict[str, str] = {
    "proficient": "A student is proficient in a content area when the mean of their standard scores is at or above "
    "the district's cut (3 on the 1-4 scale, config/district.yaml).",
    "percentage points": "The difference between two percents: from 40% to 46% is 6 percentage points (not 15%).",
    "gap": "A group's percent proficient minus that of all other students in the same selection, in percentage "
    "points. Negative: the group is behind.",
    "closing": "A gap is closing only when it narrowed by more than chance and the group that was behind improved. "
    "A gap that narrowed because the group ahead fell is called narrowing by decline, never closing.",
    "95% range": "The range the figure would fall in 95 times out of 100 if the same students were measured again. "
    "When it excludes zero, the gap or change is beyond chance. (Statisticians call it a 95% "
    "confidence interval; gaps use Newcombe's method, percents Wilson's.)",
    "beyond chance": "The change or gap is larger than its 95% range allows by chance alone.",
    "small group": "Groups under 30 students move a lot with one student: read their figures with caution. Groups "
    "under 10 show n<10 and no figure, to protect students' privacy.",
    "calculation method": "How a student's evidence on one standard becomes one score. Most recent evidence: the "
    "latest piece. Decaying average: each new piece weighs 65%, older ones less. Highest, "
    "mean, most frequent mark (mode) and trend line (power law, the expected next score) are "
    "the other choices.",
    "piece of evidence": "One day's marks on one standard for one student (several marks on the same day count once, "
    "as their mean). IE and NY marks are recorded but are not evidence.",
    "sufficient evidence": "A standard has sufficient evidence when its assessed students have at least the chosen "
    "number of pieces of evidence on it, on average.",
    "grade-level standards": "The standards of the continuum level a grade is taught from. High school ELA bands "
    "with no standards of their own level read the level below.",
    "continuum position": "The highest continuum level at which a student is proficient on more than half of that "
    "level's assessed standards, compared with their grade's level.",
    "percent favorable": "The share of survey answers in the top two points of a 4- or 5-point scale (top three of "
    "7), after statements worded negatively are flipped; N/A answers are left out.",
    "implementation stage": "Each school's rating on the implementation rubric: Exploring, Emerging, Proficient, "
    "Breakthrough; the overall stage is the median of its domains.",
    "response rate": "Staff who answered at least one item, out of the staff invited.",
    "risk ratio": "How many times more (or less) likely one group is than the others to be in a category.",
    "days between meetings": "For one PLC team: the median number of days from one saved meeting to its next in "
    "the school year. For a group of teams: the median of every gap between its teams' meetings.",
    "next steps reviewed": "Of a team's meetings that recorded next steps and have a later meeting, the share whose "
    "next meeting says it reviewed them (meetings saved before the record asked are left out).",
    "focus standards change": "How a meeting's focus standards moved by the team's next meeting: the team's percent "
    "proficient on them at the next meeting's date minus at this meeting's date, in "
    "percentage points, by the PLC data meeting page's own calculation. It describes; it "
    "does not say the meeting caused it.",
}


def help_for(term: str) -> str:
    """The definition of `term`, for a help text."""
    return TERMS[term]


def markdown() -> str:
    lines = ["# Glossary", "", "The words the dashboard uses, as the app defines them (ui/glossary.py).", ""]
    for term, definition in TERMS.items():
        lines += [f"**{term.capitalize()}**: {definition}", ""]
    return "\n".join(lines)


GLOSSARY_FILE = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"

if __name__ == "__main__":
    GLOSSARY_FILE.write_text(markdown(), encoding="utf-8")
    print(GLOSSARY_FILE)
