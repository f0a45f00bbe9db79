"""A gradebook mapping (which columns mean what, the scale, the shape) and what a load of one file plans and
learns on the way: the columns of the warehouse's scores, the mapping's keys and the plan of a read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from etl.errors import LoadRefused
from etl.scales import Scale, default_scale, scale_from_config
from etl.vocabulary import column_aliases
from warehouse.school_years import START_MONTH

# The warehouse's scores columns (docs/warehouse.md), in the order they are staged.
SCORE_COLUMNS = [
    "student_id",
    "school_year",
    "term",
    "assessed_on",
    "school_id",
    "course_id",
    "section_id",
    "teacher_id",
    "standard_code",
    "score",
    "mark",
    "assessment_type",
    "assessment_name",
]


# Columns a row carries besides its mark; in a wide file these stay put while the marks unpivot.
ROW_COLUMNS = [
    "student_id",
    "student_name",
    "school_year",
    "term",
    "assessed_on",
    "school_id",
    "course_id",
    "section_id",
    "teacher_id",
    "assessment_type",
    "assessment_name",
]


ALIASES = column_aliases(
    "gradebook",
    {
        # No plain `student`: in Canvas and most teacher gradebooks that column holds the name.
        "student_id": ["student_number", "studentid", "sis_id", "local_id", "sis_user_id"],
        "student_name": ["student", "name", "student_full_name"],  # read only to skip test students
        "school_year": ["year", "schoolyear", "academic_year"],
        "term": ["marking_period", "grading_period", "semester", "quarter"],
        "assessed_on": ["date", "assessment_date", "given_on", "scored_on", "date_assessed"],
        "school_id": ["school", "school_code", "building_id"],
        "course_id": ["course", "course_code"],
        "section_id": ["section", "class_id", "section_code"],
        "teacher_id": ["teacher", "staff_id"],
        "standard_code": ["standard", "standard_id", "standard_name", "learning_target", "competency"],
        "score": [],
        # No `grade`: in school exports that is the grade level (`3rd Grade`, `08`) more often than a mark.
        "mark": ["rating", "proficiency", "level"],
        "assessment_type": ["type", "assessment_kind"],
        "assessment_name": ["assessment", "assignment", "title", "assessment_title"],
    },
)  # and the field's names: etl/vocabulary/columns.yaml


ID_COLUMNS = ("student_id", "school_id")  # ids keep leading zeros; Excel's `123.0` becomes `123`


# Few distinct values: kept as written per row, cleaned once per distinct value in Python.
LOOKED_UP = ("school_year", "assessed_on", "assessment_type")


CONSTANT_KEYS = (
    "school_year",
    "term",
    "school_id",
    "course_id",
    "section_id",
    "teacher_id",
    "assessment_type",
    "assessment_name",
)


MAPPING_KEYS = {
    "kind",
    "description",
    "shape",
    "columns",
    "constants",
    "date_format",
    "wide",
    "scale",
    "skip_students",
    "school_year_from_date",
    "school_year_start_month",
    "replace",
    "append",
}


WIDE_KEYS = {"pattern", "exclude_pattern", "columns", "code_prefix"}


TRAILING_ID = re.compile(r"\s*\(\s*\d{4,}\s*\)\s*$")  # Canvas's `Quiz 2.1 (12095681)`, as normalize_header


ASSESSMENT_TYPES = {"formative": "formative", "summative": "summative", "f": "formative", "s": "summative"}


# A big file's scores are written in whatever order DuckDB's threads finish (a third faster at ten
# million); a smaller one keeps file order, where order costs nothing and `select *` reads naturally.
UNORDERED_FROM_ROWS = 1_000_000


@dataclass
class GradebookMapping:
    """A mapping file's content, checked: see etl/presets/README.md for each key."""

    shape: str = "long"
    columns: dict[str, str | list[str]] = field(default_factory=dict)  # a list: the first header present
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    wide: dict = field(default_factory=dict)
    scale: Scale = field(default_factory=default_scale)
    skip_students: list[str] = field(default_factory=list)
    school_year_from_date: bool = False
    school_year_start_month: int = START_MONTH

    @classmethod
    def from_dict(cls, mapping: dict, file_name: str) -> GradebookMapping:
        def refuse(problem: str) -> LoadRefused:
            return LoadRefused(f"{file_name}: the gradebook format {problem}")

        unknown = sorted(set(mapping) - MAPPING_KEYS)
        if unknown:
            raise refuse(f"has unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(MAPPING_KEYS))})")
        if mapping.get("kind", "gradebook") != "gradebook":
            raise refuse(f"is for {mapping['kind']} files")
        shape = mapping.get("shape") or "long"
        if shape not in ("long", "wide"):
            raise refuse(f"says shape '{shape}'; it is long or wide")
        columns = {
            str(k): [str(h) for h in v] if isinstance(v, list) else str(v)
            for k, v in (mapping.get("columns") or {}).items()
        }
        bad_columns = sorted(set(columns) - set(SCORE_COLUMNS) - set(ROW_COLUMNS))
        if bad_columns:
            raise refuse(
                f"maps unknown column(s) {', '.join(bad_columns)} "
                f"(known: {', '.join(SCORE_COLUMNS + ['student_name'])})"
            )
        constants = {str(k): str(v) for k, v in (mapping.get("constants") or {}).items() if v is not None}
        bad_constants = sorted(set(constants) - set(CONSTANT_KEYS))
        if bad_constants:
            raise refuse(f"has unknown constant(s) {', '.join(bad_constants)} (known: {', '.join(CONSTANT_KEYS)})")
        wide = mapping.get("wide") or {}
        if set(wide) - WIDE_KEYS:
            raise refuse(f"has unknown wide key(s) {', '.join(sorted(set(wide) - WIDE_KEYS))}")
        try:
            scale = scale_from_config(mapping.get("scale"))
        except (ValueError, TypeError) as error:
            raise refuse(f"has a scale that does not work: {error}") from None
        start_month = int(mapping.get("school_year_start_month", START_MONTH))
        if not 1 <= start_month <= 12:
            raise refuse("says school_year_start_month must be a month number 1-12")
        return cls(
            shape=shape,
            columns=columns,
            constants=constants,
            date_format=mapping.get("date_format"),
            wide=wide,
            scale=scale,
            skip_students=[str(s) for s in mapping.get("skip_students") or []],
            school_year_from_date=bool(mapping.get("school_year_from_date", False)),
            school_year_start_month=start_month,
        )


