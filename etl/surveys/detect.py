"""Tell survey export formats apart from their first rows, and read a small export into rows of text.

    google_forms   a `Timestamp` column, then one column per question with the whole question
                   text as its header (CSV, or XLSX where the timestamp may be an Excel serial date)
    surveymonkey   two header rows: the questions (blank over a matrix's continuation columns),
                   then `Response`, `Open-Ended Response`, an option or a matrix sub-item
    qualtrics      three header rows: column ids (Q1, Q2_1), question texts, {"ImportId": ...};
                   or the legacy two rows: V1..Vn and question ids, then texts
    long           the generic long CSV (a row per response x item): etl/adapters/survey.py
    invited        invited counts per school x role (n_invited)

Survey exports are small (thousands of rows), so they are read whole with Python's csv module:
multi-row headers, quoted line breaks and Windows-1252 text are easier to get right there than in
the bulk reader that gradebooks need.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from etl.errors import LoadRefused
from etl.normalize import normalize_header
from etl.readers import SAMPLE_BYTES, detect_encoding, pick_delimiter
from warehouse.school_years import school_year_of_date

SURVEY_FORMATS = ("google_forms", "surveymonkey", "qualtrics", "long")
LONG_KEYS = {"response_id", "respondent_id", "respondent", "responseid"}
LONG_VALUE_KEYS = {"value", "answer", "response", "rating"}
LONG_ITEM_KEYS = {"item_id", "question_id", "item"}
SURVEYMONKEY_SUBHEADS = {"response", "open-ended response", "open ended response", "other (please specify)"}
SURVEYMONKEY_META = {
    "respondent id",
    "collector id",
    "start date",
    "end date",
    "ip address",
    "email address",
    "first name",
    "last name",
    "custom data 1",
    "custom data",
}
LEGACY_ID = re.compile(r"^V\d+$")
EXCEL_EPOCH = datetime(1899, 12, 30)


@dataclass
class Rows:
    """A file's rows as text, each with the physical line (or sheet row) it starts on."""

    rows: list[list[str]]
    line_numbers: list[int]
    encoding: str
    is_xlsx: bool = False
    notes: list[str] = field(default_factory=list)


def read_rows(path: Path, limit: int | None = None) -> Rows:
    path = Path(path)
    if not path.exists():
        raise LoadRefused(f"{path.name}: file not found")
    if path.stat().st_size == 0:
        raise LoadRefused(f"{path.name}: the file is empty")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, limit)
    if path.suffix.lower() == ".xls":
        raise LoadRefused(f"{path.name}: old .xls workbooks are not supported; save it as .xlsx or CSV")
    with path.open("rb") as f:
        sample = f.read(SAMPLE_BYTES)
    encoding, notes = detect_encoding(path, sample)
    data = sample if limit else path.read_bytes()
    text = data.decode(encoding, errors="replace")
    if "\r" in text and "\n" not in text:
        text = text.replace("\r", "\n")
    delimiter = pick_delimiter(text.splitlines(keepends=True)[:60])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, starts, previous_end = [], [], 0
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
                starts.append(previous_end + 1)
            previous_end = reader.line_num
            if limit and len(rows) >= limit:
                break
    except csv.Error as error:
        if not limit:
            raise LoadRefused(f"{path.name}: line {reader.line_num}: {error}") from None
    if not rows:
        raise LoadRefused(f"{path.name}: no rows could be read")
    if delimiter != ",":
        notes.append(f"columns are separated by {'tabs' if delimiter == chr(9) else repr(delimiter)}")
    return Rows(rows, starts, encoding, notes=notes)


def _read_xlsx(path: Path, limit: int | None) -> Rows:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise LoadRefused(f"{path.name}: not a readable .xlsx workbook ({error})") from None
    sheet = workbook.worksheets[0]
    rows, numbers = [], []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        cells = [_cell_text(v) for v in row]
        if any(c.strip() for c in cells):
            rows.append(cells)
            numbers.append(number)
        if limit and len(rows) >= limit:
            break
    title = sheet.title
    workbook.close()
    if not rows:
        raise LoadRefused(f"{path.name}: the first sheet is empty")
    return Rows(rows, numbers, "xlsx", is_xlsx=True, notes=[f"read sheet '{title}' of the workbook"])


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def excel_serial_to_datetime(text: str) -> datetime | None:
    """43813.52 -> 2019-12-14 12:28:48 (Excel's 1900 date system, as Google Sheets writes it)."""
    try:
        serial = float(text)
    except (TypeError, ValueError):
        return None
    if not 20000 < serial < 80000:  # 1954 .. 2119: anything else is not a timestamp
        return None
    return (EXCEL_EPOCH + timedelta(days=serial)).replace(microsecond=0)


TIMESTAMP_FORMATS = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d %I:%M:%S %p",
    "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y",
    "%Y-%m-%d",
)


def parse_timestamp(text: str) -> datetime | None:
    """Google Forms, SurveyMonkey and Qualtrics timestamps, and Excel serial dates."""
    text = (text or "").strip()
    if not text:
        return None
    text = re.sub(r"\s+(GMT|UTC|[A-Z]{2,4})([+-]\d{1,2}(:?\d{2})?)?$", "", text)
    for fmt in TIMESTAMP_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return excel_serial_to_datetime(text)


def school_year_of(moment: datetime) -> str:
    """The school year a response was given in (warehouse/school_years.py): 2019-12-14 -> 2019-20."""
    return school_year_of_date(moment.date())


def detect_format(path: Path) -> str:
    """google_forms | surveymonkey | qualtrics | long | invited, from the first rows of the file."""
    head = read_rows(path, limit=4)
    return detect_rows(head.rows)


def detect_rows(rows: list[list[str]]) -> str:
    first = [c.strip() for c in rows[0]]
    keys = {normalize_header(c) for c in first}
    if "n_invited" in keys or "invited" in keys:
        return "invited"
    if keys & LONG_ITEM_KEYS and keys & LONG_VALUE_KEYS and (keys & LONG_KEYS or "survey_id" in keys):
        return "long"
    second = [c.strip() for c in rows[1]] if len(rows) > 1 else []
    third = [c.strip() for c in rows[2]] if len(rows) > 2 else []
    if sum(1 for c in third if c.startswith('{"ImportId"') or c.startswith("{'ImportId'")) >= 2:
        return "qualtrics"
    legacy_ids = [c for c in first if LEGACY_ID.match(c)]
    if len(legacy_ids) >= 3 and first[0] == "V1" and any(normalize_header(c) == "responseid" for c in second):
        return "qualtrics"
    lowered_first = {c.lower() for c in first}
    lowered_second = {c.lower() for c in second}
    if (lowered_second & SURVEYMONKEY_SUBHEADS or "respondent id" in lowered_first) and (
        "respondent id" in lowered_first
        or len(lowered_first & SURVEYMONKEY_META) >= 2
        or _has_continuation_blanks(first, second)
    ):
        return "surveymonkey"
    if keys & {"timestamp", "marca_temporal", "horodateur", "zeitstempel"}:
        return "google_forms"
    return "long"


def _has_continuation_blanks(first: list[str], second: list[str]) -> bool:
    """A SurveyMonkey matrix: a blank question cell over a filled sub-item cell."""
    return any(not q and s for q, s in zip(first, second))
