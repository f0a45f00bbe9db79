"""The demo district: a deterministic K-12 district written as the canonical CSV exports.

`write_demo_files(out_dir, seed)` writes the files that the real loaders load (continuum, rosters,
gradebooks, a staff survey with invited counts, implementation ratings) and returns them in load
order. Same seed -> byte-identical files. Everything is drawn with numpy from one
`numpy.random.default_rng(seed)` (split into one child generator per part, so that changing one
part does not reshuffle the others); scores are generated as whole arrays, never row by row.

The district: seven schools, about 3,000 students a year, three school years (2023-24 .. 2025-26).

    101 Maple Grove Elementary   K-5   feeds 201       201 Jefferson Middle School  6-8  feeds 301
    102 Riverside Elementary     K-5   feeds 201       202 Eastview Middle School   6-8  feeds 301
    103 Cedar Hill Elementary    K-5   feeds 202       301 Central High School      9-12
    104 Lincoln Park Elementary  K-5   feeds 202

Each student lives in one elementary attendance zone, moves up a grade a year and changes school
at 5->6 and 8->9; kindergartners enter, seniors leave, ~4.5% move away each year and as many
move in. Evidence: every section assesses a share of its grade-level standards 1-4 times over the
terms T1-T3; a score comes from a latent proficiency (student ability, school, year, program
flags, growth within the year, standard difficulty, teacher, noise) cut into marks 1, 2, 3, 4 (and
2+ = 2.33, 3- = 2.67 for teachers who use them); ~4.5% of marks are IE, NY or EX with no score.

Planted patterns (the README in data/demo lists them with measured figures; tests check them):

1. Equity gaps that close faster in one school. English learners, students with IEPs and
   economically disadvantaged students score lower (about 15-25 points lower % proficient,
   proficient = mean of the student's per-standard calculated scores in a content area >= 3.0).
   GAP_CLOSING_SCHOOL (102 Riverside Elementary) starts with the widest penalties (1.6 times the
   district's) and closes them year by year (0.85, then 0.3 times); elsewhere they barely move
   (1.0, 0.95, 0.9), so the named school's gaps narrow by 14-27 points and the others' by 0-4.
2. Standards never assessed: NEVER_ASSESSED_LATEST_YEAR names (grade, content area) pairs whose
   listed standards get no evidence at all in 2025-26 (they were assessed in earlier years), while
   every other grade-level standard is assessed somewhere in the district every year.
3. Students working below and above grade level: about 60 low achievers a year in grades 2-8
   also get evidence, in math or ELA, on five standards two levels below their grade (one level
   in grade 2) in "Intervention Check" assessments, and are proficient there but not on grade
   level; about 65 high achievers a year in grades K-7 get "Extension Task" evidence one level
   above their grade and are proficient there.
4. A leader-teacher gap in trust: leaders answer the trust items far more favorably than teachers.
5. Culture moving with results: TRUST_RISING_SCHOOL (102 Riverside) gains trust and proficiency
   and climbs the implementation stages fastest; TRUST_FALLING_SCHOOL (202 Eastview Middle) loses
   trust and proficiency and stays near Exploring. All implementation stages only move up.

Conventions worth knowing: high school math levels are by conceptual category (Number & Quantity
and Algebra 9, Geometry 10, Functions 11, Statistics 12; one course each: ALG1, GEOM, ALG2,
STATS); high school ELA standards are grade bands, stored at the band's first grade (9-10 -> 9,
11-12 -> 11), so grades 10 and 12 are assessed on level 9 and 11 standards.
"""

from __future__ import annotations

import pathlib
import zlib

import numpy as np
import pandas as pd

import warehouse
from etl import demo_plc

DATA_DIR = pathlib.Path(__file__).resolve().parent.parent / "data" / "demo"
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

