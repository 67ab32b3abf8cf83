"""The package works installed from a wheel, from any working directory: a fresh virtual environment, the
wheel built from this checkout, and the ``ccgkg`` console script run from an empty temporary folder.

Slow (builds a wheel, makes a venv, installs dependencies from the package index or pip's cache)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh venv with ccgkg installed from a freshly built wheel."""
    work = tmp_path_factory.mktemp("wheel")
    wheels = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
                   check=True, cwd=work)
    (wheel,) = wheels.glob("ccgkg-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", str(wheel)],
                   check=True, cwd=work)
    return env_dir / "bin"


def run(bindir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    return subprocess.run([str(bindir / "ccgkg"), *args], cwd=cwd, capture_output=True, text=True, env=env,
                          timeout=600)


def test_wheel_carries_the_bundled_files(installed: Path, tmp_path: Path) -> None:
    code = ("import json; from ccgkg import resources as r; "
            "print(json.dumps({k: sorted(f.name for f in r.bundled_files(k, ('.ttl', '.rq'))) for k in r.KINDS}))")
    out = subprocess.run([str(installed / "python"), "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         check=True)
    found = json.loads(out.stdout)
    assert {"core.ttl", "concepts.ttl"} <= set(found["ontology"])
    site = subprocess.run([str(installed / "python"), "-c", "import ccgkg; print(ccgkg.__file__)"], cwd=tmp_path,
                          capture_output=True, text=True, check=True).stdout
    assert str(REPO) not in site  # the installed copy, not the checkout


def test_console_script_runs_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    result = run(installed, "--version", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.strip() == "ccgkg, version 0.1.0"


#: commands whose output depends on the bundled package data; each must print from the installed wheel, in an
#: empty folder, exactly what it prints from this checkout.
DATA_COMMANDS = [
    ("law", "duties", "--holder", "ccg", "--as-of", "2016-10-17", "--format", "csv"),
    ("law", "show", "s.194(2)"),
    ("validate", "--format", "json"),
    ("explain", "E08000010-HWB", "--as-of", "2016-10-17"),
    ("query", "--list"),
]


@pytest.mark.parametrize("args", DATA_COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_installed_commands_print_what_the_checkout_prints(installed: Path, tmp_path: Path,
                                                           args: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    from ccgkg.cli import cli

    here = CliRunner().invoke(cli, list(args))
    there = run(installed, *args, cwd=tmp_path)
    assert (there.returncode, there.stderr) == (here.exit_code, "")
    assert there.stdout == here.stdout
    assert there.stdout.count("\n") > 5  # real rows, not an empty listing


def test_named_queries_run_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    """The bundled queries and sample are found as package data: a named query runs in an empty folder."""
    listed = run(installed, "query", "--list", cwd=tmp_path)
    assert listed.returncode == 0 and "find-hwb-gaps" in listed.stdout
    result = run(installed, "query", "find-hwb-gaps", "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "hwb,code,missing,group,provision",
        "https://w3id.org/ccgkg/id/org/E08000010-HWB,E08000010-HWB,director-public-health,,"
        "https://w3id.org/ccgkg/ont/acts/health-and-social-care-act-2012/s194-2-d"]


def test_publish_from_the_wheel_writes_the_checkout_site(installed: Path, tmp_path: Path) -> None:
    """The page templates are package data: the installed ``ccgkg publish`` writes the same bytes as the checkout."""
    import hashlib

    from click.testing import CliRunner

    from ccgkg.cli import cli

    there = run(installed, "publish", "--out", "site", cwd=tmp_path)
    assert there.returncode == 0, there.stderr
    assert CliRunner().invoke(cli, ["publish", "--out", str(tmp_path / "here")]).exit_code == 0

    def digest(folder: Path) -> dict[str, str]:
        return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digest(tmp_path / "site") == digest(tmp_path / "here")
    assert "<h1>NHS Wigan Borough Clinical Commissioning Group</h1>" in (tmp_path / "site/doc/org/02H.html").read_text()