@dataclass
class Plan:
    """How the file's columns become the rows of gradebook_long: the SQL of a CTE and its params."""

    sql: str
    params: dict
    headers: dict[str, str]  # canonical -> the file's header, to name the column of a reject
    skip_filter: str = "true"  # SQL over the raw table `r`: false for a test student's row
    value_columns: int = 0  # wide: how many columns hold marks
    has_score: bool = False  # a `score` column beside the mark
    has_points: bool = False  # wide columns with points possible

    def with_long(self, statement: str) -> str:
        return f"with gradebook_long as ({self.sql})\n{statement}"


@dataclass
class Facts:
    """What one scan of gradebook_long tells: its distinct values, each with how many rows have it."""

    years: list[tuple] = field(default_factory=list)  # (school_year text, n)
    dates: list[tuple] = field(default_factory=list)  # (assessed_on text, n)
    marks: list[tuple] = field(default_factory=list)  # (mark, score_text, points_possible, n)
    types: list[tuple] = field(default_factory=list)  # (assessment_type, n)
    n_rows: int = 0
    n_blank_student: int = 0
    n_blank_standard: int = 0


@dataclass
class MarkLookup:
    """The distinct marks classified: a frame to join back, and what the report says about them."""

    frame: pd.DataFrame
    codes: dict[str, int] = field(default_factory=dict)  # `mark (meaning)` -> rows
    rejected: dict[str, int] = field(default_factory=dict)  # mark -> rows
    n_blank: int = 0

    @property
    def has_rejects(self) -> bool:
        return bool(self.rejected)
