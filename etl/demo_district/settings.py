"""The demo district's plan: its schools, years, students, courses, evidence, survey and rubric, and the
patterns planted in them (the package docstring lists the patterns; data/demo/README.md their measured figures)."""

from __future__ import annotations

import pathlib

import numpy as np

DATA_DIR = pathlib.Path(__file__).resolve().parents[2] / "data" / "demo"
STANDARD_FILES = ("ccss_standards.csv", "science_standards.csv")

SCHOOL_YEARS = ("2023-24", "2024-25", "2025-26")
LATEST_YEAR = SCHOOL_YEARS[-1]
TERMS = ("T1", "T2", "T3")
CONTENT_AREAS = ("math", "ela", "science")

# ---------------------------------------------------------------- schools

SCHOOL_IDS = np.array(["101", "102", "103", "104", "201", "202", "301"])
SCHOOL_NAMES = np.array(
    [
        "Maple Grove Elementary",
        "Riverside Elementary",
        "Cedar Hill Elementary",
        "Lincoln Park Elementary",
        "Jefferson Middle School",
        "Eastview Middle School",
        "Central High School",
    ]
)
SCHOOL_LEVELS = np.array(["elementary"] * 4 + ["middle"] * 2 + ["high"])
ZONE_SHARE = np.array([0.27, 0.25, 0.26, 0.22])  # students per elementary attendance zone
MIDDLE_FOR_ZONE = np.array([4, 4, 5, 5])  # school index of each zone's middle school
HIGH_SCHOOL = 6

GAP_CLOSING_SCHOOL = "102"  # Riverside Elementary: equity gaps close fastest here
TRUST_RISING_SCHOOL = "102"  # ... and trust, proficiency and implementation rise together
TRUST_FALLING_SCHOOL = "202"  # Eastview Middle School: trust and proficiency slide

NEVER_ASSESSED_LATEST_YEAR = {
    (3, "math"): ("CCSS.Math.Content.3.MD.D.8", "CCSS.Math.Content.3.G.A.2"),
    (7, "ela"): ("CCSS.ELA-Literacy.SL.7.5", "CCSS.ELA-Literacy.W.7.6", "CCSS.ELA-Literacy.RL.7.7"),
    (10, "math"): ("CCSS.Math.Content.HSG.GPE.B.7", "CCSS.Math.Content.HSG.MG.A.3"),
    (5, "science"): ("NGSS.5-ESS1-2",),
}

# ---------------------------------------------------------------- students

STUDENTS_PER_GRADE = 231
YEARLY_MOVE_AWAY = 0.045
RACES = np.array(
    [
        "Hispanic or Latino",
        "American Indian or Alaska Native",
        "Asian",
        "Black or African American",
        "Native Hawaiian or Other Pacific Islander",
        "White",
        "Two or more races",
    ]
)
HISPANIC, ASIAN = 0, 2  # positions in RACES, for surnames
RACE_BY_ZONE = np.array(
    [  # rows: zones 101..104; columns: RACES
        [0.14, 0.010, 0.09, 0.080, 0.005, 0.620, 0.055],
        [0.52, 0.015, 0.04, 0.160, 0.005, 0.220, 0.040],
        [0.24, 0.010, 0.06, 0.170, 0.010, 0.450, 0.060],
        [0.22, 0.015, 0.07, 0.140, 0.005, 0.500, 0.050],
    ]
)
ELL_BY_RACE = np.array([0.34, 0.08, 0.28, 0.05, 0.20, 0.015, 0.03])
ECON_BY_ZONE = np.array([0.22, 0.72, 0.48, 0.38])
ECON_RACE_FACTOR = np.array([1.25, 1.3, 0.75, 1.3, 1.2, 0.8, 1.0])
GENDERS = np.array(["Female", "Male", "Nonbinary"])
GENDER_SHARE = np.array([0.488, 0.502, 0.010])
IEP_BY_GENDER = np.array([0.105, 0.175, 0.13])

# ---------------------------------------------------------------- courses and evidence

HOMEROOM_SIZE = 24
SECONDARY_SECTION_SIZE = 26
SECTIONS_PER_SECONDARY_TEACHER = 5
HIGH_SCHOOL_COURSES = {
    "math": ("ALG1", "GEOM", "ALG2", "STATS"),
    "ela": ("ELA9", "ELA10", "ELA11", "ELA12"),
    "science": ("BIO", "CHEM", "PHYS", "ENVSCI"),
}
COURSE_PREFIX = {"math": "MATH", "ela": "ELA", "science": "SCI"}
# Share of a grade's standards that one section assesses: ELA has ~70 leaf standards a grade.
SECTION_STANDARD_SHARE = {"math": 0.5, "ela": 0.3, "science": 0.8}
EVIDENCE_PER_STANDARD = (np.array([1, 2, 3, 4]), np.array([0.2, 0.35, 0.3, 0.15]))
ATTENDANCE = 0.93  # share of a section's assessments a student sits
NON_EVIDENCE = {"IE": 0.02, "NY": 0.015, "EX": 0.01}
PLUS_MINUS_TEACHER_SHARE = 0.3

MARKS = np.array(["1", "2", "2+", "3-", "3", "4", "IE", "NY", "EX"])
MARK_SCORES = np.array([1.0, 2.0, 2.33, 2.67, 3.0, 4.0, np.nan, np.nan, np.nan])

