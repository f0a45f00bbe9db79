"""Standard codes written several ways meet the continuum's one code: `4.NF.1`, `4.NF.A.1` and
`CCSS.MATH.CONTENT.4.NF.A.1` are one standard when the continuum has exactly one standard of that form.

A code's key drops the framework prefixes the vocabulary lists (etl/vocabulary/codes.yaml
`code_prefixes`), case, and a single-letter cluster between a domain and a number (`NF.A.1` -> `NF.1`).
After a gradebook load writes its scores, each code the continuum does not have is renamed to the
continuum's code with the same key, when exactly one has it; the report counts them.
"""

from __future__ import annotations

import re

from etl import vocabulary

CLUSTER = re.compile(r"\.([A-Z]+)\.[A-Z]\.(\d)")  # 4.NF.A.1 -> 4.NF.1, HSA.REI.B.4 -> HSA.REI.4


def code_key(code: str) -> str:
    text = str(code).strip().upper().replace(" ", "")
    for prefix in vocabulary.code_prefixes():
        if text.startswith(prefix.upper()):
            text = text[len(prefix) :]
            break
    text = CLUSTER.sub(r".\1.\2", text)
    return text.replace("-", ".")


def continuum_matches(con, codes: list[str]) -> dict[str, str]:
    """code -> the continuum's code of the same standard, for codes the continuum lacks."""
    standards = [c for (c,) in con.execute("select standard_code from standards").fetchall()]
    by_key: dict[str, list[str]] = {}
    for code in standards:
        by_key.setdefault(code_key(code), []).append(code)
    known = set(standards)
    out = {}
    for code in codes:
        if code in known:
            continue
        same = by_key.get(code_key(code), [])
        if len(same) == 1:
            out[code] = same[0]
    return out


def after_scores(staged) -> None:
    """Wrap the scores writer: once a load's scores are in, codes are matched to the continuum."""
    write = staged.writers.get("scores")
    if write is None:
        return

    def write_and_match(con, load_id: int) -> int:
        written = write(con, load_id)
        codes = [
            c
            for (c,) in con.execute(
                "select distinct standard_code from scores where load_id = $id", {"id": load_id}
            ).fetchall()
        ]
        matches = continuum_matches(con, codes)
        if matches:
            con.register("code_matches", _frame(matches))
            n = con.execute(
                "update scores set standard_code = m.continuum_code from code_matches m "
                "where scores.load_id = $id and scores.standard_code = m.file_code",
                {"id": load_id},
            ).fetchall()
            con.unregister("code_matches")
            n_rows = n[0][0] if n else 0
            examples = ", ".join(f"{a} -> {b}" for a, b in sorted(matches.items())[:4])
            staged.notes.append(
                f"{n_rows} score(s) on {len(matches)} code(s) written another way were matched to "
                f"the continuum's code of the same standard ({examples}); the counts of codes not "
                "in the continuum above include them"
            )
        return written

    staged.writers["scores"] = write_and_match


def _frame(matches: dict[str, str]):
    import pandas as pd

    return pd.DataFrame({"file_code": list(matches), "continuum_code": list(matches.values())})
