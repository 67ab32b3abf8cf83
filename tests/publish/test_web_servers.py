"""The example web-server configurations a site ships (``server-config/nginx.conf`` and ``.htaccess``), run by the
real servers: Debian's ``nginx`` and ``apache2`` start in the foreground on a free port of 127.0.0.1 with a
temporary main configuration around the site's own file, serve the published sample, and stop after the module.

Each answers /id/... with 303 to /doc/..., picks a document's file by Accept (q-values weighed), serves each
suffix's file with its media type (the types ``ccgkg serve`` sends), and 404 for what the site does not hold."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ccgkg.rdfout import MEDIA_TYPES

from ..processes import free_port, stop

SBIN = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
NGINX = shutil.which("nginx", path=SBIN)
APACHE = shutil.which("apache2", path=SBIN)
APACHE_MODULES = Path("/usr/lib/apache2/modules")  # where Debian's apache2 keeps its modules
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@dataclass(frozen=True)
class Server:
    name: str
    url: str
    site: Path


@pytest.fixture(scope="module")
def public_site(written: Path) -> Iterator[Path]:
    """The published sample in a folder every user can read (apache2 started by root serves as nobody)."""
    top = Path(tempfile.mkdtemp(prefix="ccgkg-web-"))
    try:
        os.chmod(top, 0o755)
        site = top / "site"
        shutil.copytree(written, site)
        for folder, dirs, files in os.walk(site):
            os.chmod(folder, 0o755)
            for name in files:
                os.chmod(os.path.join(folder, name), stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        yield site
    finally:
        shutil.rmtree(top, ignore_errors=True)


def _start(name: str, argv: list[str], port: int, log: Path) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                text = log.read_text(errors="replace") if log.exists() else "(no log)"
                raise RuntimeError(f"{name} did not start: {text}") from None
            time.sleep(0.1)


def nginx_conf(site: Path, work: Path, port: int) -> str:
    """A main configuration (foreground, one process, everything in ``work``) around the site's own file, with
    its ``listen`` and ``root`` lines set as a deployer would."""
    shipped = (site / "server-config/nginx.conf").read_text(encoding="utf-8")
    assert "listen 8080;" in shipped and "root /srv/ccgkg;" in shipped
    server = shipped.replace("listen 8080;", f"listen 127.0.0.1:{port};").replace("root /srv/ccgkg;",
                                                                                  f"root {site};")
    (work / "server.conf").write_text(server, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {work / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                          "scgi"))
    return (f"daemon off;\nmaster_process off;\npid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\n"
            f"events {{ worker_connections 64; }}\nhttp {{\n    access_log off;\n{temp}\n"
            f"    include {work / 'server.conf'};\n}}\n")


def apache_conf(site: Path, work: Path, port: int) -> str:
    """A main configuration loading only the modules the site's .htaccess needs, allowing it in the site."""
    modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES / f'mod_{name}.so'}"
                        for name in ("mpm_event", "authz_core", "mime", "rewrite", "headers", "negotiation", "dir"))
    user = "User #65534\nGroup #65534\n" if os.geteuid() == 0 else ""
    return (f"ServerRoot {work}\nServerName localhost\nListen 127.0.0.1:{port}\nPidFile {work / 'httpd.pid'}\n"
            f"ErrorLog {work / 'error.log'}\nLogLevel warn\n{modules}\nTypesConfig /dev/null\n{user}"
            f"DocumentRoot {site}\n<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n"
            f"<Directory {site}>\n    AllowOverride All\n    Require all granted\n</Directory>\n")


