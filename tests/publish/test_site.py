"""The static site ``ccgkg publish`` writes for the bundled sample: every page's internal links resolve, pages say
what the issue asks of each kind, dumps and the dataset description agree with the files, output is byte-stable."""

from __future__ import annotations

import gzip
import hashlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlparse

from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from ccgkg import law
from ccgkg.cli import cli
from ccgkg.publish import Site, doc_path, iri_of_path

DCAT = "http://www.w3.org/ns/dcat#"
DCTERMS = "http://purl.org/dc/terms/"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_iri_scheme_round_trips() -> None:
    assert doc_path("https://w3id.org/ccgkg/id/org/02H") == "doc/org/02H"
    assert doc_path("https://w3id.org/ccgkg/ont/core/Post") == "ont/core/Post"
    assert doc_path("https://w3id.org/ccgkg/ont/acts/nhs-act-2006/") == "ont/acts/nhs-act-2006/index"
    assert doc_path("https://example.org/x") is None
    for iri in ("https://w3id.org/ccgkg/id/org/02H", "https://w3id.org/ccgkg/ont/acts/nhs-act-2006/"):
        assert iri_of_path(doc_path(iri) or "") == iri


def test_no_broken_internal_links(written: Path) -> None:
    pages = sorted(written.rglob("*.html"))
    assert len(pages) > 900
    broken = []
    for page in pages:
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.links:
            if urlparse(link).scheme in ("http", "https", "mailto"):
                continue
            target = (page.parent / urldefrag(link)[0]).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(written)} -> {link}")
    assert broken == []


def test_every_resource_has_its_formats_beside_its_page(written: Path, site: Site) -> None:
    kinds = {site.kind(iri) for iri in site.pages}
    assert {"organisation", "provision", "class", "property", "shape", "query", "finding", "run", "source"} <= kinds
    for iri, path in site.pages.items():
        for suffix in ("html", "ttl", "jsonld", "nt"):
            assert (written / f"{path}.{suffix}").is_file(), (iri, suffix)
        # JSON and CSV of a resource come from `ccgkg serve`; a named query's are its rows, in the site too
        assert (written / f"{path}.csv").is_file() == (site.kind(iri) == "query"), iri
    g = Graph().parse(written / "doc/org/02H.jsonld", format="json-ld")
    assert isomorphic(g, Graph().parse(written / "doc/org/02H.ttl", format="turtle"))
    assert isomorphic(g, Graph().parse(written / "doc/org/02H.nt", format="nt"))


def test_organisation_page(written: Path) -> None:
    page = read(written, "doc/org/E08000010-HWB.html")
    assert "<h1>Wigan Health and Wellbeing Board</h1>" in page
    assert '<dt>Parent authority</dt><dd><a href="E08000010.html">Wigan</a></dd>' in page
    assert "<h2>Duties binding it (11)</h2>" in page
    assert ('<tr><td><a href="../../ont/acts/health-and-social-care-act-2012/s195-1.html">HSCA 2012 s.195(1)</a></td>'
            "<td>Duty to encourage integrated working</td><td>obligation</td><td>2013-04-01</td><td>-</td></tr>") in page
    assert "<h2>Evidence coverage</h2>" in page
    assert "<h2>Days judged, rule by rule</h2>" in page  # the run's coverage table (issue 10), per rule
    assert ('<tr><td><a href="../../shapes/health-and-social-care-act-2012/BoardHasCouncillor.html">Health and '
            'Wellbeing Board has a councillor</a></td><td><a href="../../ont/acts/health-and-social-care-act-2012/'
            's194-2-a.html">HSCA 2012 s.194(2)(a)</a></td><td>3378</td><td>0</td><td>3378</td><td>0</td><td></td>'
            '</tr>') in page
    assert "<h2>Findings (2)</h2>" in page
    assert ('<a href="../../ont/acts/health-and-social-care-act-2012/s194-2-d.html">HSCA 2012 s.194(2)(d)</a> (<a '
            'href="https://www.legislation.gov.uk/ukpga/2012/7/section/194/2/d">legislation.gov.uk</a>)') in page
    assert ("<td>No director of public health sits on the board: it must include the authority&#x27;s director "
            "(HSCA 2012 s.194(2)(d))</td>") in page
    wigan = read(written, "doc/org/02H.html")
    assert '<dt>Succeeded by</dt><dd><a href="QOP.html">' in wigan
    assert "<h2>Member practices (" in wigan