FIRST_NAMES_FEMALE = np.array(
    [
        "Olivia",
        "Emma",
        "Ava",
        "Sophia",
        "Isabella",
        "Mia",
        "Amelia",
        "Harper",
        "Evelyn",
        "Abigail",
        "Emily",
        "Ella",
        "Madison",
        "Scarlett",
        "Victoria",
        "Aria",
        "Grace",
        "Chloe",
        "Camila",
        "Penelope",
        "Riley",
        "Layla",
        "Lillian",
        "Nora",
        "Zoey",
        "Mila",
        "Aubrey",
        "Hannah",
        "Lily",
        "Addison",
        "Valentina",
        "Ximena",
        "Sofia",
        "Lucia",
        "Daniela",
        "Maria",
        "Aaliyah",
        "Imani",
        "Jada",
        "Nia",
        "Mei",
        "Priya",
        "Aisha",
        "Fatima",
        "Leilani",
        "Naomi",
        "Ruby",
        "Hazel",
        "Stella",
        "Alice",
    ]
)
FIRST_NAMES_MALE = np.array(
    [
        "Liam",
        "Noah",
        "William",
        "James",
        "Oliver",
        "Benjamin",
        "Elijah",
        "Lucas",
        "Mason",
        "Logan",
        "Alexander",
        "Ethan",
        "Jacob",
        "Michael",
        "Daniel",
        "Henry",
        "Jackson",
        "Sebastian",
        "Aiden",
        "Matthew",
        "Samuel",
        "David",
        "Joseph",
        "Carter",
        "Owen",
        "Wyatt",
        "John",
        "Jack",
        "Luke",
        "Gabriel",
        "Mateo",
        "Santiago",
        "Diego",
        "Carlos",
        "Jose",
        "Luis",
        "Jamal",
        "Malik",
        "Darius",
        "Andre",
        "Wei",
        "Arjun",
        "Omar",
        "Yusuf",
        "Kai",
        "Ezra",
        "Miles",
        "Theo",
        "Isaac",
        "Caleb",
    ]
)
FIRST_NAMES_NEUTRAL = np.array(
    [
        "Alex",
        "Jordan",
        "Taylor",
        "Casey",
        "Riley",
        "Avery",
        "Quinn",
        "Rowan",
        "Sage",
        "Skyler",
        "Emerson",
        "Finley",
        "River",
        "Jamie",
        "Morgan",
        "Reese",
    ]
)
LAST_NAMES_GENERAL = np.array(
    [
        "Smith",
        "Johnson",
        "Williams",
        "Brown",
        "Jones",
        "Miller",
        "Davis",
        "Wilson",
        "Anderson",
        "Taylor",
        "Thomas",
        "Moore",
        "Martin",
        "Jackson",
        "Thompson",
        "White",
        "Harris",
        "Clark",
        "Lewis",
        "Robinson",
        "Walker",
        "Young",
        "Allen",
        "King",
        "Wright",
        "Scott",
        "Hill",
        "Green",
        "Adams",
        "Baker",
        "Nelson",
        "Carter",
        "Mitchell",
        "Roberts",
        "Turner",
        "Phillips",
        "Campbell",
        "Parker",
        "Evans",
        "Edwards",
        "Collins",
        "Stewart",
        "Morris",
        "Murphy",
        "Cook",
        "Rogers",
        "Morgan",
        "Peterson",
        "Cooper",
        "Reed",
        "Bailey",
        "Bell",
        "Kelly",
        "Howard",
        "Ward",
        "Cox",
        "Richardson",
        "Wood",
        "Watson",
        "Brooks",
        "Bennett",
        "Gray",
        "James",
        "Hughes",
        "Price",
        "Sanders",
        "Myers",
        "Long",
        "Ross",
        "Foster",
        "Washington",
        "Jefferson",
        "Coleman",
        "Jenkins",
        "Powell",
        "Begay",
        "Yazzie",
        "Kealoha",
        "Olson",
        "Schultz",
    ]
)
LAST_NAMES_HISPANIC = np.array(
    [
        "Garcia",
        "Rodriguez",
        "Martinez",
        "Hernandez",
        "Lopez",
        "Gonzalez",
        "Perez",
        "Sanchez",
        "Ramirez",
        "Torres",
        "Flores",
        "Rivera",
        "Gomez",
        "Diaz",
        "Cruz",
        "Morales",
        "Reyes",
        "Gutierrez",
        "Ortiz",
        "Chavez",
        "Ramos",
        "Ruiz",
        "Alvarez",
        "Mendoza",
        "Castillo",
        "Jimenez",
        "Vasquez",
        "Romero",
    ]
)
LAST_NAMES_ASIAN = np.array(
    [
        "Nguyen",
        "Chen",
        "Wang",
        "Li",
        "Kim",
        "Lee",
        "Park",
        "Tran",
        "Patel",
        "Shah",
        "Singh",
        "Zhang",
        "Liu",
        "Huang",
        "Pham",
        "Le",
        "Choi",
        "Yang",
        "Wu",
        "Kumar",
        "Tanaka",
        "Sato",
        "Lin",
        "Ali",
    ]
)

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


# ================================================================ public entry


def write_demo_files(out_dir: pathlib.Path, seed: int = 42) -> dict[str, list[pathlib.Path]]:
    """Write the demo district's export files into out_dir; return them by kind, in load order."""
    out_dir = pathlib.Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rngs = dict(zip(RNG_PARTS, np.random.default_rng(seed).spawn(len(RNG_PARTS))))
    continuum = load_continuum()
    students = draw_students(rngs["students"])
    enrollments = enroll_students(students)
    placements, sections = place_in_sections(enrollments, rngs["sections"])
    evidence = plan_section_evidence(sections, continuum, rngs["events"])
    rows = attend(evidence, placements, rngs["events"])
    rows = concat_columns(
        rows, plan_off_level_evidence(enrollments, students, placements, continuum, rngs["off_level"])
    )
    rows = drop_never_assessed(rows, enrollments, continuum)
    # Pattern 6: PLC meetings, and the lift on the focus standards of the teams that meet every two weeks
    meetings, plc_boost = demo_plc.plan_meetings(
        rows,
        enrollments,
        sections,
        continuum,
        SCHOOL_IDS,
        CONTENT_AREAS,
        school_calendar(int(demo_plc.PLANTED_YEAR[:4])),
        SCHOOL_YEARS.index(demo_plc.PLANTED_YEAR),
        seed,
    )
    scores = score_evidence(rows, enrollments, students, sections, continuum, rngs["scores"], plc_boost)
    survey, invited = build_survey(rngs["survey"])
    rubric = build_rubric(rngs["rubric"])

    files: dict[str, list[pathlib.Path]] = {
        k: [] for k in ("continuum", "roster", "gradebook", "survey", "rubric", "learning", "meetings")
    }
    with warehouse.scratch() as con:
        files["continuum"].append(write_csv(con, continuum, out_dir / "continuum.csv"))
        roster = roster_frame(enrollments, students)
        gradebook = gradebook_frame(scores, students, sections, continuum)
        for year_idx, year in enumerate(SCHOOL_YEARS):
            in_year = roster[roster["school_year"] == year]
            files["roster"].append(write_csv(con, in_year, out_dir / f"roster_{year}.csv"))
            files["gradebook"].append(write_csv(con, gradebook[year_idx], out_dir / f"gradebook_{year}.csv"))
        files["survey"].append(write_csv(con, survey, out_dir / "survey_responses.csv"))
        files["survey"].append(write_csv(con, invited, out_dir / "survey_invited.csv"))
        files["survey"].append(write_csv(con, demo_plc.mode_survey_frame(seed), out_dir / "survey_learning_modes.csv"))
        files["rubric"].append(write_csv(con, rubric, out_dir / "implementation_ratings.csv"))
        files["learning"].append(write_csv(con, demo_plc.offerings_frame(seed), out_dir / "learning_offerings.csv"))
    files["meetings"].append(demo_plc.write_meetings(meetings, out_dir / "plc_meetings.jsonl"))
    return files


def write_csv(con, frame: pd.DataFrame, path: pathlib.Path) -> pathlib.Path:
    """DuckDB writes CSV fast and plainly: true/false, ISO dates, empty cells for missing values."""
    con.register("frame_to_write", frame)
    try:
        target = str(path).replace("'", "''")
        con.execute(f"copy (select * from frame_to_write) to '{target}' (header, delimiter ',')")
    finally:
        con.unregister("frame_to_write")
    return path


# ================================================================ continuum


