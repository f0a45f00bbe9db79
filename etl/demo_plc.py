"""The demo district's PLC system (issue 19; data/demo/README.md pattern 6): planted meetings and
professional-learning offerings.

In 2025-26 some grade teams meet every two weeks, record next steps and review them; others meet about monthly
or every six weeks and follow through less. Each meeting focuses on the team's two level standards with the most
evidence coming before its next meeting. For the teams that meet every two weeks, that evidence is a little
stronger (PLC_BOOST on the latent proficiency of the team's students on the focus standards between the meeting
and the next one): their focus standards move more between meetings. The meetings are written as JSON lines
(`plc_meetings.jsonl`) that `etl demo` saves through warehouse/meeting_notes.py; the offerings are a CSV that it loads
with `etl load learning`, as a district would.
"""

from __future__ import annotations

import json
import pathlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

PLANTED_YEAR = "2025-26"
PLC_BOOST = 0.6  # latent proficiency added on a regular team's focus standards until its next meeting
FOCUS_PER_MEETING = 2


@dataclass(frozen=True)
class PlantedTeam:
    school_id: str
    grade: int
    content_area: str
    gaps: tuple[int, ...]  # calendar days between meetings, repeated through the year
    is_regular: bool


EVERY_TWO_WEEKS = (14,)
ABOUT_MONTHLY = (26, 33, 29, 35, 27)
ABOUT_SIX_WEEKS = (45, 33, 52, 38, 41, 47)
PLANTED_TEAMS = (
    *(
        PlantedTeam(school, grade, area, EVERY_TWO_WEEKS, True)
        for school in ("101", "102")
        for grade in (3, 4)
        for area in ("math", "ela")
    ),
    PlantedTeam("201", 7, "math", ABOUT_MONTHLY, False),
    PlantedTeam("202", 6, "ela", ABOUT_MONTHLY, False),
    PlantedTeam("301", 9, "math", ABOUT_SIX_WEEKS, False),
    PlantedTeam("301", 9, "ela", ABOUT_SIX_WEEKS, False),
    PlantedTeam("301", 10, "ela", ABOUT_SIX_WEEKS, False),
)
FIRST_MEETING = np.datetime64("2025-09-08")
LAST_MEETING = np.datetime64("2026-05-29")


def meeting_days(gaps: tuple[int, ...], calendar: np.ndarray) -> np.ndarray:
    """School days from the first meeting on, each `gap` calendar days after the last (the next school day)."""
    days, day, k = [], FIRST_MEETING, 0
    while day <= LAST_MEETING:
        at = min(np.searchsorted(calendar, day), len(calendar) - 1)
        days.append(calendar[at])
        day = calendar[at] + np.timedelta64(gaps[k % len(gaps)], "D")
        k += 1
    return np.array(days)


def plan_meetings(
    rows: dict,
    enrollments: pd.DataFrame,
    sections: pd.DataFrame,
    continuum: pd.DataFrame,
    school_ids: np.ndarray,
    content_areas: tuple,
    calendar: np.ndarray,
    year_idx: int,
    seed: int,
) -> tuple[list[dict], np.ndarray]:
    """The planted meetings (as warehouse.meeting_notes.build_note keywords) and the latent boost of every row."""
    rng = np.random.default_rng([seed, 19])
    enroll = rows["enroll_idx"]
    in_year = enrollments["year_idx"].to_numpy()[enroll] == year_idx
    school = school_ids[enrollments["school_idx"].to_numpy()[enroll]]
    grade = enrollments["grade"].to_numpy()[enroll]
    content = np.asarray(content_areas)[sections["content_idx"].to_numpy()[rows["section_idx"]]]
    n_days = len(calendar)
    day = calendar[np.minimum((rows["when"] * n_days).astype(np.int64), n_days - 1)]
    level = continuum["continuum_level"].to_numpy()
    boost = np.zeros(len(enroll))
    meetings = []
    for team in PLANTED_TEAMS:
        own = np.flatnonzero(
            in_year
            & (school == team.school_id)
            & (grade == team.grade)
            & (content == team.content_area)
            & (rows["off_level"] == 0)
        )
        team_level = int(np.bincount(level[rows["standard_idx"][own]]).argmax())
        own = own[level[rows["standard_idx"][own]] == team_level]  # the team's own level, as the meeting page
        days = meeting_days(team.gaps, calendar)
        for k, held in enumerate(days):
            after = days[k + 1] if k + 1 < len(days) else calendar[-1] + np.timedelta64(1, "D")
            window = own[(day[own] > held) & (day[own] <= after)]
            counts = pd.Series(rows["standard_idx"][window]).value_counts()
            ranked = counts.sort_index().sort_values(ascending=False, kind="stable")
            focus = ranked.index[:FOCUS_PER_MEETING].to_numpy()
            if team.is_regular and k + 1 < len(days):
                boost[window[np.isin(rows["standard_idx"][window], focus)]] += PLC_BOOST
            meetings.append(_meeting(team, k, held, focus, continuum, team_level, rng))
    return meetings, boost