def test_provision_page(written: Path) -> None:
    page = read(written, "ont/acts/health-and-social-care-act-2012/s194-2-d.html")
    assert "<h1>HSCA 2012 s.194(2)(d)</h1>" in page
    assert '<a href="https://www.legislation.gov.uk/ukpga/2012/7/section/194/2/d">' in page
    assert '<a href="../../../shapes/health-and-social-care-act-2012/BoardHasDirectorOfPublicHealth.html">' in page
    assert "<h2>Organisations with findings under it (1)</h2>" in page
    assert '<a href="../../../doc/org/E08000010-HWB.html">E08000010-HWB Wigan Health and Wellbeing Board</a>' in page
    cited = read(written, "ont/acts/health-and-social-care-act-2012/s194-2.html")
    assert '<a href="../../../queries/find-hwb-gaps.html">find-hwb-gaps</a>' in cited


def test_index_by_act_coverage_and_ontology(written: Path, site: Site) -> None:
    acts = read(written, "acts.html")
    for p in law.provisions():
        assert f">{p.citation}</a>" in acts.replace("&#x27;", "'"), p.citation
    coverage = read(written, "coverage.html")
    assert "<h2>By Act</h2>" in coverage
    ontology = read(written, "ontology.html")
    g = site.graph
    for cls in g.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")):
        if str(cls).startswith("https://w3id.org/ccgkg/ont/core/"):
            assert f'href="ont/core/{str(cls).rsplit("/", 1)[1]}.html"' in ontology, cls


def test_named_query_page_shows_default_rows_and_files(written: Path, site: Site) -> None:
    page = read(written, "queries/list-practices.html")
    assert '<a href="list-practices.csv">CSV</a>' in page
    expected = site.query_result("list-practices", {})
    assert (written / "queries/list-practices.csv").read_bytes().decode().count("\r\n") == len(expected.rows) + 1


def test_dumps_agree_and_gzip_has_no_time(written: Path, site: Site) -> None:
    raw = (written / "dumps/ccgkg.nt.gz").read_bytes()
    assert raw[4:8] == b"\0\0\0\0"  # gzip MTIME
    nt = Graph().parse(data=gzip.decompress(raw), format="nt")
    assert len(nt) == len(site.graph)
    assert isomorphic(nt, Graph().parse(written / "dumps/ccgkg.ttl", format="turtle"))
    assert isomorphic(nt, Graph().parse(written / "dumps/ccgkg.jsonld", format="json-ld"))