def load_continuum() -> pd.DataFrame:
    """The committed standards: real CCSS math and ELA, and a small invented NGSS-like science set."""
    frames = [
        pd.read_csv(DATA_DIR / name, dtype={"continuum_level": "int64"}, keep_default_na=False)
        for name in STANDARD_FILES
    ]
    continuum = pd.concat(frames, ignore_index=True)
    return continuum.reset_index(drop=True)


def standard_level_for_grade(content: str, grade: int) -> int:
    """The continuum level a grade is taught from: HS ELA bands sit at their first grade."""
    if content == "ela" and grade in (10, 12):
        return grade - 1
    return grade


# ================================================================ students and enrollments


def draw_students(rng: np.random.Generator) -> pd.DataFrame:
    """Everyone enrolled at some point in the three years, with their lasting traits."""
    entry_year, entry_grade = _entry_cohorts(rng)
    n = len(entry_year)
    zone = rng.choice(4, size=n, p=ZONE_SHARE)
    race = _draw_category(rng, RACE_BY_ZONE[zone])
    gender = rng.choice(3, size=n, p=GENDER_SHARE)
    ability = rng.standard_normal(n)
    # Younger students are more often still learning English; many reclassify year by year.
    ell_grade_factor = np.clip(1.35 - 0.07 * entry_grade, 0.45, None)
    is_ell_at_entry = rng.random(n) < ELL_BY_RACE[race] * ell_grade_factor
    years_as_ell = rng.geometric(0.16, size=n)
    econ_p = np.clip(ECON_BY_ZONE[zone] * ECON_RACE_FACTOR[race], 0, 0.95)
    off_level_kind, off_level_content = _off_level_traits(rng, ability)
    return pd.DataFrame(
        {
            "student_id": _student_ids(rng, n),
            "last_name": _last_names(rng, race),
            "first_name": _first_names(rng, gender),
            "entry_year": entry_year,
            "entry_grade": entry_grade,
            "years_enrolled": rng.geometric(YEARLY_MOVE_AWAY, size=n),
            "zone": zone,
            "race": race,
            "gender": gender,
            "ability": ability,
            "is_ell_at_entry": is_ell_at_entry,
            "years_as_ell": years_as_ell,
            "is_iep": rng.random(n) < IEP_BY_GENDER[gender],
            "is_504": rng.random(n) < 0.04,
            "is_econ_disadv": rng.random(n) < econ_p,
            "off_level_kind": off_level_kind,  # 0 none, -1 working below, +1 working above
            "off_level_content": off_level_content,  # index into CONTENT_AREAS
        }
    )


