"""The PLC system page in Chromium, signed in (issue 19): a district leader sees every team of the demo district
and the page's answer in words; a principal sees only their school's teams. Sign-in runs as in
tests/test_auth_browser.py: a local OpenID provider (oidc-provider-mock), `streamlit run dashboard.py` on the
demo warehouse with DASHBOARD_AUTH=required, an access file naming each identity's role and schools."""

from __future__ import annotations

import secrets

import pytest
import yaml

import warehouse
from queries.runner import Scope, run_query
from tests.test_auth_browser import (  # noqa: F401  (fixtures: chromium_path, browser, page)
    DOMAIN,
    REPO,
    browser,
    chromium_path,
    free_port,
    page,
    set_claims,
    sign_in,
    start,
    stop,
    wait_for,
)

pytestmark = pytest.mark.browser

LEADER = f"lee.leader@{DOMAIN}"
PRINCIPAL = f"pia.principal@{DOMAIN}"
SCHOOL = "101"  # Maple Grove Elementary: its grade 3 and 4 teams meet every two weeks (data/demo/README.md)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    log = tmp_path_factory.mktemp("oidc_plc") / "oidc.log"
    port = free_port()
    process = start(["-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)], log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/.well-known/openid-configuration", process, log)
        for who in (LEADER, PRINCIPAL):
            set_claims(url, who, {"email": who, "email_verified": True, "hd": DOMAIN})
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def dashboard(provider, demo_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dashboard_plc")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (folder / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "{secrets.token_urlsafe(32)}"

[auth.google]
client_id = "dashboard-test"
client_secret = "{secrets.token_urlsafe(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
client_kwargs = {{ prompt = "select_account", hd = "{DOMAIN}" }}
""")
    (folder / "access.yaml").write_text(
        yaml.safe_dump({LEADER: {"role": "district_leader"}, PRINCIPAL: {"role": "principal", "schools": [SCHOOL]}})
    )
    log = folder / "streamlit.log"
    process = start(
        [
            "-m",
            "streamlit",
            "run",
            str(REPO / "dashboard.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            "--secrets.files",
            str(folder / "secrets.toml"),
        ],
        log,
        env={
            "DASHBOARD_DB": str(demo_db),
            "DASHBOARD_AUTH": "required",
            "DASHBOARD_ACCESS": str(folder / "access.yaml"),
            "AUTHLIB_INSECURE_TRANSPORT": "1",
        },
    )
    try:
        wait_for(f"{url}/_stcore/health", process, log)
        yield url
    finally:
        stop(process)


def n_teams(demo_db, scope: Scope) -> int:
    con = warehouse.connect(demo_db, read_only=True)
    try:
        return len(run_query(con, "plc_system_teams", {"school_year": "2025-26"}, scope))
    finally:
        con.close()


def open_system_page(page, dashboard: str, provider: str, who: str) -> None:
    from playwright.sync_api import expect

    sign_in(page, dashboard, provider, who)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="PLC system").click()
    expect(page.get_by_role("heading", name="PLC system")).to_be_visible()
    expect(page.get_by_role("heading", name="How do teams compare?")).to_be_visible(timeout=60_000)


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text(label, exact=True))
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_a_leader_sees_every_team_and_the_answer_in_words(page, dashboard, provider, demo_db):
    from playwright.sync_api import expect

    open_system_page(page, dashboard, provider, LEADER)
    expect(page.get_by_text("Grades 3-5 teams met every 14 days and their focus standards rose")).to_be_visible()
    expect(page.get_by_text("grades 9-12 teams met every 4", exact=False)).to_be_visible()
    expect(page.get_by_text("not what the meetings caused", exact=False)).to_be_visible()
    assert metric(page, "Teams that met") == str(n_teams(demo_db, Scope())) == "13"
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_principal_sees_only_their_schools_teams(page, dashboard, provider, demo_db):
    from playwright.sync_api import expect

    open_system_page(page, dashboard, provider, PRINCIPAL)
    own = n_teams(demo_db, Scope("principal", (SCHOOL,)))
    assert own == 4
    expect(page.get_by_text("Grades 3-5 teams met every 14 days")).to_be_visible()
    assert metric(page, "Teams that met") == str(own)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "9-12" not in body and "Central High" not in body and "Jefferson" not in body
    assert page.locator('[data-testid="stException"]').count() == 0
