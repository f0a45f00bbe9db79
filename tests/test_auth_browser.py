"""Sign-in end to end: Chromium, the real app, and a local OpenID provider (oidc-provider-mock).

The test starts the provider on 127.0.0.1, sets the claims of each identity through its API
(`PUT /users/<sub>`), writes a temporary secrets.toml (passed with --secrets.files, so the repo's own
.streamlit/ is untouched) and a temporary access file, and runs `streamlit run dashboard.py` on the
demo warehouse with DASHBOARD_AUTH=required. A principal signs in at the provider's authorize page and
sees only their school; a stranger and an account of another Google domain are refused.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

import warehouse
from queries.runner import Scope, run_query
from ui.navigation import pages_for

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOMAIN = "district.org"
PRINCIPAL = f"pat.principal@{DOMAIN}"
SCHOOL, SCHOOL_NAME, OTHER_SCHOOL = "101", "Maple Grove Elementary", "202"
STRANGER = f"stranger@{DOMAIN}"
OUTSIDER = "pat.principal@elsewhere.org"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{process.args[2]} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(f"{url} did not answer within {seconds} s:\n{log.read_text()[-3000:]}")


def start(args: list[str], log: Path, env: dict | None = None, cwd: Path = REPO) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def set_claims(provider: str, sub: str, claims: dict) -> None:
    request = urllib.request.Request(
        f"{provider}/users/{quote(sub)}",
        data=json.dumps(claims).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 204


@pytest.fixture(scope="module")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does)")
    return str(CHROMIUM)


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    """oidc-provider-mock on 127.0.0.1, with the identities of the tests and their claims."""
    log = tmp_path_factory.mktemp("oidc") / "oidc.log"
    port = free_port()
    process = start(["-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)], log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/.well-known/openid-configuration", process, log)
        set_claims(url, PRINCIPAL, {"email": PRINCIPAL, "email_verified": True, "hd": DOMAIN, "name": "Pat Principal"})
        set_claims(url, STRANGER, {"email": STRANGER, "email_verified": True, "hd": DOMAIN})
        set_claims(url, OUTSIDER, {"email": OUTSIDER, "email_verified": True, "hd": "elsewhere.org"})
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def dashboard(provider, demo_db, tmp_path_factory):
    """`streamlit run dashboard.py` with sign-in forced on the demo, configured for the local provider."""
    folder = tmp_path_factory.mktemp("dashboard")
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
    # The provider's `hd` claim passes the domain check; the access file decides the rest.
    (folder / "access.yaml").write_text(
        yaml.safe_dump({PRINCIPAL: {"role": "principal", "schools": [SCHOOL]}, OUTSIDER: {"role": "district_leader"}})
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


@pytest.fixture(scope="module")
def browser(chromium_path):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # a first run imports pandas, DuckDB and Plotly: slow on a busy CI box
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()  # fresh cookies: each test signs in from scratch
    context.set_default_timeout(30_000)
    yield context.new_page()
    context.close()


def sign_in(page, dashboard: str, provider: str, sub: str) -> None:
    page.goto(dashboard)
    page.get_by_role("button", name="Sign in with Google").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*")
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{dashboard}/**")


def metric(page, label: str) -> str:
    card = page.locator('[data-testid="stMetric"]').filter(has=page.get_by_text(label, exact=True))
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def expected_counts(demo_db: Path, scope: Scope) -> dict:
    con = warehouse.connect(demo_db, read_only=True)
    try:
        return run_query(con, "overview_counts", {}, scope).iloc[0].to_dict()
    finally:
        con.close()


def test_principal_signs_in_and_sees_only_their_school(page, dashboard, provider, demo_db):
    from playwright.sync_api import expect

    own = expected_counts(demo_db, Scope("principal", (SCHOOL,)))
    # The first request a fresh server gets is a deep link. Streamlit runs the first run of a process
    # with a `pages/` folder beside the entry point as an old-style multipage app (the page file alone,
    # without dashboard.py) until some run calls st.navigation; ui.data.query refuses without a viewer.
    page.goto(f"{dashboard}/data_loads")
    expect(
        page.get_by_role("button", name="Sign in with Google").or_(
            page.get_by_text("opened without a signed-in viewer")
        )
    ).to_be_visible()
    assert page.locator('[data-testid="stDataFrame"], [data-testid="stMetric"]').count() == 0
    page.goto(dashboard)
    expect(page.get_by_role("button", name="Sign in with Google")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0  # nothing before sign-in

    sign_in(page, dashboard, provider, PRINCIPAL)
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_text(f"Signed in as {PRINCIPAL}")).to_be_visible()
    assert metric(page, "Schools") == "1"
    assert metric(page, "Students") == str(own["n_students"])
    nav = page.locator('[data-testid="stSidebarNav"]')
    titles = [text.split("\n")[-1] for text in nav.get_by_role("link").all_inner_texts()]  # after the icon
    assert sorted(titles) == sorted(p.title for p in pages_for("principal"))
    assert "Data loads" not in titles

    # Another school's id in the URL changes nothing.
    page.goto(f"{dashboard}/?school_id={OTHER_SCHOOL}")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    assert metric(page, "Schools") == "1"
    assert metric(page, "Students") == str(own["n_students"])

    # The school filter lists only their school.
    nav.get_by_role("link", name="Trends").click()
    expect(page.get_by_role("heading", name="Trends")).to_be_visible()
    school = page.locator('[data-testid="stSelectbox"]').filter(has=page.get_by_text("School", exact=True))
    school.click()
    options = page.locator('[role="option"]')
    expect(options.first).to_be_visible()
    assert options.all_inner_texts() == ["All schools", SCHOOL_NAME]
    page.keyboard.press("Escape")

    # A page outside the role, opened by its address, does not run.
    page.goto(f"{dashboard}/data_loads")
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.get_by_role("heading", name="Data loads")).to_have_count(0)
    assert page.locator('[data-testid="stException"]').count() == 0

    dialog = page.get_by_role("dialog")  # Streamlit says "Page not found" and shows the default page
    expect(dialog).to_contain_text("not found")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # Signing out (through the provider's end-session page) leaves nothing on screen.
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session*")
    page.get_by_role("button", name="End session").click()
    expect(page.get_by_role("button", name="Sign in with Google")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0


@pytest.mark.parametrize(
    "sub, says",
    [
        (STRANGER, f"{STRANGER} has no access to this dashboard"),
        (OUTSIDER, f"{OUTSIDER} is not an account of {DOMAIN}"),
    ],
)
def test_unknown_or_outside_identity_is_refused(page, dashboard, provider, sub, says):
    from playwright.sync_api import expect

    sign_in(page, dashboard, provider, sub)
    expect(page.get_by_text(says)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.locator('[data-testid="stMetric"]').count() == 0
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    page.goto(f"{dashboard}/equity_gaps")  # a deep link runs no page either
    expect(page.get_by_text(says)).to_be_visible()
    expect(page.get_by_role("heading", name="Equity gaps")).to_have_count(0)
