"""Who is looking (docs/access.md): the viewer's role and schools, decided on the server on every run.

Modes (`auth_mode`):
    demo     the demo warehouse (warehouse_info is_demo=true): no sign-in, every school; a banner says so.
    local    `auth: {mode: local}` in config/district.yaml: one person on their own computer, no sign-in,
             every school; a notice on every page says so.
    sign_in  everything else: Streamlit's OIDC sign-in (st.login, `[auth]` in .streamlit/secrets.toml)
             and the access file (DASHBOARD_ACCESS, default access.yaml; see access.example.yaml).
    DASHBOARD_AUTH=required forces sign_in even on the demo (tests, staging).

Where the scope lives, and why a user cannot change it: dashboard.py calls `require_viewer` at the top
of every run, before st.navigation and before any page code. It first deletes `VIEWER_KEY` from
st.session_state, then decides from `signed_in_claims()` (Streamlit's st.user, which Streamlit fills on
the server from its signed identity cookie) and the access file, and stores the Viewer only when this
person may look. Session state is kept on the server; a browser can change only the values of widgets
the script itself creates, by their keys. No widget uses `VIEWER_KEY`, and `current_viewer()` accepts
only a `Viewer` instance, which no widget value can be. Pages never write the key (tests/test_auth.py
checks that nothing but this module names it). URL query parameters and widgets are never read here;
a page that passes a `school_id` of its own only narrows further, because every query also filters by
the viewer's `$school_ids` in SQL (queries/runner.py). A fragment rerun reuses the Viewer of the last
full run of the same browser session, which is the same identity.

Streamlit does not check the identity token's expiry itself (see st.user's docs): `decide` treats a
token past its `exp` as signed out, so the person signs in again.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import streamlit as st
import yaml

from queries.runner import Scope
from ui.navigation import PAGES
from warehouse.config import district_config
from warehouse.roles import ROLE_NAMES, ROLES, SCHOOL_ROLES

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ACCESS_FILE = REPO_ROOT / "access.yaml"
VIEWER_KEY = "_dashboard_viewer"

PROVIDER_NAMES = {"google": "Google", "microsoft": "Microsoft", "default": "your district account"}


@dataclass(frozen=True)
class Viewer:
    role: str
    school_ids: tuple[str, ...] | None = None  # None: every school
    email: str | None = None
    mode: str = "sign_in"

    @property
    def scope(self) -> Scope:
        return Scope(self.role, self.school_ids)


@dataclass(frozen=True)
class Grant:
    """One line of the access file."""

    role: str
    school_ids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SignIn:
    """Nobody (or an expired identity) is signed in: show the sign-in button."""

    reason: str  # absent | expired


@dataclass(frozen=True)
class Refused:
    message: str
    signed_in: bool = True  # offer a sign-out button (to try another account)


class AccessFileError(Exception):
    pass


# --- the access file -------------------------------------------------------------------------------


def access_path() -> Path:
    return Path(os.environ.get("DASHBOARD_ACCESS") or DEFAULT_ACCESS_FILE)


def load_access(path: Path | None = None) -> dict[str, Grant]:
    """E-mail (lower case) -> Grant. Re-read whenever the file changes, so a removal takes effect at once."""
    path = path or access_path()
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise AccessFileError(f"no access file at {path} (copy access.example.yaml and list who may sign in)") from None
    return _load_access(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_access(path: str, mtime_ns: int, size: int) -> dict[str, Grant]:
    try:
        content = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise AccessFileError(f"{path}: cannot be read: {error}") from None
    return parse_access(content, path)


def parse_access(content, source: str = "access file") -> dict[str, Grant]:
    """Either a mapping `e-mail: {role, schools}` (or `e-mail: role`) or a list of `{email, role, schools}`."""
    if content is None:
        return {}
    if isinstance(content, Mapping):
        entries = [(email, value) for email, value in content.items()]
    elif isinstance(content, list):
        entries = []
        for item in content:
            if not isinstance(item, Mapping) or "email" not in item:
                raise AccessFileError(
                    f"{source}: each list item needs an `email`, a `role` and (for principals and "
                    f"PLC facilitators) `schools`; got {item!r}"
                )
            entries.append((item["email"], {k: v for k, v in item.items() if k != "email"}))
    else:
        raise AccessFileError(f"{source}: expected a mapping of e-mail to role, or a list of entries")
    grants: dict[str, Grant] = {}
    for email, value in entries:
        key = normalize_email(email)
        if not key or "@" not in key:
            raise AccessFileError(f"{source}: '{email}' is not an e-mail address")
        if key in grants:
            raise AccessFileError(f"{source}: {key} is listed twice")
        grants[key] = _grant(key, value, source)
    return grants


def _grant(email: str, value, source: str) -> Grant:
    if isinstance(value, str):
        value = {"role": value}
    if not isinstance(value, Mapping):
        raise AccessFileError(f"{source}: {email}: expected a role, or `role:` and `schools:`")
    unknown = set(value) - {"role", "schools", "school_ids"}
    if unknown:
        raise AccessFileError(f"{source}: {email}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    role = str(value.get("role", "")).strip()
    if role not in ROLES:
        raise AccessFileError(f"{source}: {email}: role must be one of {', '.join(ROLES)}, not '{role}'")
    schools = value.get("schools", value.get("school_ids"))
    if schools is None:
        if role in SCHOOL_ROLES:
            raise AccessFileError(f"{source}: {email}: a {role} needs `schools:` (their school ids)")
        return Grant(role, None)
    if isinstance(schools, (str, int)):
        schools = [schools]
    if not isinstance(schools, list) or not schools or any(isinstance(s, (list, dict)) or s is None for s in schools):
        raise AccessFileError(f"{source}: {email}: `schools` must be a non-empty list of school ids")
    return Grant(role, tuple(sorted({str(s).strip() for s in schools})))


def normalize_email(email) -> str:
    return str(email or "").strip().lower()


# --- deciding --------------------------------------------------------------------------------------


def signed_in_claims() -> dict:
    """The signed-in identity's claims, read from st.user (the one place identity enters this app).

    Streamlit fills st.user on the server from the identity cookie it signed after the OIDC callback.
    AppTest sets it with `at.user = {...}` (tests/test_auth.py).
    """
    try:
        claims = st.user.to_dict()
    except Exception:  # no script context (bare mode)
        return {}
    return claims if claims.get("is_logged_in") is True else {}


def auth_mode(is_demo: bool) -> str:
    forced = os.environ.get("DASHBOARD_AUTH", "").strip().lower()
    if forced == "required":
        return "sign_in"
    if forced:
        return "invalid"
    if is_demo:
        return "demo"
    return "local" if district_config().auth_mode == "local" else "sign_in"


def identity(claims: Mapping) -> str:
    """The e-mail the access file is keyed by (Entra without an `email` claim: its sign-in name)."""
    return normalize_email(claims.get("email") or claims.get("preferred_username"))


def decide(
    mode: str, claims: Mapping, grants_or_error, allowed_domains: tuple[str, ...] = (), now: float | None = None
) -> Viewer | SignIn | Refused:
    """The viewer for this run, or why there is none. Pure: every input is passed in.

    grants_or_error: the access file's grants, or the AccessFileError met while reading it.
    allowed_domains: Google hosted domains (`hd` in the provider's client_kwargs); empty when none set.
    """
    if mode == "demo":
        return Viewer("district_leader", None, None, "demo")
    if mode == "local":
        return Viewer("district_leader", None, None, "local")
    if mode != "sign_in":
        return Refused("DASHBOARD_AUTH must be `required` or unset.", signed_in=False)
    if not claims:
        return SignIn("absent")
    expires = claims.get("exp")
    if isinstance(expires, (int, float)) and not isinstance(expires, bool):
        if (time.time() if now is None else now) >= expires:
            return SignIn("expired")
    email = identity(claims)
    if not email:
        return Refused("Your sign-in did not include an e-mail address, so your access cannot be checked.")
    if claims.get("email_verified") is False:
        return Refused(f"The e-mail address {email} is not verified by your sign-in provider.")
    if allowed_domains:
        domain = str(claims.get("hd") or "").strip().lower()
        if domain not in allowed_domains:
            return Refused(
                f"{email} is not an account of {' or '.join(allowed_domains)}. "
                "Sign out and sign in with your district account."
            )
    if isinstance(grants_or_error, Exception):
        return Refused(f"The access file cannot be used: {grants_or_error}. Ask the district data team.")
    grant = grants_or_error.get(email)
    if grant is None:
        return Refused(
            f"{email} has no access to this dashboard. Ask the district data team to add you to the access file."
        )
    return Viewer(grant.role, grant.school_ids, email, "sign_in")


# --- the [auth] section of .streamlit/secrets.toml --------------------------------------------------


def auth_secrets() -> dict:
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets.toml at all
        return {}
    if section is None:
        return {}
    return section.to_dict() if hasattr(section, "to_dict") else dict(section)


def providers(section: Mapping) -> dict[str, dict]:
    """Provider name (for st.login) -> its settings. A flat [auth] section is the provider 'default'."""
    named = {
        name: dict(value)
        for name, value in section.items()
        if isinstance(value, Mapping) and ("client_id" in value or "server_metadata_url" in value)
    }
    if named:
        return named
    if "client_id" in section or "server_metadata_url" in section:
        return {"default": dict(section)}
    return {}


def allowed_domains(section: Mapping, claims: Mapping) -> tuple[str, ...]:
    """The hosted domain(s) configured as `hd` in client_kwargs, for the provider this person used.

    Google's `hd` request parameter only narrows the account chooser; the `hd` claim of the token is
    what proves the account belongs to the district's Workspace, so it is checked here. When the
    provider used is unknown, any configured `hd` must match.
    """
    configured = providers(section)
    used = claims.get("provider")
    chosen = [configured[used]] if used in configured else list(configured.values())
    domains = {str((p.get("client_kwargs") or {}).get("hd", "")).strip().lower() for p in chosen}
    return tuple(sorted(d for d in domains if d))


# --- Streamlit glue ----------------------------------------------------------------------------------


def require_viewer(is_demo: bool) -> Viewer:
    """The viewer for this run, stored for `current_viewer`; otherwise draw sign-in or refusal and stop."""
    forget_viewer()
    mode = auth_mode(is_demo)
    claims = signed_in_claims() if mode == "sign_in" else {}
    section = auth_secrets() if mode == "sign_in" else {}
    grants: dict[str, Grant] | AccessFileError = {}
    if mode == "sign_in" and claims:
        try:
            grants = load_access()
        except AccessFileError as error:
            grants = error
    outcome = decide(mode, claims, grants, allowed_domains(section, claims))
    if isinstance(outcome, Viewer):
        st.session_state[VIEWER_KEY] = outcome
        return outcome
    hold_navigation()
    if isinstance(outcome, SignIn):
        _sign_in(outcome, section)
    else:
        _refuse(outcome)
    st.stop()
    raise AssertionError("unreachable")  # st.stop() raises


def forget_viewer() -> None:
    st.session_state.pop(VIEWER_KEY, None)


def current_viewer() -> Viewer:
    """The Viewer dashboard.py decided for this run; a run without one shows nothing."""
    viewer = st.session_state.get(VIEWER_KEY)
    if not isinstance(viewer, Viewer):
        st.error("This page was opened without a signed-in viewer. Open the dashboard's home page.")
        st.stop()
    return viewer


def hold_navigation() -> None:
    """Register the pages (hidden) without running one, so a deep link runs no page code."""
    st.navigation([st.Page(p.path, title=p.title, icon=p.icon, default=p.is_default) for p in PAGES], position="hidden")


def _sign_in(outcome: SignIn, section: Mapping) -> None:
    st.title("District Proficiency Dashboard")
    configured = providers(section)
    if not configured:
        st.error(
            "Sign-in is required for this warehouse but is not configured. Add an `[auth]` section to "
            "`.streamlit/secrets.toml` (see `.streamlit/secrets.example.toml` and the README's "
            "Sign-in section), or, for one person on their own computer, set `auth: {mode: local}` "
            "in `config/district.yaml`.",
            icon=":material/lock:",
        )
        return
    if outcome.reason == "expired":
        st.warning("Your sign-in has expired. Please sign in again.", icon=":material/lock_clock:")
    else:
        st.info("Student records are protected: sign in with your district account.", icon=":material/lock:")
    for name in configured:
        st.button(
            f"Sign in with {PROVIDER_NAMES.get(name, name.title())}",
            key=f"sign_in_{name}",
            on_click=st.login,
            args=(name,),
            type="primary",
        )


def _refuse(outcome: Refused) -> None:
    st.title("District Proficiency Dashboard")
    st.error(outcome.message, icon=":material/block:")
    if outcome.signed_in:
        st.button("Sign out", key="sign_out_refused", on_click=st.logout)


def account_box(viewer: Viewer) -> None:
    """Sidebar: who is signed in, what they may see, and the way out."""
    if viewer.mode != "sign_in":
        return
    schools = "all schools" if viewer.school_ids is None else f"school {', '.join(viewer.school_ids)}"
    st.caption(f"Signed in as **{viewer.email}**: {ROLE_NAMES[viewer.role]}, {schools}.")
    st.button("Sign out", key="sign_out", on_click=st.logout)
