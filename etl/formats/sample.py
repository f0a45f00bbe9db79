"""A look at the start of a file, enough to tell what it is: its header, first rows, or JSON keys."""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from etl.errors import LoadRefused
from etl.vocabulary import compact

SAMPLE_ROWS = 40
ONEROSTER_FILES = (
    "users.csv",
    "enrollments.csv",
    "orgs.csv",
    "academicsessions.csv",
    "demographics.csv",
    "lineitems.csv",
    "results.csv",
    "classes.csv",
    "manifest.csv",
)


@dataclass
class Sample:
    path: Path
    header: list[str] = field(default_factory=list)  # the first non-empty row, as written
    rows: list[list[str]] = field(default_factory=list)  # the rows after it (up to SAMPLE_ROWS)
    json: object = None  # a JSON file's content
    bundle: dict[str, list[list[str]]] = field(default_factory=dict)  # OneRoster: file name -> rows

    @property
    def keys(self) -> set[str]:
        """The header cells without case, spaces or punctuation."""
        return {compact(h) for h in self.header}

    def has(self, *names: str) -> bool:
        return all(compact(n) in self.keys for n in names)

    def column(self, name: str) -> list[str]:
        """The sampled cells of one column (by header, compared compactly)."""
        wanted = compact(name)
        for i, h in enumerate(self.header):
            if compact(h) == wanted:
                return [r[i].strip() for r in self.rows if i < len(r)]
        return []

    def headers_matching(self, pattern: str) -> list[str]:
        regex = re.compile(pattern, re.I)
        return [h for h in self.header if regex.search(h.strip())]


def take_sample(path: Path) -> Sample:
    path = Path(path)
    if not path.exists():
        raise LoadRefused(f"{path.name}: file not found")
    if path.is_dir() or zipfile.is_zipfile(path) and path.suffix.lower() == ".zip":
        return Sample(path, bundle=read_bundle(path, limit=SAMPLE_ROWS))
    if path.suffix.lower() == ".json":
        try:
            return Sample(path, json=json.loads(path.read_text(encoding="utf-8-sig")))
        except (ValueError, UnicodeDecodeError) as error:
            raise LoadRefused(f"{path.name}: not valid JSON ({error})") from None
    from etl.surveys.detect import read_rows

    rows = read_rows(path, limit=SAMPLE_ROWS + 1).rows
    return Sample(path, header=[c.strip() for c in rows[0]], rows=rows[1:])


def read_bundle(path: Path, limit: int | None = None) -> dict[str, list[list[str]]]:
    """A OneRoster bulk bundle (a folder or a zip of CSV files): lower-case file name -> rows.
    A `users.csv` given on its own brings its folder."""
    import csv
    import io

    path = Path(path)
    texts: dict[str, str] = {}
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                name = Path(info.filename).name.lower()
                if name.endswith(".csv") and not info.is_dir():
                    texts[name] = archive.read(info).decode("utf-8-sig", errors="replace")
    else:
        folder = path if path.is_dir() else path.parent
        for file in sorted(folder.iterdir()):
            if file.suffix.lower() == ".csv" and file.name.lower() in ONEROSTER_FILES:
                texts[file.name.lower()] = file.read_text(encoding="utf-8-sig", errors="replace")
    bundle = {}
    for name, text in texts.items():
        rows = [
            r
            for r in csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n")))
            if any(c.strip() for c in r)
        ]
        bundle[name] = rows[: limit + 1] if limit else rows
    return bundle


def loadable_path(path: Path) -> Path:
    """A folder (a OneRoster bundle) as one zip file the loader can hash and record: the folder's CSV
    files, sorted, with fixed timestamps, so the same files make the same bytes (and "already loaded")."""
    import tempfile

    path = Path(path)
    if not path.is_dir():
        return path
    files = sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() == ".csv")
    if not files:
        raise LoadRefused(
            f"{path.name}: a folder with no CSV files; name the file to load (or a folder of OneRoster CSV files)"
        )
    target = Path(tempfile.mkdtemp(prefix="etl_bundle_")) / f"{path.name}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            info = zipfile.ZipInfo(file.name, date_time=(2000, 1, 1, 0, 0, 0))
            archive.writestr(info, file.read_bytes())
    return target
