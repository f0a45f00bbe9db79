"""Sign-in, roles and school scoping (docs/access.md; ui/auth.py).

AppTest drives dashboard.py with a signed-in identity set through `AppTest.user` (Streamlit 1.67:
the dict the run reads as st.user; ui.auth.signed_in_claims is the one reader). The warehouse is the
demo district with DASHBOARD_AUTH=required, so sign-in is enforced on it as on a real warehouse.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import streamlit as st
import yaml
from streamlit.testing.v1 import AppTest

import queries.runner
import warehouse
from queries.runner import Scope, run_query, run_raw
from ui import auth
from ui.data import effective_audience
from ui.navigation import PAGES, PageEntry, pages_for

REPO = Path(__file__).resolve().parents[1]
PRINCIPAL_SCHOOL, OTHER_SCHOOL, FACILITATOR_SCHOOL = "101", "202", "201"
ACCESS = {
    "leader@district.org": "district_leader",
    "principal@district.org": {"role": "principal", "schools": [PRINCIPAL_SCHOOL]},
    "facilitator@district.org": {"role": "plc_facilitator", "schools": [int(FACILITATOR_SCHOOL)]},
    "board@district.org": {"role": "board"},
}
ROLES = ("district_leader", "principal", "plc_facilitator", "board")
EMAIL = {
    "district_leader": "leader@district.org",
    "principal": "principal@district.org",
    "plc_facilitator": "facilitator@district.org",
    "board": "board@district.org",
}


@pytest.fixture
def signed_in_env(demo_db, tmp_path, monkeypatch):
    """The demo warehouse with sign-in forced on, and a temporary access file."""
    access = tmp_path / "access.yaml"
    access.write_text(yaml.safe_dump(ACCESS))
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    monkeypatch.setenv("DASHBOARD_AUTH", "required")
    monkeypatch.setenv("DASHBOARD_ACCESS", str(access))
    st.cache_data.clear()
    return access


def identity(email: str, **claims) -> dict:
    return {
        "is_logged_in": True,
        "email": email,
        "email_verified": True,
        "exp": int(time.time()) + 3600,
        "iss": "https://accounts.google.com",
        "provider": "google",
        **claims,
    }


def app(user: dict | None = None, query_params: dict | None = None, secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    at.user = user if user is not None else {"is_logged_in": False}
    at.query_params.update(query_params or {})
    if secrets:
        at.secrets.update(secrets)
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def stem(entry: PageEntry) -> str:
    return Path(entry.path).stem


def page_path(name: str) -> str:
    return next(p.path for p in PAGES if stem(p) == name)


def allowed_by_section_6(role: str, entry: PageEntry) -> bool:
    """What docs/access.md allows at most, written out independently of ui/navigation.py's roles."""
    operator_only = stem(entry) == "data_loads"  # every school's loads and rejected raw values
    if role == "district_leader":
        return True
    if role == "principal":
        return not operator_only
    if role == "plc_facilitator":  # PLC, continuum and equity pages
        return stem(entry) in ("equity_gaps", "continuum") or "plc" in stem(entry)
    # board: the pages that read the public release only (docs/privacy.md), never a student
    return stem(entry) in ("board", "public_release") and not (operator_only or entry.shows_students)


def reachable(at: AppTest) -> set[str]:
    """Titles of the pages this run registered in st.navigation (switch_page refuses the others)."""
    titles = set()
    for entry in PAGES:
        try:
            at.switch_page(entry.path)
        except ValueError:
            continue
        titles.add(entry.title)
    return titles


def forbid_queries(monkeypatch) -> list:
    """Every warehouse query fails the test; returns the list of attempted query names."""
    attempted = []

    def refuse(con, name, *args, **kwargs):
        attempted.append(name)
        raise AssertionError(f"query {name} ran")

    monkeypatch.setattr(queries.runner, "run_raw", refuse)
    st.cache_data.clear()
    return attempted


def counts(demo_db: Path, scope: Scope) -> dict:
    con = warehouse.connect(demo_db, read_only=True)
    try:
        return run_query(con, "overview_counts", {}, scope).iloc[0].to_dict()
    finally:
        con.close()


# --- the access file ---------------------------------------------------------------------------------