# Latent score model (on the 1-4 scale, before rounding to a mark).
BASE_SCORE = {"math": 3.1, "ela": 3.14, "science": 3.14}
ABILITY_WEIGHT = 0.5
GROWTH_PER_YEAR = 0.5  # within-year growth, centred on mid-year
NOISE_SD = 0.5
STANDARD_DIFFICULTY_SD = 0.15
TEACHER_EFFECT_SD = 0.07
GROUP_PENALTY = {"is_ell": 0.27, "is_iep": 0.36, "is_econ_disadv": 0.26}
GAP_SHARE_BY_YEAR = {"closing": (1.6, 0.85, 0.3), "elsewhere": (1.0, 0.95, 0.9)}
SCHOOL_EFFECT_BY_YEAR = {
    GAP_CLOSING_SCHOOL: (0.16, 0.16, 0.18),
    TRUST_FALLING_SCHOOL: (0.04, -0.01, -0.07),
    "other": (0.0, 0.02, 0.04),
}
BELOW_GRADE_SHIFT = -0.75  # students working below grade level, on grade-level standards
ABOVE_GRADE_SHIFT = 0.45  # students working above grade level, on grade-level standards
OFF_LEVEL_MEAN = 3.3  # both groups on the off-level standards they are working on
OFF_LEVEL_STANDARDS = 5

# ---------------------------------------------------------------- survey and rubric

SURVEY_ID = "staff-culture"
SURVEY_SCALE_POINTS = 5
SURVEY_ITEMS = (  # item_id, construct, is_reverse_coded, item_text
    ("TR1", "trust", False, "Teachers in this school trust each other."),
    ("TR2", "trust", False, "I feel comfortable raising concerns with school leaders."),
    ("TR3", "trust", True, "Staff here are reluctant to admit mistakes to colleagues."),
    ("SV1", "shared_vision", False, "Staff share a clear picture of what proficiency-based learning looks like."),
    ("SV2", "shared_vision", False, "Our school's goals for student learning guide daily decisions."),
    ("SV3", "shared_vision", True, "Staff here hold conflicting views about what grades are for."),
    ("EV1", "educator_voice", False, "Teachers have a real voice in decisions about grading practices."),
    ("EV2", "educator_voice", False, "School leaders act on feedback from teachers."),
    ("EV3", "educator_voice", True, "Decisions that affect my classroom are made without teacher input."),
    ("CL1", "collaborative_learning", False, "Our PLC has regular, protected time to look at student work together."),
    ("CL2", "collaborative_learning", False, "In PLC meetings we change instruction based on evidence of learning."),
    ("CL3", "collaborative_learning", True, "PLC time is often taken over by administrative business."),
    ("BE1", "beliefs", False, "All students can reach proficiency on grade-level standards given time and support."),
    ("BE2", "beliefs", False, "A grade should reflect what a student knows and can do, not behavior or compliance."),
    ("BE3", "beliefs", True, "Giving students more than one chance to show proficiency lowers expectations."),
)
COMMENT_ITEM = (
    "OPEN1",
    "open_response",
    "What is one thing that would help your team use evidence of learning better?",
)
COMMENTS = np.array(
    [
        "More common planning time with my grade-level team.",
        "Clearer guidance on how to record reassessments.",
        "Shorter gradebook setup so we can spend time on the evidence itself.",
        "Examples of proficient student work for each standard.",
        "Protect PLC time from other meetings.",
        "Help explaining the 1-4 scale to families.",
        "A shared bank of common formative assessments.",
        "Time to calibrate scoring with colleagues.",
        "Coaching on how to plan reteaching from the data.",
        "Fewer initiatives at once.",
    ]
)
CONSTRUCTS = ("trust", "shared_vision", "educator_voice", "collaborative_learning", "beliefs")
TEACHERS_INVITED = np.array([30, 32, 29, 27, 42, 40, 74])
LEADERS_INVITED = np.array([8, 8, 8, 7, 9, 9, 14])  # principals, assistants, coaches, team leads
LEADER_ADVANTAGE = {"trust": 1.05, "other": 0.3}  # leaders' answers sit this much higher
CULTURE_BY_YEAR = {  # mean agreement (1-5) per wave, before the role and item offsets
    TRUST_RISING_SCHOOL: (3.0, 3.45, 3.9),
    TRUST_FALLING_SCHOOL: (3.65, 3.35, 3.05),
    "other": (3.35, 3.4, 3.45),
}
RESPONSE_RATE_BY_YEAR = {TRUST_RISING_SCHOOL: (0.68, 0.8, 0.9), TRUST_FALLING_SCHOOL: (0.82, 0.7, 0.61)}

STAGES = np.array(["Exploring", "Emerging", "Proficient", "Breakthrough"])
RUBRIC_DOMAINS = ("culture", "assessment", "grading_practices", "instruction")
RUBRIC_PLANTED = {  # stage index per domain for each school year
    TRUST_RISING_SCHOOL: {
        "culture": (1, 2, 3),
        "assessment": (1, 2, 3),
        "grading_practices": (0, 2, 3),
        "instruction": (0, 1, 2),
    },
    TRUST_FALLING_SCHOOL: {
        "culture": (0, 0, 0),
        "assessment": (0, 1, 1),
        "grading_practices": (0, 0, 1),
        "instruction": (0, 0, 0),
    },
}

RNG_PARTS = ("students", "sections", "events", "scores", "off_level", "survey", "rubric")