def test_dataset_description(written: Path, site: Site) -> None:
    g = Graph().parse(written / "dataset.ttl", format="turtle")
    ds = URIRef("https://w3id.org/ccgkg/dataset")
    assert (ds, RDF.type, URIRef(DCAT + "Dataset")) in g
    assert (ds, URIRef(DCTERMS + "license"),
            URIRef("http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/")) in g
    assert (URIRef(str(ds) + "/ontology"), URIRef(DCTERMS + "license"),
            URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    dists = sorted(g.objects(ds, URIRef(DCAT + "distribution")))
    assert len(dists) == 3
    for dist in dists:
        url = str(g.value(dist, URIRef(DCAT + "downloadURL")))
        payload = (written / url.removeprefix("https://w3id.org/ccgkg/")).read_bytes()
        assert g.value(dist, URIRef(DCAT + "byteSize")) == Literal(len(payload), datatype=XSD.nonNegativeInteger)
        assert str(g.value(dist, URIRef("http://spdx.org/rdf/terms#checksum"))) == \
            "sha256:" + hashlib.sha256(payload).hexdigest()
    service = URIRef("https://w3id.org/ccgkg/sparql-service")
    assert (service, RDF.type, URIRef(DCAT + "DataService")) in g
    assert (service, URIRef(DCAT + "servesDataset"), ds) in g
    run = g.value(ds, URIRef("http://www.w3.org/ns/prov#wasGeneratedBy"))
    assert run == URIRef(site.run_iri)
    assert (written / (doc_path(str(run)) + ".html")).is_file()
    assert (written / ".well-known/void").read_bytes() == (written / "dataset.ttl").read_bytes()


def test_sitemap_lists_every_page(written: Path, site: Site) -> None:
    sitemap = read(written, "sitemap.xml")
    assert sitemap.count("<url><loc>") == len(site.pages) + len(site.listing_pages()) + 1
    assert "<url><loc>https://w3id.org/ccgkg/doc/org/02H.html</loc></url>" in sitemap
    # what the two configurations do is tested with the real servers in test_web_servers.py
    assert "return 303 /doc/$1;" in read(written, "server-config/nginx.conf")
    assert "RewriteRule ^id/(.+)$ doc/$1 [R=303,L]" in read(written, "server-config/apache.htaccess")


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_publishing_twice_gives_identical_bytes_and_base_moves_iris(tmp_path: Path, written: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(cli, ["publish", "--out", str(tmp_path / "a")])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith(f"{tmp_path / 'a'}: ")
    assert digest(tmp_path / "a") == digest(written)
    again = runner.invoke(cli, ["publish", "--out", str(tmp_path / "a")])  # replaces the earlier site
    assert again.exit_code == 0
    assert digest(tmp_path / "a") == digest(written)
    moved = runner.invoke(cli, ["publish", "--out", str(tmp_path / "b"), "--base", "https://example.org/kg/"])
    assert moved.exit_code == 0, moved.output
    ttl = (tmp_path / "b/doc/org/02H.ttl").read_text()
    assert "@prefix org: <https://example.org/kg/id/org/> ." in ttl
    assert "w3id.org" not in ttl
    assert "w3id.org/ccgkg" not in (tmp_path / "b/dataset.ttl").read_text()


def test_bad_output_folder_and_base_exit_2(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine/notes.txt").write_text("keep me")
    done = CliRunner().invoke(cli, ["publish", "--out", str(tmp_path / "mine")])
    assert done.exit_code == 2
    assert done.stderr == (f"Error: {tmp_path / 'mine'} exists and is not a site ccgkg published (no .ccgkg-site "
                           "file in it)\nHint: give --out an empty or new folder, or the folder of an earlier "
                           "`ccgkg publish`\n")
    assert (tmp_path / "mine/notes.txt").read_text() == "keep me"
    done = CliRunner().invoke(cli, ["publish", "--out", str(tmp_path / "x"), "--base", "ftp://x"])
    assert done.exit_code == 2
    assert "Error: --base 'ftp://x' is not an http(s) IRI ending in '/'" in done.stderr
    assert not (tmp_path / "x").exists()


def test_serve_get_hook() -> None:
    done = CliRunner().invoke(cli, ["serve", "--get", "/id/org/02H"])
    assert done.exit_code == 0
    assert done.stdout == "See /doc/org/02H\n"
    assert "303 See Other: /doc/org/02H" in done.stderr
    done = CliRunner().invoke(cli, ["serve", "--get", "/doc/org/02H", "--accept", "text/turtle"])
    assert done.stdout.startswith("@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> .")
    missing = CliRunner().invoke(cli, ["serve", "--get", "/doc/org/NOPE"])
    assert missing.exit_code == 2
    assert missing.stderr.endswith("Error: HTTP 404 for /doc/org/NOPE: no resource at /doc/org/NOPE\n"
                                   "Hint: see /index.html, /acts.html and /organisations.html\n")


def test_relative_links_match_posixpath() -> None:
    import posixpath

    from ccgkg.publish import relative_path

    for folder, target in [("", "findings.html"), ("doc/org", "doc/org/QOP.html"), ("doc/org", "ont/acts/x/s1.html"),
                           ("ont/acts/x", "ont/acts/x/index.html"), ("doc/finding/abc", "doc/org/02H.html"),
                           ("doc/org", "findings.html"), ("doc/area/01F/E06000006", "doc/org/01F.html")]:
        assert relative_path(folder, target) == posixpath.relpath(target, folder or ".")