def test_access_file_mapping_and_list_forms_agree():
    mapping = auth.parse_access(
        yaml.safe_load("""
        Pat.Principal@District.org: {role: principal, schools: [101, "102"]}
        super@district.org: district_leader
        board@district.org: {role: board}
    """)
    )
    listed = auth.parse_access(
        yaml.safe_load("""
        - {email: pat.principal@district.org, role: principal, schools: ["102", 101]}
        - {email: super@district.org, role: district_leader}
        - {email: board@district.org, role: board}
    """)
    )
    assert mapping == listed
    assert mapping["pat.principal@district.org"] == auth.Grant("principal", ("101", "102"))
    assert mapping["super@district.org"] == auth.Grant("district_leader", None)


def test_the_example_access_file_is_valid():
    grants = auth.parse_access(yaml.safe_load((REPO / "access.example.yaml").read_text()))
    assert {g.role for g in grants.values()} == set(auth.ROLES)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("a@d.org: {role: principal}", "needs `schools:`"),
        ("a@d.org: {role: plc_facilitator, schools: []}", "non-empty list"),
        ("a@d.org: {role: superuser}", "role must be one of"),
        ("a@d.org: {role: board, scope: all}", "unknown key"),
        ("not-an-email: district_leader", "not an e-mail"),
        ("[{role: board}]", "needs an `email`"),
        ("- {email: A@d.org, role: board}\n- {email: a@d.org, role: board}", "listed twice"),
        ("just text", "expected a mapping"),
    ],
)
def test_access_file_mistakes_are_named(text, problem):
    with pytest.raises(auth.AccessFileError, match=problem):
        auth.parse_access(yaml.safe_load(text))


def test_access_file_changes_are_seen_at_once(tmp_path):
    path = tmp_path / "access.yaml"
    path.write_text("a@d.org: district_leader\n")
    assert "a@d.org" in auth.load_access(path)
    path.write_text("b@d.org: board\n# a longer file: its size changes too\n")
    assert set(auth.load_access(path)) == {"b@d.org"}
    with pytest.raises(auth.AccessFileError, match="no access file"):
        auth.load_access(tmp_path / "missing.yaml")


# --- deciding who is looking ---------------------------------------------------------------------------

GRANTS = {"p@district.org": auth.Grant("principal", ("101",))}


def test_decide_signed_in_principal_gets_their_school_only():
    viewer = auth.decide("sign_in", identity("P@District.org"), GRANTS)
    assert viewer == auth.Viewer("principal", ("101",), "p@district.org", "sign_in")
    assert viewer.scope == Scope("principal", ("101",))


def test_decide_absent_or_expired_identity_means_signing_in():
    assert auth.decide("sign_in", {}, GRANTS) == auth.SignIn("absent")
    expired = identity("p@district.org", exp=1_000)
    assert auth.decide("sign_in", expired, GRANTS, now=1_000) == auth.SignIn("expired")
    assert isinstance(auth.decide("sign_in", expired, GRANTS, now=999), auth.Viewer)


@pytest.mark.parametrize(
    "claims, grants, says",
    [
        (identity("stranger@district.org"), GRANTS, "has no access"),
        (identity("p@district.org", email_verified=False), GRANTS, "not verified"),
        ({"is_logged_in": True, "sub": "123"}, GRANTS, "did not include an e-mail"),
        (identity("p@district.org"), auth.AccessFileError("no access file at x"), "access file cannot be used"),
    ],
)
def test_decide_refuses(claims, grants, says):
    outcome = auth.decide("sign_in", claims, grants)
    assert isinstance(outcome, auth.Refused) and says in outcome.message


def test_decide_checks_the_google_hosted_domain():
    assert isinstance(
        auth.decide("sign_in", identity("p@district.org", hd="district.org"), GRANTS, ("district.org",)), auth.Viewer
    )
    for claims in (identity("p@district.org", hd="elsewhere.org"), identity("p@district.org")):
        outcome = auth.decide("sign_in", claims, GRANTS, ("district.org",))
        assert isinstance(outcome, auth.Refused) and "not an account of district.org" in outcome.message