@pytest.fixture(scope="module", params=["nginx", "apache2"])
def server(request: pytest.FixtureRequest, public_site: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[Server]:
    name = request.param
    binary = NGINX if name == "nginx" else APACHE
    if binary is None:
        pytest.skip(f"{name} is not installed (apt-get install --no-install-recommends {name}; .ci/run does)")
    if name == "apache2" and not APACHE_MODULES.is_dir():
        pytest.skip(f"apache2 has no modules at {APACHE_MODULES} (the test loads Debian's)")
    work = tmp_path_factory.mktemp(name)
    port = free_port()
    conf = work / f"{name}.conf"
    if name == "nginx":
        conf.write_text(nginx_conf(public_site, work, port), encoding="utf-8")
        argv = [binary, "-p", str(work), "-c", str(conf)]
    else:
        conf.write_text(apache_conf(public_site, work, port), encoding="utf-8")
        argv = [binary, "-X", "-f", str(conf)]  # -X: one process, in the foreground
    proc = _start(name, argv, port, work / "error.log")
    try:
        yield Server(name, f"http://127.0.0.1:{port}", public_site)
    finally:
        stop(proc)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept is not None else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_id_answers_303_to_its_document_and_404_when_there_is_none(server: Server) -> None:
    status, headers, _ = get(server.url + "/id/org/02H")
    assert status == 303
    assert headers["Location"] in ("/doc/org/02H", server.url + "/doc/org/02H")
    assert get(server.url + "/id/org/NOPE")[0] == 404


@pytest.mark.parametrize(("accept", "suffix"), [
    (None, "html"),
    ("text/html", "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    (BROWSER, "html"),
    ("*/*", "html"),
    ("text/turtle;q=0.5, text/html;q=0.4", "ttl"),
    ("text/html;q=0.5, application/ld+json", "jsonld"),
    ("application/n-triples;q=0.9, text/turtle;q=0.8, */*;q=0.1", "nt"),
    ("text/turtle;q=0.5, text/html;q=0.499", "ttl"),
    ("text/turtle;q=0, */*", "html"),
    ("text/html;q=0.1, application/ld+json;q=0.3, text/turtle;q=0.2", "jsonld"),
])
def test_accept_picks_the_file(server: Server, accept: str | None, suffix: str) -> None:
    for path in ("doc/org/02H", "ont/acts/health-and-social-care-act-2012/s194-2-d"):
        status, headers, body = get(f"{server.url}/{path}", accept)
        assert (status, headers["Content-Type"]) == (200, MEDIA_TYPES[suffix]), (server.name, path, accept)
        assert body == (server.site / f"{path}.{suffix}").read_bytes()
        assert "accept" in headers["Vary"].lower()


def test_an_ontology_module_path_ending_in_slash_is_its_index(server: Server) -> None:
    status, headers, body = get(server.url + "/ont/acts/nhs-act-2006/", "text/turtle")
    assert (status, headers["Content-Type"]) == (200, MEDIA_TYPES["ttl"])
    assert body == (server.site / "ont/acts/nhs-act-2006/index.ttl").read_bytes()


@pytest.mark.parametrize(("path", "media"), [
    ("doc/org/02H.html", MEDIA_TYPES["html"]), ("doc/org/02H.ttl", MEDIA_TYPES["ttl"]),
    ("doc/org/02H.jsonld", MEDIA_TYPES["jsonld"]), ("doc/org/02H.nt", MEDIA_TYPES["nt"]),
    ("queries/list-practices.json", MEDIA_TYPES["json"]), ("queries/list-practices.csv", MEDIA_TYPES["csv"]),
    ("dataset.ttl", MEDIA_TYPES["ttl"]), (".well-known/void", MEDIA_TYPES["ttl"]),
    ("dumps/ccgkg.nt.gz", "application/gzip"), ("sitemap.xml", "application/xml"),
])
def test_a_suffix_names_the_file(server: Server, path: str, media: str) -> None:
    status, headers, body = get(f"{server.url}/{path}", "application/ld+json")  # the suffix, not Accept, decides
    assert (status, headers["Content-Type"]) == (200, media), server.name
    assert body == (server.site / path).read_bytes()


def test_unknown_paths_404_and_nothing_acceptable_406(server: Server) -> None:
    for path in ("/doc/org/NOPE", "/doc/org/NOPE.ttl", "/ont/core/NoSuchTerm", "/nothing/here.html"):
        assert get(server.url + path, "text/html")[0] == 404, (server.name, path)
    assert get(server.url + "/doc/org/02H", "image/png")[0] == 406


def test_the_site_ships_the_htaccess_it_documents(public_site: Path) -> None:
    assert (public_site / ".htaccess").read_bytes() == (public_site / "server-config/apache.htaccess").read_bytes()