def _entry_cohorts(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Year 0: every grade; later years: a new kindergarten and movers-in at every grade."""
    years, grades = [], []
    for grade in range(13):
        years.append(np.zeros(rng.poisson(STUDENTS_PER_GRADE), dtype=np.int64))
        grades.append(np.full(len(years[-1]), grade))
    for year in range(1, len(SCHOOL_YEARS)):
        for grade in range(13):
            mean = STUDENTS_PER_GRADE if grade == 0 else STUDENTS_PER_GRADE * YEARLY_MOVE_AWAY
            count = rng.poisson(mean)
            years.append(np.full(count, year))
            grades.append(np.full(count, grade))
    return np.concatenate(years), np.concatenate(grades)


def _draw_category(rng: np.random.Generator, probabilities: np.ndarray) -> np.ndarray:
    """One category per row from per-row probabilities (inverse CDF, vectorized)."""
    cumulative = np.cumsum(probabilities, axis=1)
    cumulative /= cumulative[:, -1:]
    return (rng.random(len(probabilities))[:, None] > cumulative).sum(axis=1)


def _student_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    numbers = rng.choice(np.arange(100, 99_999), size=n, replace=False)
    return np.char.zfill(numbers.astype(str), 6)


def _first_names(rng: np.random.Generator, gender: np.ndarray) -> np.ndarray:
    lists = (FIRST_NAMES_FEMALE, FIRST_NAMES_MALE, FIRST_NAMES_NEUTRAL)
    picks = [lst[rng.integers(0, len(lst), size=len(gender))] for lst in lists]
    return np.select([gender == 0, gender == 1], picks[:2], picks[2])


def _last_names(rng: np.random.Generator, race: np.ndarray) -> np.ndarray:
    n = len(race)
    general = LAST_NAMES_GENERAL[rng.integers(0, len(LAST_NAMES_GENERAL), size=n)]
    hispanic = LAST_NAMES_HISPANIC[rng.integers(0, len(LAST_NAMES_HISPANIC), size=n)]
    asian = LAST_NAMES_ASIAN[rng.integers(0, len(LAST_NAMES_ASIAN), size=n)]
    u = rng.random(n)
    return np.select([(race == HISPANIC) & (u < 0.8), (race == ASIAN) & (u < 0.7)], [hispanic, asian], general)


def _off_level_traits(rng: np.random.Generator, ability: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pattern 3: some low achievers work below grade level, some high achievers above it."""
    u = rng.random(len(ability))
    below = (ability < -0.6) & (u < 0.13)
    above = (ability > 1.1) & (u < 0.2)
    kind = np.where(below, -1, np.where(above, 1, 0))
    content = np.where(rng.random(len(ability)) < 0.6, 0, 1)  # math or ELA
    return kind, content


def enroll_students(students: pd.DataFrame) -> pd.DataFrame:
    """One row per student x school year, with that year's grade, school and flags."""
    frames = []
    for year_idx in range(len(SCHOOL_YEARS)):
        years_in = year_idx - students["entry_year"].to_numpy()
        grade = students["entry_grade"].to_numpy() + years_in
        present = (years_in >= 0) & (years_in < students["years_enrolled"].to_numpy()) & (grade <= 12)
        idx = np.flatnonzero(present)
        grade = grade[idx]
        zone = students["zone"].to_numpy()[idx]
        school = np.select([grade <= 5, grade <= 8], [zone, MIDDLE_FOR_ZONE[zone]], HIGH_SCHOOL)
        still_learning = years_in[idx] < students["years_as_ell"].to_numpy()[idx]
        is_ell = students["is_ell_at_entry"].to_numpy()[idx] & still_learning
        frames.append(
            pd.DataFrame(
                {
                    "year_idx": year_idx,
                    "student_idx": idx,
                    "grade": grade,
                    "school_idx": school,
                    "is_ell": is_ell,
                }
            )
        )
    enrollments = pd.concat(frames, ignore_index=True)
    for flag in ("is_iep", "is_504", "is_econ_disadv"):
        enrollments[flag] = students[flag].to_numpy()[enrollments["student_idx"]]
    return enrollments


# ================================================================ sections


def place_in_sections(enrollments: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Homerooms in elementary (one teacher for all three subjects); course sections above."""
    n = len(enrollments)
    level = SCHOOL_LEVELS[enrollments["school_idx"].to_numpy()]
    is_elementary = level == "elementary"
    frames = []
    homeroom = _balanced_groups(enrollments, rng.random(n), HOMEROOM_SIZE)
    for content_idx in range(len(CONTENT_AREAS)):
        own = _balanced_groups(enrollments, rng.random(n), SECONDARY_SECTION_SIZE)
        frames.append(
            pd.DataFrame(
                {
                    "enroll_idx": np.arange(n),
                    "content_idx": content_idx,
                    "section_no": np.where(is_elementary, homeroom, own),
                }
            )
        )
    placements = pd.concat(frames, ignore_index=True)
    keys = ["year_idx", "school_idx", "grade"]
    for key in keys:
        placements[key] = enrollments[key].to_numpy()[placements["enroll_idx"]]
    sections = (
        placements[keys + ["content_idx", "section_no"]]
        .drop_duplicates()
        .sort_values(keys + ["content_idx", "section_no"])
        .reset_index(drop=True)
    )
    sections = _describe_sections(sections, rng)
    placements = placements.merge(
        sections[keys + ["content_idx", "section_no", "section_idx"]],
        on=keys + ["content_idx", "section_no"],
        how="left",
    )
    return placements[["enroll_idx", "content_idx", "section_idx"]], sections


def _balanced_groups(enrollments: pd.DataFrame, random_key: np.ndarray, size: int) -> np.ndarray:
    """Deal each (year, school, grade) into ceil(n / size) groups of near-equal size at random."""
    frame = enrollments[["year_idx", "school_idx", "grade"]].assign(key=random_key)
    frame = frame.sort_values(["year_idx", "school_idx", "grade", "key"])
    rank = frame.groupby(["year_idx", "school_idx", "grade"]).cumcount().to_numpy()
    count = frame.groupby(["year_idx", "school_idx", "grade"])["key"].transform("size").to_numpy()
    groups = np.empty(len(frame), dtype=np.int64)
    groups[frame.index.to_numpy()] = rank % np.ceil(count / size).astype(np.int64)
    return groups


def _describe_sections(sections: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Course, section and teacher ids; teachers keep their id (and habits) across years."""
    school = SCHOOL_IDS[sections["school_idx"].to_numpy()]
    grade = sections["grade"].to_numpy()
    content_idx = sections["content_idx"].to_numpy()
    number = sections["section_no"].to_numpy()
    is_elementary = SCHOOL_LEVELS[sections["school_idx"].to_numpy()] == "elementary"
    course = np.empty(len(sections), dtype=object)
    for c, content in enumerate(CONTENT_AREAS):
        grade_label = np.where(grade == 0, "K", grade.astype(str))
        course = np.where(content_idx == c, np.char.add(COURSE_PREFIX[content], grade_label.astype(str)), course)
        high = (content_idx == c) & (grade >= 9)
        course = np.where(high, np.array(HIGH_SCHOOL_COURSES[content])[np.clip(grade - 9, 0, 3)], course)
    course = course.astype(str)
    start_year = np.array([y[2:4] for y in SCHOOL_YEARS])[sections["year_idx"].to_numpy()]
    section_label = np.char.zfill((number + 1).astype(str), 2)
    section_id = _join(school, "-", course, "-", section_label, "-", start_year)
    # Elementary: the homeroom teacher of (grade, homeroom); secondary: up to five sections each.
    grade_in_school = np.where(grade >= 9, grade - 9, grade - 6)
    secondary_slot = 40 + content_idx * 20 + grade_in_school * 4 + number // SECTIONS_PER_SECONDARY_TEACHER
    teacher_no = np.where(is_elementary, grade * 6 + number + 1, secondary_slot)
    teacher_id = _join("T", school, "-", np.char.zfill(teacher_no.astype(str), 2))
    uses_plus_minus = np.array([zlib.crc32(t.encode()) % 100 < PLUS_MINUS_TEACHER_SHARE * 100 for t in teacher_id])
    sections = sections.assign(
        section_idx=np.arange(len(sections)),
        course_id=course,
        section_id=section_id,
        teacher_id=teacher_id,
        uses_plus_minus=uses_plus_minus,
        teacher_effect=rng.normal(0, TEACHER_EFFECT_SD, len(sections)),
        level=[standard_level_for_grade(CONTENT_AREAS[c], g) for c, g in zip(content_idx, grade)],
    )
    return sections


def _join(*parts) -> np.ndarray:
    out = np.asarray(parts[0]).astype(str)
    for part in parts[1:]:
        out = np.char.add(out, np.asarray(part).astype(str))
    return out


# ================================================================ evidence plans


def plan_section_evidence(sections: pd.DataFrame, continuum: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Which standards each section assesses, how often and on which school days.

    Within a (year, grade, content area) the sections assess overlapping windows of one shuffled
    list of the grade's standards, so that together they cover every standard (bar the planted
    never-assessed ones in the latest year) while each section covers only a share of them.
    """
    section_parts, standard_parts, position_parts, window_parts = [], [], [], []
    groups = sections.groupby(["year_idx", "content_idx", "level"], sort=True)
    for (year_idx, content_idx, level), group in groups:
        content = CONTENT_AREAS[content_idx]
        standards = _grade_standards(continuum, content, level, SCHOOL_YEARS[year_idx])
        n, m = len(standards), len(group)
        if n == 0:
            continue
        k = min(n, max(1, round(SECTION_STANDARD_SHARE[content] * n), -(-n // m)))
        shuffled = standards[rng.permutation(n)]
        offsets = (np.arange(m) * n // m + rng.integers(0, n)) % n
        window = (offsets[:, None] + np.arange(k)[None, :]) % n
        section_parts.append(np.repeat(group["section_idx"].to_numpy(), k))
        standard_parts.append(shuffled[window].ravel())
        position_parts.append(np.tile(np.arange(k), m))
        window_parts.append(np.full(m * k, k))
    pair_section = np.concatenate(section_parts)
    pair_standard = np.concatenate(standard_parts)
    # Pacing: a section teaches its window in order through the year, then re-assesses.
    first_time = (np.concatenate(position_parts) + rng.random(len(pair_section))) / np.concatenate(window_parts) * 0.85
    n_evidence = rng.choice(EVIDENCE_PER_STANDARD[0], size=len(pair_section), p=EVIDENCE_PER_STANDARD[1])
    pair = np.repeat(np.arange(len(pair_section)), n_evidence)
    nth = _rank_within(pair)
    gap = np.where(nth == 0, 0.0, rng.uniform(0.04, 0.12, len(pair)))
    when = first_time[pair] + _cumsum_within(gap, pair)
    keep = when < 1.0  # late re-assessments past the year's end simply do not happen
    pair, nth, when = pair[keep], nth[keep], when[keep]
    is_last = np.r_[pair[1:] != pair[:-1], True]
    summative = rng.random(len(pair)) < np.where(is_last, 0.65, 0.12)
    unit = (first_time[pair] / 0.85 * 6).astype(np.int64) + 1
    return {
        "section_idx": pair_section[pair],
        "standard_idx": pair_standard[pair],
        "when": when,
        "summative": summative,
        "unit": unit,
        "reassessment": nth > 0,
    }


def _grade_standards(continuum: pd.DataFrame, content: str, level: int, year: str) -> np.ndarray:
    rows = (continuum["content_area"] == content) & (continuum["continuum_level"] == level)
    if year == LATEST_YEAR:
        rows &= ~continuum["standard_code"].isin(_never_assessed_codes())
    return np.flatnonzero(rows.to_numpy())


def _never_assessed_codes() -> list[str]:
    return [code for codes in NEVER_ASSESSED_LATEST_YEAR.values() for code in codes]


def _rank_within(group: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within runs of equal values of a sorted group array."""
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, len(group)]))
    return np.arange(len(group)) - run_start