def test_hosted_domain_comes_from_the_provider_used():
    section = {
        "redirect_uri": "x",
        "cookie_secret": "y",
        "google": {"client_id": "g", "client_kwargs": {"hd": "District.org", "prompt": "select_account"}},
        "microsoft": {"client_id": "m", "server_metadata_url": "https://login.microsoftonline.com/t/v2.0/x"},
    }
    assert auth.allowed_domains(section, {"provider": "google"}) == ("district.org",)
    assert auth.allowed_domains(section, {"provider": "microsoft"}) == ()
    assert auth.allowed_domains(section, {}) == ("district.org",)  # provider unknown: any configured hd applies
    flat = {"client_id": "g", "client_kwargs": {"hd": "district.org"}}
    assert auth.providers(flat) == {"default": flat}
    assert auth.allowed_domains(flat, {"provider": "default"}) == ("district.org",)


def test_the_example_secrets_configure_google_and_microsoft():
    import tomllib

    section = tomllib.loads((REPO / ".streamlit" / "secrets.example.toml").read_text())["auth"]
    configured = auth.providers(section)
    assert set(configured) == {"google", "microsoft"}
    assert configured["google"]["server_metadata_url"] == "https://accounts.google.com/.well-known/openid-configuration"
    assert auth.allowed_domains(section, {"provider": "google"}) == ("district.org",)
    microsoft = configured["microsoft"]["server_metadata_url"]
    assert microsoft.startswith("https://login.microsoftonline.com/") and "/common/" not in microsoft
    assert section["redirect_uri"].endswith("/oauth2callback")


def test_modes(monkeypatch, tmp_path):
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    assert auth.auth_mode(is_demo=True) == "demo"
    assert auth.auth_mode(is_demo=False) == "sign_in"
    local = tmp_path / "district.yaml"
    local.write_text("auth: {mode: local}\n")
    monkeypatch.setenv("DASHBOARD_CONFIG", str(local))
    assert auth.auth_mode(is_demo=False) == "local"
    monkeypatch.setenv("DASHBOARD_AUTH", "required")
    assert auth.auth_mode(is_demo=True) == "sign_in" and auth.auth_mode(is_demo=False) == "sign_in"
    monkeypatch.setenv("DASHBOARD_AUTH", "off")
    assert isinstance(auth.decide(auth.auth_mode(is_demo=True), {}, {}), auth.Refused)


def test_board_queries_always_pass_the_board_gate():
    board = Scope("board")
    assert board.audience == "board"
    assert effective_audience(None, board) == "board"
    assert effective_audience("leader", board) == "board"  # a page cannot loosen it
    assert effective_audience("board", Scope("district_leader")) == "board"  # but may tighten it
    assert effective_audience(None, Scope("plc_facilitator", ("201",))) == "plc"


def test_board_never_gets_a_page_that_shows_students(monkeypatch):
    listing = PageEntry(page_path("overview"), "Student list", "", ("district_leader", "board"), shows_students=True)
    monkeypatch.setattr("ui.navigation.PAGES", [*PAGES, listing])
    assert listing not in pages_for("board") and listing in pages_for("district_leader")
    assert not any(p.shows_students for p in pages_for("board"))
    assert pages_for("someone_else") == []


def test_only_ui_auth_names_the_viewer_key():
    """Pages and other modules read the viewer through ui.auth.current_viewer, never write it."""
    offenders = [
        str(path.relative_to(REPO))
        for folder in ("app_pages", "ui", "charts", "exports", "queries")
        for path in (REPO / folder).rglob("*.py")
        if path != REPO / "ui" / "auth.py" and (auth.VIEWER_KEY in path.read_text() or "VIEWER_KEY" in path.read_text())
    ]
    assert offenders == []
    assert auth.VIEWER_KEY not in (REPO / "dashboard.py").read_text()


# --- school scoping in SQL: parameters only narrow -------------------------------------------------------


def test_a_school_parameter_never_widens_the_scope(demo_con):
    principal = Scope("principal", (PRINCIPAL_SCHOOL,))
    own = run_raw(demo_con, "proficiency_trend", {"school_id": PRINCIPAL_SCHOOL}, principal)
    other = run_raw(demo_con, "proficiency_trend", {"school_id": OTHER_SCHOOL}, principal)
    assert not own.empty and other.empty
    schools = run_raw(demo_con, "schools", {}, principal)
    assert schools["school_id"].tolist() == [PRINCIPAL_SCHOOL]
    by_school = run_raw(demo_con, "equity_gaps_by_school", {"group_by": "is_ell"}, principal)
    assert set(by_school["school_id"]) == {PRINCIPAL_SCHOOL}


