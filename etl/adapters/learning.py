"""Professional-learning offerings: `python -m etl load learning FILE` (issue 19).

One row per offering: its date, school, mode (one of warehouse.config.LEARNING_MODES, or a mode the district adds in
config/district.yaml `learning: {extra_modes: [...]}`), title, hours and how many took part in each role. The
participants come either as one column per role (`teachers`, `participants_coach`, ... any header starting with
`participants_` or naming a known role) or as a `role` and a `participants` column (one row per offering and
role). Rows with a bad value are rejected with their line number and reason (the Data loads page lists them);
a file without the needed columns is refused, naming them. Stored in `learning_offerings`, one row per offering
and role. A re-export replaces the offerings of the school years x schools it covers (etl/replace.py): an
offering it no longer lists is removed; `--replace year` widens that to every school of its years, `--append`
replaces nothing.
"""

from __future__ import annotations

from etl.adapters.common import LoadOptions, Staged, reject_rows, resolve_columns
from etl.errors import LoadRefused
from etl.normalize import normalize_header
from etl.readers import read_raw
from etl.replace import chosen_scope, replace_offerings
from warehouse.config import district_config
from warehouse.sql_names import identifier

ALIASES = {
    "offered_on": ["date", "offering_date", "session_date", "held_on", "start_date"],
    "school_id": ["school", "school_code", "site", "building"],
    "mode": ["type", "format", "learning_mode", "kind"],
    "title": ["name", "offering", "session", "course_title", "description"],
    "hours": ["duration", "duration_hours", "length_hours", "contact_hours"],
    "role": ["participant_role", "staff_role"],
    "participants": ["n_participants", "attendees", "count", "number_of_participants"],
}
REQUIRED = ["offered_on", "school_id", "mode", "title", "hours"]
# Headers that count one role's participants: `teachers`, `participants_teacher`, `n_coaches` ...
ROLE_COLUMNS = {
    "teacher": ["teachers", "teacher"],
    "paraprofessional": ["paraprofessionals", "paras"],
    "specialist": ["specialists"],
    "coach": ["coaches"],
    "administrator": ["administrators", "admins"],
    "leader": ["leaders"],
}
PARTICIPANT_PREFIXES = ("participants_", "n_")
MODE_ALIASES = {
    "plc_time": "plc",
    "plcs": "plc",
    "professional_learning_community": "plc",
    "instructional_coaching": "coaching",
    "coaching_cycle": "coaching",
    "workshops": "workshop",
    "training": "workshop",
    "peer_observations": "peer_observation",
    "learning_walk": "peer_observation",
    "online": "online_course",
    "online_courses": "online_course",
    "course_online": "online_course",
}


def role_columns(raw) -> dict[str, str]:
    """role -> raw column key of the columns that count one role's participants."""
    return _roles_of({key: raw.headers.get(key) or key for key in raw.columns})


def looks_like_offerings(headers: list[str]) -> str | None:
    """Why a header is an offerings file (etl detect), or None: the needed columns and a count of participants."""
    keys = {normalize_header(h) for h in headers}
    named = {c: next((n for n in [c, *ALIASES[c]] if normalize_header(n) in keys), None) for c in ALIASES}
    if not all(named[c] for c in REQUIRED):
        return None
    roles = sorted(_roles_of({h: h for h in headers}))
    if named["role"] and named["participants"]:
        counted = f"{named['role']} and {named['participants']}"
    elif roles:
        counted = "participants of " + ", ".join(roles)
    else:
        return None
    return f"has a professional-learning offerings file's columns ({', '.join(named[c] for c in REQUIRED)}; {counted})"


def _roles_of(headers: dict[str, str]) -> dict[str, str]:
    """role -> key, from key -> header text."""
    found = {}
    for key, header in headers.items():
        name = normalize_header(header)
        role = None
        for prefix in PARTICIPANT_PREFIXES:
            if name.startswith(prefix) and len(name) > len(prefix):
                role = name.removeprefix(prefix)
                break
        for known, names in ROLE_COLUMNS.items():
            if name in names or role in names:
                role = known
        if role and role not in found:
            found[role.rstrip("s") if role not in ROLE_COLUMNS and role.endswith("s") else role] = key
    return found