def _cumsum_within(values: np.ndarray, group: np.ndarray) -> np.ndarray:
    total = np.cumsum(values)
    starts = np.r_[0, np.flatnonzero(group[1:] != group[:-1]) + 1]
    before = np.r_[0.0, total][starts]
    return total - np.repeat(before, np.diff(np.r_[starts, len(group)]))


def attend(evidence: dict, placements: pd.DataFrame, rng: np.random.Generator) -> dict:
    """Every student of a section gets each of its assessments, unless absent that day."""
    order = np.argsort(placements["section_idx"].to_numpy(), kind="stable")
    members = placements["enroll_idx"].to_numpy()[order]
    n_sections = int(placements["section_idx"].max()) + 1
    size = np.bincount(placements["section_idx"].to_numpy(), minlength=n_sections)
    start = np.r_[0, np.cumsum(size)[:-1]]
    event_size = size[evidence["section_idx"]]
    event = np.repeat(np.arange(len(event_size)), event_size)
    offset = np.arange(len(event)) - np.repeat(np.cumsum(event_size) - event_size, event_size)
    enroll = members[start[evidence["section_idx"]][event] + offset]
    present = rng.random(len(event)) < ATTENDANCE
    rows = {key: value[event[present]] for key, value in evidence.items()}
    rows["enroll_idx"] = enroll[present]
    rows["off_level"] = np.zeros(present.sum(), dtype=np.int64)
    return rows


def plan_off_level_evidence(
    enrollments: pd.DataFrame,
    students: pd.DataFrame,
    placements: pd.DataFrame,
    continuum: pd.DataFrame,
    rng: np.random.Generator,
) -> dict:
    """Pattern 3: intervention checks below grade level and extension tasks above it."""
    kind = students["off_level_kind"].to_numpy()[enrollments["student_idx"]]
    content_idx = students["off_level_content"].to_numpy()[enrollments["student_idx"]]
    grade = enrollments["grade"].to_numpy()
    eligible = ((kind == -1) & (grade >= 2) & (grade <= 8)) | ((kind == 1) & (grade <= 7))
    target = np.where(kind == -1, np.where(grade >= 3, grade - 2, grade - 1), grade + 1)
    section_of = placements.set_index(["enroll_idx", "content_idx"])["section_idx"]
    parts = []
    for c, content in enumerate(CONTENT_AREAS[:2]):
        for level in range(13):
            enroll_idx = np.flatnonzero(eligible & (content_idx == c) & (target == level))
            standards = np.flatnonzero(
                ((continuum["content_area"] == content) & (continuum["continuum_level"] == level)).to_numpy()
            )
            if len(enroll_idx) == 0 or len(standards) == 0:
                continue
            k = min(OFF_LEVEL_STANDARDS, len(standards))
            picks = standards[np.argsort(rng.random((len(enroll_idx), len(standards))), axis=1)[:, :k]]
            sections = section_of.loc[list(zip(enroll_idx, np.full(len(enroll_idx), c)))].to_numpy()
            parts.append(
                (np.repeat(enroll_idx, k), np.repeat(sections, k), picks.ravel(), np.repeat(kind[enroll_idx], k))
            )
    enroll_idx, section_idx, standard_idx, direction = (np.concatenate(p) for p in zip(*parts))
    n_evidence = rng.integers(2, 4, size=len(enroll_idx))
    pair = np.repeat(np.arange(len(enroll_idx)), n_evidence)
    nth = _rank_within(pair)
    first = rng.uniform(0.05, 0.6, len(enroll_idx))
    when = first[pair] + _cumsum_within(np.where(nth == 0, 0.0, rng.uniform(0.08, 0.15, len(pair))), pair)
    is_last = np.r_[pair[1:] != pair[:-1], True]
    return {
        "section_idx": section_idx[pair],
        "standard_idx": standard_idx[pair],
        "when": np.minimum(when, 0.99),
        "summative": is_last & (rng.random(len(pair)) < 0.4),
        "unit": np.zeros(len(pair), dtype=np.int64),
        "reassessment": nth > 0,
        "enroll_idx": enroll_idx[pair],
        "off_level": direction[pair],
    }