def _meeting(
    team: PlantedTeam,
    k: int,
    held,
    focus: np.ndarray,
    continuum: pd.DataFrame,
    team_level: int,
    rng: np.random.Generator,
) -> dict:
    codes = continuum["standard_code"].to_numpy()[focus].tolist()
    records_next_steps = team.is_regular or rng.random() < 0.5
    teachers = int(rng.integers(3, 6)) if team.grade <= 5 else int(rng.integers(2, 5))
    participants = {"teacher": teachers}
    if team.is_regular or rng.random() < 0.3:
        participants["coach"] = 1
    if rng.random() < (0.35 if team.is_regular else 0.1):
        participants["administrator"] = 1
    shown = (
        ", ".join(code.removeprefix("CCSS.Math.Content.").removeprefix("CCSS.ELA-Literacy.") for code in codes)
        or "the level"
    )
    return {
        "school_id": team.school_id,
        "team": f"grade:{team.grade}:{team.content_area}",
        "as_of": str(held),
        "held_on": str(held),
        "content_area": team.content_area,
        "continuum_level": team_level,
        "focus_standards": codes,
        "participants": participants,
        "notice": f"Most students are not yet proficient on {shown}.",
        "wonder": "Is it the task or the standard? Which students need another way in?",
        "next_steps": (
            f"Reteach {shown} in small groups; reassess before the next meeting." if records_next_steps else ""
        ),
        "reviewed_last_next_steps": None if k == 0 else bool(rng.random() < (0.9 if team.is_regular else 0.3)),
    }


def write_meetings(meetings: list[dict], path: pathlib.Path) -> pathlib.Path:
    path.write_text("".join(json.dumps(m, sort_keys=True) + "\n" for m in meetings), encoding="utf-8")
    return path


def read_meetings(path: pathlib.Path) -> list[dict]:
    return [json.loads(line) for line in pathlib.Path(path).read_text(encoding="utf-8").splitlines() if line]


# ---------------------------------------------------------------- professional-learning offerings

# Offerings a month per school and mode, 2024-25 and 2025-26: the two elementary schools whose teams meet every
# two weeks (101, 102) hold PLC time weekly and coaching often; the high school mostly workshops.
OFFERINGS_PER_MONTH = {
    "101": {"plc": 4, "coaching": 3, "workshop": 1, "peer_observation": 1, "online_course": 0},
    "102": {"plc": 4, "coaching": 4, "workshop": 1, "peer_observation": 2, "online_course": 0},
    "103": {"plc": 2, "coaching": 1, "workshop": 1, "peer_observation": 0, "online_course": 1},
    "104": {"plc": 2, "coaching": 1, "workshop": 1, "peer_observation": 0, "online_course": 1},
    "201": {"plc": 1, "coaching": 1, "workshop": 1, "peer_observation": 0, "online_course": 1},
    "202": {"plc": 1, "coaching": 0, "workshop": 2, "peer_observation": 0, "online_course": 1},
    "301": {"plc": 1, "coaching": 0, "workshop": 2, "peer_observation": 0, "online_course": 2},
}
TITLES = {
    "plc": "PLC data meeting time",
    "coaching": "Coaching cycle",
    "workshop": "Proficiency scales workshop",
    "peer_observation": "Peer observation: learning walk",
    "online_course": "Online course: grading for learning",
}
HOURS = {"plc": 1.0, "coaching": 1.5, "workshop": 3.0, "peer_observation": 1.5, "online_course": 4.0}
TEACHERS = {
    "plc": (4, 9),
    "coaching": (1, 4),
    "workshop": (12, 30),
    "peer_observation": (3, 7),
    "online_course": (2, 9),
}


