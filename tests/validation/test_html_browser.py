"""The HTML report opens in a real browser (headless Debian chromium) and the rendered page shows the findings."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from ccgkg import report

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium) so the HTML "
                                             "report cannot be opened in a real browser")
def test_chromium_renders_the_findings(sample_result, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(report.render_html(sample_result), encoding="utf-8")
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path}/p",
                           "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert dom.count('<tr class="finding">') == len(sample_result.findings) == 11
    assert ('<td class="violation">violation</td><td>E08000010-HWB Wigan Health and Wellbeing Board</td>'
            '<td>from 2016-10-01 to 2016-10-31</td><td>No director of public health sits on the board: it must '
            "include the authority's director (HSCA 2012 s.194(2)(d))</td>") in dom
    assert '<h2>HSCA 2012 s.194(2)(d)</h2>' in dom
    assert '<a href="https://www.legislation.gov.uk/ukpga/2012/7/section/194/2/d">' in dom
    assert '<p class="summary">9 violations, 1 warning, 1 info; 6 organisations; 11 provisions</p>' in dom