def concat_columns(a: dict, b: dict) -> dict:
    return {key: np.concatenate([a[key], b[key]]) for key in a}


def drop_never_assessed(rows: dict, enrollments: pd.DataFrame, continuum: pd.DataFrame) -> dict:
    """Pattern 2: no evidence at all on the named standards in the latest year, from anyone."""
    never = continuum["standard_code"].isin(_never_assessed_codes()).to_numpy()
    latest = enrollments["year_idx"].to_numpy()[rows["enroll_idx"]] == len(SCHOOL_YEARS) - 1
    keep = ~(never[rows["standard_idx"]] & latest)
    return {key: value[keep] for key, value in rows.items()}


# ================================================================ scores


def score_evidence(
    rows: dict,
    enrollments: pd.DataFrame,
    students: pd.DataFrame,
    sections: pd.DataFrame,
    continuum: pd.DataFrame,
    rng: np.random.Generator,
    plc_boost: np.ndarray | None = None,
) -> dict:
    """Latent proficiency -> mark and score, for all rows at once."""
    n = len(rows["enroll_idx"])
    enroll = rows["enroll_idx"]
    year_idx = enrollments["year_idx"].to_numpy()[enroll]
    school_idx = enrollments["school_idx"].to_numpy()[enroll]
    student_idx = enrollments["student_idx"].to_numpy()[enroll]
    content_idx = sections["content_idx"].to_numpy()[rows["section_idx"]]
    base = np.array([BASE_SCORE[c] for c in CONTENT_AREAS])[content_idx]
    difficulty = rng.normal(0, STANDARD_DIFFICULTY_SD, len(continuum))[rows["standard_idx"]]
    latent = (
        base
        + ABILITY_WEIGHT * students["ability"].to_numpy()[student_idx]
        + _school_effect(school_idx, year_idx)
        - _group_penalty(enrollments, enroll, school_idx, year_idx)
        + GROWTH_PER_YEAR * (rows["when"] - 0.5)
        + difficulty
        + sections["teacher_effect"].to_numpy()[rows["section_idx"]]
        + rng.normal(0, NOISE_SD, n)
    )
    latent += _off_level_shift(rows, students, student_idx, content_idx)
    if plc_boost is not None:
        latent += plc_boost
    # On the standards they are working on, off-level students sit near proficient whatever their grade work.
    off_level = rows["off_level"] != 0
    latent[off_level] = (
        OFF_LEVEL_MEAN
        + GROWTH_PER_YEAR * (rows["when"][off_level] - 0.5)
        + rng.normal(0, NOISE_SD * 0.8, off_level.sum())
    )
    plus_minus = sections["uses_plus_minus"].to_numpy()[rows["section_idx"]]
    mark = _mark_codes(latent, plus_minus)
    mark = _non_evidence(mark, rng)
    return {**rows, "mark": mark, "year_idx": year_idx, "school_idx": school_idx, "student_idx": student_idx}


def _school_effect(school_idx: np.ndarray, year_idx: np.ndarray) -> np.ndarray:
    table = np.array([SCHOOL_EFFECT_BY_YEAR.get(s, SCHOOL_EFFECT_BY_YEAR["other"]) for s in SCHOOL_IDS])
    return table[school_idx, year_idx]


def _group_penalty(
    enrollments: pd.DataFrame, enroll: np.ndarray, school_idx: np.ndarray, year_idx: np.ndarray
) -> np.ndarray:
    """Pattern 1: program-flag penalties, shrinking fast in the gap-closing school only."""
    penalty = np.zeros(len(enroll))
    for flag, size in GROUP_PENALTY.items():
        penalty += size * enrollments[flag].to_numpy()[enroll]
    closing = np.array(GAP_SHARE_BY_YEAR["closing"])[year_idx]
    elsewhere = np.array(GAP_SHARE_BY_YEAR["elsewhere"])[year_idx]
    share = np.where(SCHOOL_IDS[school_idx] == GAP_CLOSING_SCHOOL, closing, elsewhere)
    return penalty * share


def _off_level_shift(
    rows: dict, students: pd.DataFrame, student_idx: np.ndarray, content_idx: np.ndarray
) -> np.ndarray:
    """Working below grade level shows on grade-level standards too (and above, upward)."""
    kind = students["off_level_kind"].to_numpy()[student_idx]
    own_content = students["off_level_content"].to_numpy()[student_idx] == content_idx
    shift = np.where(kind == -1, BELOW_GRADE_SHIFT, np.where(kind == 1, ABOVE_GRADE_SHIFT, 0.0))
    return np.where(own_content, shift, 0.0)


def _mark_codes(latent: np.ndarray, plus_minus: np.ndarray) -> np.ndarray:
    """Index into MARKS: whole marks at the half points; 2+ / 3- for teachers who use them."""
    whole = np.digitize(latent, [1.5, 2.5, 3.5])  # 0..3 -> marks 1, 2, 3, 4
    whole_code = np.array([0, 1, 4, 5])[whole]
    graded = np.digitize(latent, [1.5, 2.1667, 2.5, 2.8333, 3.5])  # 1, 2, 2+, 3-, 3, 4
    return np.where(plus_minus, graded, whole_code)