def offerings_frame(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 1919])
    rows = []
    for start in (2024, 2025):
        for month in (9, 10, 11, 12, 1, 2, 3, 4, 5):
            year = start if month >= 9 else start + 1
            for school, modes in OFFERINGS_PER_MONTH.items():
                for mode, count in modes.items():
                    for k in range(count):
                        day = 3 + (k * 7 + int(rng.integers(0, 5))) % 25
                        low, high = TEACHERS[mode]
                        rows.append(
                            {
                                "date": f"{year}-{month:02d}-{day:02d}",
                                "school_id": school,
                                "mode": mode,
                                "title": f"{TITLES[mode]} ({k + 1})",
                                "hours": HOURS[mode],
                                "teachers": int(rng.integers(low, high + 1)),
                                "coaches": int(mode in ("coaching", "plc", "peer_observation")),
                                "administrators": int(rng.random() < 0.3),
                            }
                        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- staff views of each mode

MODE_SURVEY_ID = "staff-learning-modes"
MODE_ITEMS = {  # mode -> (useful item text, want-more item text)
    "plc": ("PLC time is useful to my practice.", "I want more PLC time."),
    "coaching": ("Coaching is useful to my practice.", "I want more coaching."),
    "workshop": ("Workshops are useful to my practice.", "I want more workshops."),
    "peer_observation": ("Observing colleagues teach is useful to my practice.", "I want more peer observation."),
    "online_course": ("Online courses are useful to my practice.", "I want more online courses."),
}
# Mean agreement (1-5) that a mode is useful: PLC time and coaching where teams meet every two weeks
# (101, 102) rate high; workshops rate lowest everywhere; everyone wants more coaching.
USEFUL = {"plc": 3.4, "coaching": 3.9, "workshop": 3.0, "peer_observation": 3.6, "online_course": 3.1}
USEFUL_WHERE_TEAMS_MEET = {"plc": 4.3, "coaching": 4.3}
WANT_MORE = {"plc": 3.2, "coaching": 4.2, "workshop": 2.6, "peer_observation": 3.6, "online_course": 2.8}
MODE_RESPONDENTS = {"101": 24, "102": 25, "103": 20, "104": 19, "201": 30, "202": 26, "301": 48}


def mode_survey_frame(seed: int) -> pd.DataFrame:
    """The 2025-26 staff survey of professional-learning modes (long format, items tagged with their mode)."""
    rng = np.random.default_rng([seed, 191919])
    rows = []
    for school, n in MODE_RESPONDENTS.items():
        for r in range(n):
            person = rng.normal(0, 0.4)
            for mode, (useful_text, more_text) in MODE_ITEMS.items():
                useful = USEFUL_WHERE_TEAMS_MEET.get(mode, USEFUL[mode]) if school in ("101", "102") else USEFUL[mode]
                for item, text, construct, mean in (
                    (f"USE_{mode}", useful_text, "learning_useful", useful),
                    (f"MORE_{mode}", more_text, "learning_want_more", WANT_MORE[mode]),
                ):
                    value = int(np.clip(np.rint(mean + person + rng.normal(0, 0.8)), 1, 5))
                    rows.append(
                        {
                            "survey_id": MODE_SURVEY_ID,
                            "wave": PLANTED_YEAR,
                            "response_id": f"{PLANTED_YEAR}-{school}-m{r + 1:03d}",
                            "school_id": school,
                            "role": "teacher",
                            "item_id": item,
                            "item_text": text,
                            "construct": construct,
                            "is_reverse_coded": False,
                            "scale_points": 5,
                            "value": value,
                            "learning_mode": mode,
                        }
                    )
    return pd.DataFrame(rows)