# --- the app, per role -----------------------------------------------------------------------------------


def test_demo_runs_without_sign_in_and_says_so(demo_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    at = app().run()
    assert not at.exception
    assert "Sign-in is off" in at.info[0].value
    assert metrics(at)["Schools"] == "7"
    assert reachable(at) == {p.title for p in PAGES}


def test_signed_out_sees_only_the_sign_in_buttons(signed_in_env, monkeypatch):
    attempted = forbid_queries(monkeypatch)
    secrets = {
        "auth": {
            "redirect_uri": "http://localhost:8501/oauth2callback",
            "cookie_secret": "x" * 32,
            "google": {
                "client_id": "g",
                "client_secret": "s",
                "server_metadata_url": "https://accounts.google.com/.well-known/openid-configuration",
                "client_kwargs": {"prompt": "select_account", "hd": "district.org"},
            },
            "microsoft": {
                "client_id": "m",
                "client_secret": "s",
                "server_metadata_url": "https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration",
            },
        }
    }
    at = app(secrets=secrets).run()
    assert not at.exception and attempted == []
    assert [b.label for b in at.button] == ["Sign in with Google", "Sign in with Microsoft"]
    assert not at.metric and "Demo district" not in " ".join(i.value for i in at.info)


def test_sign_in_not_configured_says_how(signed_in_env, monkeypatch):
    attempted = forbid_queries(monkeypatch)
    at = app().run()
    assert not at.exception and attempted == []
    assert "not configured" in at.error[0].value and "secrets.example.toml" in at.error[0].value


def test_expired_identity_signs_in_again(signed_in_env, monkeypatch):
    attempted = forbid_queries(monkeypatch)
    at = app(
        identity("principal@district.org", exp=int(time.time()) - 5),
        secrets={"auth": {"client_id": "g", "server_metadata_url": "https://x/.well-known/openid-configuration"}},
    )
    at.run()
    assert not at.exception and attempted == []
    assert "expired" in at.warning[0].value
    assert [b.label for b in at.button] == ["Sign in with your district account"]


def test_unknown_identity_is_refused_before_any_query(signed_in_env, monkeypatch):
    attempted = forbid_queries(monkeypatch)
    at = app(identity("stranger@gmail.com")).run()
    assert not at.exception and attempted == []
    assert "stranger@gmail.com has no access" in at.error[0].value
    assert [b.label for b in at.button] == ["Sign out"]
    assert not at.metric and not at.title[1:]


def test_refused_when_the_access_file_is_missing(signed_in_env, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_ACCESS", str(tmp_path / "nowhere.yaml"))
    attempted = forbid_queries(monkeypatch)
    at = app(identity("leader@district.org")).run()
    assert attempted == [] and "no access file" in at.error[0].value


def test_other_google_domain_is_refused(signed_in_env, monkeypatch):
    attempted = forbid_queries(monkeypatch)
    secrets = {"auth": {"google": {"client_id": "g", "client_kwargs": {"hd": "district.org"}}}}
    at = app(identity("leader@district.org", hd="elsewhere.org"), secrets=secrets).run()
    assert attempted == [] and "not an account of district.org" in at.error[0].value


def test_session_state_cannot_carry_a_wider_viewer(signed_in_env, monkeypatch):
    """A Viewer left in session state (by a bug, or a stale session) is replaced before pages run."""
    attempted = forbid_queries(monkeypatch)
    at = app(identity("stranger@district.org"))
    at.session_state[auth.VIEWER_KEY] = auth.Viewer("district_leader")
    at.session_state["viewer_scope"] = Scope()
    at.run()
    assert attempted == [] and "has no access" in at.error[0].value
    assert auth.VIEWER_KEY not in at.session_state


def test_the_page_registry_follows_section_6():
    for role in ROLES:
        allowed = {p.path for p in PAGES if allowed_by_section_6(role, p)}
        assert {p.path for p in pages_for(role)} <= allowed, role  # never more than section 6 allows
    assert pages_for("district_leader") == PAGES
    assert {"overview", "trends", "equity_gaps", "continuum"} <= {stem(p) for p in pages_for("principal")}
    assert {stem(p) for p in pages_for("board")} == {"board", "public_release"}
    assert "equity_gaps" in {stem(p) for p in pages_for("plc_facilitator")}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_its_pages_and_nothing_else(signed_in_env, role):
    at = app(identity(EMAIL[role])).run()
    assert not at.exception
    expected = {p.title for p in pages_for(role)}
    assert reachable(at) == expected
    assert expected <= {p.title for p in PAGES if allowed_by_section_6(role, p)}
    assert f"Signed in as **{EMAIL[role]}**" in at.sidebar.caption[0].value
    assert not any("Demo district" in i.value and "Sign-in is off" in i.value for i in at.info)
    for entry in PAGES:
        if entry.title in expected:
            at.switch_page(entry.path).run()
            assert not at.exception, (role, entry.title, at.exception)
            assert at.title[0].value.lower() == entry.title.lower()


def test_principal_sees_only_their_school_even_with_another_school_in_the_url(signed_in_env, demo_db):
    own = counts(demo_db, Scope("principal", (PRINCIPAL_SCHOOL,)))
    district = counts(demo_db, Scope())
    assert own["n_students"] < district["n_students"]
    for params in ({}, {"school_id": OTHER_SCHOOL}, {"school_ids": OTHER_SCHOOL, "role": "district_leader"}):
        at = app(identity("principal@district.org"), query_params=params).run()
        assert not at.exception
        shown = metrics(at)
        assert shown["Schools"] == "1"
        assert shown["Students"] == str(own["n_students"])
        assert shown["Scores recorded"] == f"{own['n_scores']:,}"
    at.switch_page(page_path("trends")).run()
    school_filter = next(s for s in at.selectbox if s.label == "School")
    assert school_filter.options == ["All schools", "Maple Grove Elementary"]


def test_facilitator_equity_figures_cover_their_school_only(signed_in_env):
    at = app(identity("facilitator@district.org"), query_params={"school_id": OTHER_SCHOOL}).run()
    assert not at.exception and at.title[0].value == "Equity gaps"
    charts = " ".join(json.dumps(json.loads(c.proto.spec)["data"]) for c in at.get("plotly_chart"))
    assert "Jefferson Middle School" in charts
    for other in ("Eastview Middle School", "Maple Grove Elementary", "Central High School"):
        assert other not in charts


def test_board_runs_every_query_at_the_board_gate(signed_in_env, monkeypatch):
    audiences = []
    real = queries.runner.run_query

    def spy(con, name, params=None, scope=None, audience=None):
        audiences.append(audience)
        return real(con, name, params, scope, audience)

    monkeypatch.setattr("ui.data.run_query", spy)
    st.cache_data.clear()
    at = app(identity("board@district.org")).run()
    assert not at.exception and at.title[0].value == "Board presentation"
    at.switch_page(page_path("public_release")).run()
    assert not at.exception and at.title[0].value == "Public data"
    assert audiences and set(audiences) == {"board"}


# --- modes on a warehouse that is not the demo -----------------------------------------------------------


@pytest.fixture
def district_db(small_district, db_path, monkeypatch):
    small_district.close()  # the app opens it read-only
    monkeypatch.setenv("DASHBOARD_DB", str(db_path))
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    st.cache_data.clear()
    return db_path


def test_a_real_warehouse_requires_sign_in(district_db, monkeypatch):
    attempted = forbid_queries(monkeypatch)
    at = app().run()
    assert attempted == [] and not at.metric
    assert "not configured" in at.error[0].value


def test_local_mode_is_explicit_and_shown(district_db, monkeypatch, tmp_path):
    config = yaml.safe_load((REPO / "config" / "district.yaml").read_text())
    config["auth"] = {"mode": "local"}
    (tmp_path / "district.yaml").write_text(yaml.safe_dump(config))
    monkeypatch.setenv("DASHBOARD_CONFIG", str(tmp_path / "district.yaml"))
    at = app().run()
    assert not at.exception
    assert "Single-user local mode: sign-in is off" in at.warning[0].value
    assert at.title[0].value == "Overview" and "Students" in metrics(at)  # a tiny district: n<10 everywhere
    monkeypatch.setenv("DASHBOARD_AUTH", "required")  # staging: forced on whatever the config says
    at = app().run()
    assert not at.metric and "not configured" in at.error[0].value