def _non_evidence(mark: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    u = rng.random(len(mark))
    edges = np.cumsum(list(NON_EVIDENCE.values()))
    codes = np.array([6, 7, 8])  # IE, NY, EX
    is_code = u < edges[-1]
    mark = mark.copy()
    mark[is_code] = codes[np.digitize(u[is_code], edges[:-1])]
    return mark


# ================================================================ output frames


def roster_frame(enrollments: pd.DataFrame, students: pd.DataFrame) -> pd.DataFrame:
    s = enrollments["student_idx"].to_numpy()
    school = enrollments["school_idx"].to_numpy()
    frame = pd.DataFrame(
        {
            "school_year": np.array(SCHOOL_YEARS)[enrollments["year_idx"].to_numpy()],
            "student_id": students["student_id"].to_numpy()[s],
            "last_name": students["last_name"].to_numpy()[s],
            "first_name": students["first_name"].to_numpy()[s],
            "school_id": SCHOOL_IDS[school],
            "school_name": SCHOOL_NAMES[school],
            "school_level": SCHOOL_LEVELS[school],
            "grade_level": enrollments["grade"].to_numpy(),
            "gender": GENDERS[students["gender"].to_numpy()[s]],
            "race_ethnicity": RACES[students["race"].to_numpy()[s]],
            "is_ell": enrollments["is_ell"].to_numpy(),
            "is_iep": enrollments["is_iep"].to_numpy(),
            "is_504": enrollments["is_504"].to_numpy(),
            "is_econ_disadv": enrollments["is_econ_disadv"].to_numpy(),
        }
    )
    return frame.sort_values(
        ["school_year", "school_id", "grade_level", "student_id"], kind="stable", ignore_index=True
    )


def gradebook_frame(
    scores: dict, students: pd.DataFrame, sections: pd.DataFrame, continuum: pd.DataFrame
) -> list[pd.DataFrame]:
    """One frame per school year, sorted as a gradebook export: section, date, assessment, student.

    Text columns are categoricals over small tables (codes + categories), so a million rows cost
    no string work until DuckDB writes them.
    """
    day_idx, terms = _school_days(scores)
    name_codes, name_values = _assessment_names(scores, sections, continuum)
    course_codes, courses = pd.factorize(sections["course_id"])
    teacher_codes, teachers = pd.factorize(sections["teacher_id"])
    frames = []
    for year_idx, year in enumerate(SCHOOL_YEARS):
        rows = np.flatnonzero(scores["year_idx"] == year_idx)
        order = np.lexsort(
            (
                scores["student_idx"][rows],
                scores["standard_idx"][rows],
                name_codes[rows],
                day_idx[rows],
                scores["section_idx"][rows],
            )
        )
        rows = rows[order]
        section = scores["section_idx"][rows]
        mark = scores["mark"][rows]
        frames.append(
            pd.DataFrame(
                {
                    "student_id": _categorical(scores["student_idx"][rows], students["student_id"]),
                    "school_year": _categorical(np.zeros(len(rows), dtype=np.int64), [year]),
                    "term": _categorical(terms[rows], TERMS),
                    "assessed_on": _categorical(day_idx[rows], school_calendar(int(year[:4])).astype(str)),
                    "school_id": _categorical(scores["school_idx"][rows], SCHOOL_IDS),
                    "course_id": _categorical(course_codes[section], courses),
                    "section_id": _categorical(section, sections["section_id"]),
                    "teacher_id": _categorical(teacher_codes[section], teachers),
                    "standard_code": _categorical(scores["standard_idx"][rows], continuum["standard_code"]),
                    "score": pd.array(MARK_SCORES[mark], dtype="Float64"),
                    "mark": _categorical(mark, MARKS),
                    "assessment_type": _categorical(
                        scores["summative"][rows].astype(np.int64), ["formative", "summative"]
                    ),
                    "assessment_name": _categorical(name_codes[rows], name_values),
                }
            )
        )
    return frames


def _categorical(codes: np.ndarray, categories) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=object))


def _school_days(scores: dict) -> tuple[np.ndarray, np.ndarray]:
    """Map each row's point in the year (0..1) to a school day of that year, and that day's term."""
    day_idx = np.empty(len(scores["when"]), dtype=np.int64)
    terms = np.empty(len(scores["when"]), dtype=np.int64)
    for year_idx, year in enumerate(SCHOOL_YEARS):
        n_days = len(school_calendar(int(year[:4])))
        rows = scores["year_idx"] == year_idx
        idx = np.minimum((scores["when"][rows] * n_days).astype(np.int64), n_days - 1)
        day_idx[rows] = idx
        terms[rows] = idx * len(TERMS) // n_days
    return day_idx, terms


def school_calendar(start_year: int) -> np.ndarray:
    """Weekdays from late August to early June, less Thanksgiving, winter and spring breaks."""
    days = np.arange(np.datetime64(f"{start_year}-08-21"), np.datetime64(f"{start_year + 1}-06-07"))
    weekday = np.is_busday(days)
    thanksgiving = np.busday_offset(np.datetime64(f"{start_year}-11-01"), 3, roll="forward", weekmask="Thu")
    breaks = [
        (thanksgiving - 1, thanksgiving + 2),
        (np.datetime64(f"{start_year}-12-22"), np.datetime64(f"{start_year + 1}-01-02")),
        (np.datetime64(f"{start_year + 1}-03-23"), np.datetime64(f"{start_year + 1}-03-31")),
    ]
    off = np.zeros(len(days), dtype=bool)
    for first, last in breaks:
        off |= (days >= first) & (days <= last)
    return days[weekday & ~off]


def _assessment_names(scores: dict, sections: pd.DataFrame, continuum: pd.DataFrame) -> tuple[np.ndarray, list]:
    """Names a teacher would give ("MATH4 Unit 3 Check", "ALG1 Unit 5 Assessment", "MATH4 Intervention
    Check NBT"), as codes into a sorted list of the distinct names."""
    course_codes, courses = pd.factorize(sections["course_id"])
    strand_codes, strands = pd.factorize(continuum["strand"])
    course = course_codes[scores["section_idx"]]
    kind = np.where(scores["summative"], 0, np.where(scores["reassessment"], 1, 2))
    off_level = scores["off_level"] != 0
    kind = np.where(off_level, np.where(scores["off_level"] == -1, 3, 4), kind)
    unit = np.where(off_level, 0, scores["unit"])
    strand = np.where(off_level, strand_codes[scores["standard_idx"]], 0)
    key = ((course * 10 + unit) * 5 + kind) * (len(strands) + 1) + strand
    unique_keys, codes = np.unique(key, return_inverse=True)
    labels = []
    for k in unique_keys:  # a few thousand distinct names, not a loop over rows
        k, strand_k = divmod(int(k), len(strands) + 1)
        k, kind_k = divmod(k, 5)
        course_k, unit_k = divmod(k, 10)
        if kind_k >= 3:
            task = ("Intervention Check", "Extension Task")[kind_k - 3]
            labels.append(f"{courses[course_k]} {task} {strands[strand_k]}")
        else:
            labels.append(f"{courses[course_k]} Unit {unit_k} {('Assessment', 'Reassessment', 'Check')[kind_k]}")
    order = np.argsort(labels, kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], [labels[i] for i in order]


# ================================================================ staff survey


