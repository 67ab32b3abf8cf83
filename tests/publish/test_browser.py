"""A real browser on a real server: ``ccgkg serve`` runs as a subprocess on 127.0.0.1, headless Debian chromium
(driven by Playwright's Python package pointed at /usr/bin/chromium; no browser is downloaded) opens an
organisation page, follows a link to a provision, and runs a named-query form and sees its rows. Plain HTTP on
the same server shows the 303 and the negotiated Turtle."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from ..processes import free_port, stop

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "ccgkg", "serve", "--port", str(port)], stdout=out,
                                stderr=subprocess.STDOUT, cwd=str(log.parent))
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                urllib.request.urlopen(url + "index.html", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"ccgkg serve did not start: {log.read_text()}") from None
                time.sleep(0.5)
        assert f"serving {url}" in log.read_text()
        yield url
    finally:
        stop(proc, timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def test_http_303_and_turtle_from_the_running_server(server: str) -> None:
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as raised:
        opener.open(urllib.request.Request(server + "id/org/02H", headers={"Accept": "text/turtle"}), timeout=30)
    assert (raised.value.code, raised.value.headers["Location"]) == (303, "/doc/org/02H")
    request = urllib.request.Request(server + "id/org/02H", headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=30) as answer:  # follows the 303
        assert answer.headers["Content-Type"] == "text/turtle; charset=utf-8"
        assert "org:02H a ccgkg:ClinicalCommissioningGroup" in answer.read().decode()


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)")
def test_browser_follows_links_and_runs_a_named_query(server: str, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api", reason="the test extra installs playwright")
    with playwright.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(tmp_path / "profile"), executable_path=CHROMIUM,
                                                       headless=True, args=ARGS)
        try:
            page = context.new_page()
            page.goto(server + "id/org/E08000010-HWB")  # 303 to the document, which is HTML for a browser
            assert page.url == server + "doc/org/E08000010-HWB"
            assert page.locator("h1").inner_text() == "Wigan Health and Wellbeing Board"
            assert page.locator("table.findings tr").count() == 3  # header + two findings
            page.locator("table.findings a", has_text="HSCA 2012 s.194(2)(d)").first.click()
            page.wait_for_url(server + "ont/acts/health-and-social-care-act-2012/s194-2-d.html")
            assert page.locator("h1").inner_text() == "HSCA 2012 s.194(2)(d)"
            assert page.get_by_role("link", name="Health and Wellbeing Board has the director of public health",
                                    exact=True).count() == 2  # in "Rules enforcing it" and "Referenced by"
            assert page.locator("h2", has_text="Rules enforcing it").inner_text() == "Rules enforcing it (1)"

            page.goto(server + "sparql")
            page.locator("details", has_text="list-practices").locator("summary").click()
            form = page.locator('form[action="queries/list-practices"]')
            form.locator('input[name="ccg"]').fill("02E")
            form.locator('input[name="day"]').fill("2014-06-01")
            form.locator("button").click()
            page.wait_for_url("**/queries/list-practices?**")
            assert page.locator("h2", has_text="Rows (").inner_text() == "Rows (2)"
            cells = [r.split("\t")[:3] for r in page.locator("table.rows tr").all_inner_texts()]
            assert cells == [["practice", "code", "label"], ["org:N81012", "N81012", "GUARDIAN STREET MED/CTR"],
                             ["org:N81036", "N81036", "SPRINGFIELDS MEDICAL CENTRE"]]
            csv_link = page.locator("p.formats", has_text="These rows as").get_by_role("link", name="CSV")
            assert csv_link.get_attribute("href") == "list-practices.csv?ccg=02E&day=2014-06-01"
        finally:
            context.close()
    assert os.path.isdir(tmp_path / "profile")