def adapt(con, path, options: LoadOptions) -> Staged:
    mapping = options.resolved_mapping("learning")
    scope = chosen_scope("learning", options, mapping, path.name)
    raw = read_raw(con, path)
    found = resolve_columns(raw, ALIASES, mapping.get("columns"), REQUIRED)
    long_form = "role" in found and "participants" in found
    wide = {} if long_form else role_columns(raw)
    if not long_form and not wide:
        raise LoadRefused(
            f"{path.name}: no participants: give one column per role (teachers, coaches, "
            "participants_<role>) or a role and a participants column"
        )
    modes = list(district_config().learning_modes)
    aliases = {**MODE_ALIASES, **{m: m for m in modes}}
    c = {k: identifier(v) for k, v in found.items()}  # raw column keys: the reader's own normalized names
    con.execute(
        f"""create or replace temp table staged_offerings as
        select
            line_number,
            trim({c["offered_on"]}) as date_text,
            coalesce(try_cast(trim({c["offered_on"]}) as date),
                     try_strptime(trim({c["offered_on"]}), '%m/%d/%Y')::date) as offered_on,
            trim({c["school_id"]}) as school_id,
            trim({c["mode"]}) as mode_text,
            $mode_values[list_position($mode_keys, lower(regexp_replace(trim(regexp_replace(
                {c["mode"]}, '[-\\s_]+', ' ', 'g')), ' ', '_', 'g')))] as mode,
            trim({c["title"]}) as title,
            trim({c["hours"]}) as hours_text,
            try_cast(trim({c["hours"]}) as double) as hours
        from {raw.name}""",
        {"mode_keys": list(aliases), "mode_values": list(aliases.values())},
    )
    t = "staged_offerings"
    reject_rows(con, t, "offered_on is null", "offered_on", "date_text", "date is not a date like 2025-10-01")
    reject_rows(con, t, "school_id is null or school_id = ''", "school_id", "school_id", "school id is blank")
    reject_rows(
        con,
        t,
        "mode is null",
        "mode",
        "mode_text",
        f"mode is not one of {', '.join(modes)} (a district adds its own in config/district.yaml "
        "learning: extra_modes)",
    )
    reject_rows(con, t, "title is null or title = ''", "title", "title", "title is blank")
    reject_rows(
        con,
        t,
        "hours is null or hours < 0 or hours > 200",
        "hours",
        "hours_text",
        "hours is not a number from 0 to 200",
    )
    if long_form:
        participants = (
            f"select line_number, lower(trim({c['role']})) as role, trim({c['participants']}) as n_text from {raw.name}"
        )
    else:  # role names are normalized headers or our own constants: [a-z0-9_] only
        participants = " union all ".join(
            f"select line_number, '{role}' as role, trim({identifier(key)}) as n_text from {raw.name}"
            for role, key in wide.items()
        )
    con.execute(f"""create or replace temp table staged_participants as
                    select p.*, try_cast(p.n_text as double) as n_value
                    from ({participants}) as p
                    where p.line_number in (select line_number from staged_offerings)
                      and not (p.n_text is null or p.n_text = '')""")  # an empty count: nobody of that role
    p = "staged_participants"
    reject_rows(con, p, "role is null or role = ''", "role", "role", "role is blank")
    reject_rows(
        con,
        p,
        "n_value is null or n_value < 0 or n_value <> floor(n_value) or n_value > 10000",
        "participants",
        "n_text",
        "participants is not a whole number from 0 to 10000",
    )
    # a row with a bad count is rejected whole: its other roles leave with it, so no offering half-loads
    con.execute(f"delete from {p} where line_number in (select line_number from load_rejects)")
    con.execute(f"delete from {t} where line_number in (select line_number from load_rejects)")
    con.execute(f"delete from {p} where n_value = 0")  # nobody of that role: nothing to store
    con.execute(f"""create or replace temp table staged_learning as
                    select o.offered_on, school_year_of(o.offered_on) as school_year, o.school_id, o.mode,
                           o.title, o.hours, p.role,
                           p.n_value::integer as n_participants
                    from {t} as o
                    join {p} as p using (line_number)
                    qualify row_number() over (partition by o.offered_on, o.school_id, o.mode, o.title, p.role
                                               order by o.line_number desc) = 1""")
    n_offerings = con.execute("select count(*) from staged_offerings").fetchone()[0]
    notes = [*raw.notes, f"{n_offerings:,} offerings: one stored row per offering and role that took part"]
    return Staged(
        {"learning_offerings": ("staged_learning", "replace")},
        "learning_offerings",
        raw.n_rows,
        "csv",
        notes,
        replace={"learning_offerings": lambda con: replace_offerings(con, "staged_learning", scope)},
    )