def build_survey(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generic long survey (a row per answer) and invited counts per school, role and wave."""
    invited_rows, respondents = [], []
    for year_idx, wave in enumerate(SCHOOL_YEARS):
        for school_idx, school in enumerate(SCHOOL_IDS):
            for role, invited_base in (("teacher", TEACHERS_INVITED), ("leader", LEADERS_INVITED)):
                n_invited = int(invited_base[school_idx] + rng.integers(-2, 3) * (role == "teacher"))
                rate = RESPONSE_RATE_BY_YEAR.get(school, None)
                rate = rate[year_idx] if rate else rng.uniform(0.62, 0.88)
                n_resp = int(min(n_invited, max(3, round(n_invited * (rate + rng.normal(0, 0.03))))))
                invited_rows.append((SURVEY_ID, wave, school, role, n_invited))
                respondents.append((year_idx, school_idx, role, n_resp))
    invited = pd.DataFrame(invited_rows, columns=["survey_id", "wave", "school_id", "role", "n_invited"])
    return _survey_answers(respondents, rng), invited


def _survey_answers(respondents: list[tuple], rng: np.random.Generator) -> pd.DataFrame:
    year_idx = np.concatenate([np.full(n, y) for y, _s, _r, n in respondents])
    school_idx = np.concatenate([np.full(n, s) for _y, s, _r, n in respondents])
    is_leader = np.concatenate([np.full(n, r == "leader") for _y, _s, r, n in respondents])
    number = np.concatenate([np.arange(n) for *_rest, n in respondents]) + np.where(is_leader, 901, 1)
    response_id = _join(
        np.array(SCHOOL_YEARS)[year_idx], "-", SCHOOL_IDS[school_idx], "-", np.char.zfill(number.astype(str), 4)
    )
    person = rng.normal(0, 0.45, len(year_idx))
    item_ids = np.array([i[0] for i in SURVEY_ITEMS])
    construct = np.array([i[1] for i in SURVEY_ITEMS])
    reverse = np.array([i[2] for i in SURVEY_ITEMS])
    item_offset = rng.normal(0, 0.15, len(SURVEY_ITEMS))
    culture = np.array([CULTURE_BY_YEAR.get(s, CULTURE_BY_YEAR["other"]) for s in SCHOOL_IDS])
    school_construct = rng.normal(0, 0.12, (len(SCHOOL_IDS), len(CONSTRUCTS)))  # each school's profile
    construct_idx = np.array([CONSTRUCTS.index(c) for c in construct])
    leader_bonus = np.where(construct == "trust", LEADER_ADVANTAGE["trust"], LEADER_ADVANTAGE["other"])
    agreement = (
        culture[school_idx, year_idx][:, None]
        + school_construct[school_idx][:, construct_idx]
        + person[:, None]
        + item_offset[None, :]
        + is_leader[:, None] * leader_bonus[None, :]
        + rng.normal(0, 0.7, (len(year_idx), len(SURVEY_ITEMS)))
    )
    agreement = np.clip(np.rint(agreement), 1, SURVEY_SCALE_POINTS).astype(np.int64)
    # A reverse-coded statement is agreed with when culture is poor: the stored answer is flipped.
    value = np.where(reverse[None, :], SURVEY_SCALE_POINTS + 1 - agreement, agreement).astype(float)
    value[rng.random(value.shape) < 0.025] = np.nan  # N/A
    n, k = value.shape
    answers = pd.DataFrame(
        {
            "survey_id": SURVEY_ID,
            "wave": np.repeat(np.array(SCHOOL_YEARS)[year_idx], k),
            "response_id": np.repeat(response_id, k),
            "school_id": np.repeat(SCHOOL_IDS[school_idx], k),
            "role": np.repeat(np.where(is_leader, "leader", "teacher"), k),
            "item_id": np.tile(item_ids, n),
            "item_text": np.tile(np.array([i[3] for i in SURVEY_ITEMS]), n),
            "construct": np.tile(construct, n),
            "is_reverse_coded": np.tile(reverse, n),
            "scale_points": SURVEY_SCALE_POINTS,
            "value": pd.array(value.ravel(), dtype="Int64"),
            "comment": pd.array([None] * (n * k), dtype="string"),
        }
    )
    commenter = np.flatnonzero(rng.random(n) < 0.3)
    comments = pd.DataFrame(
        {
            "survey_id": SURVEY_ID,
            "wave": np.array(SCHOOL_YEARS)[year_idx[commenter]],
            "response_id": response_id[commenter],
            "school_id": SCHOOL_IDS[school_idx[commenter]],
            "role": np.where(is_leader[commenter], "leader", "teacher"),
            "item_id": COMMENT_ITEM[0],
            "item_text": COMMENT_ITEM[2],
            "construct": COMMENT_ITEM[1],
            "is_reverse_coded": False,
            "scale_points": pd.array([None] * len(commenter), dtype="Int64"),
            "value": pd.array([None] * len(commenter), dtype="Int64"),
            "comment": pd.array(COMMENTS[rng.integers(0, len(COMMENTS), len(commenter))], dtype="string"),
        }
    )
    survey = pd.concat([answers, comments], ignore_index=True)
    return survey.sort_values(["wave", "school_id", "response_id", "item_id"], kind="stable", ignore_index=True)


# ================================================================ implementation rubric


def build_rubric(rng: np.random.Generator) -> pd.DataFrame:
    """Stages per school, year and domain; planted schools fixed, others advance at random paces."""
    rows = []
    for school in SCHOOL_IDS:
        for _d, domain in enumerate(RUBRIC_DOMAINS):
            planted = RUBRIC_PLANTED.get(school, {}).get(domain)
            if planted is None:
                # Others start at Exploring or Emerging and may climb a stage a year, to Proficient at most:
                # only the planted school reaches Breakthrough.
                start = rng.integers(0, 2)
                steps = rng.random(len(SCHOOL_YEARS) - 1) < 0.45
                planted = tuple(int(min(start + s, 2)) for s in np.r_[0, np.cumsum(steps)])
            for year_idx, year in enumerate(SCHOOL_YEARS):
                rows.append((school, year, domain, STAGES[planted[year_idx]]))
    return pd.DataFrame(rows, columns=["school_id", "school_year", "domain", "stage"])
