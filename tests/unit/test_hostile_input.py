"""Issue 9 sections 1 and 2, input files: loading never reads the network or other files (JSON-LD contexts, XML
entities), refuses entity expansion bombs, and refuses ill-typed literals naming file, line, value and datatype;
both SHACL engines then agree, since the bad value never reaches them."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner, Result

from ccgkg import store
from ccgkg.cli import cli
from ccgkg.errors import ParseError

PREFIXES = """@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> .
@prefix org: <https://w3id.org/ccgkg/id/org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "lollollollollollollollollollol">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
 <!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">
  <rdf:Description rdf:about="urn:a"><ex:p>&h;</ex:p></rdf:Description>
</rdf:RDF>
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


class Watcher(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Watcher.seen.append(self.path)
        payload = b'{"@context": {"name": "https://w3id.org/ccgkg/ont/core/name"}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def watcher() -> Iterator[str]:
    Watcher.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Watcher)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/context.jsonld"
    finally:
        server.shutdown()
        server.server_close()


# -------------------------------------------------------------------------------------------------- JSON-LD


def test_a_remote_jsonld_context_is_refused_and_never_fetched(tmp_path: Path, watcher: str) -> None:
    doc = tmp_path / "orgs.jsonld"
    doc.write_text(f'{{"@context": "{watcher}", "@id": "urn:a", "name": "x"}}', encoding="utf-8")
    result = run("validate", str(doc))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        (f"Error: {doc}: the JSON-LD @context {watcher!r} is another document; ccgkg does not fetch contexts from "
         "the network or other files"),
        (f"Hint: copy the context object that {watcher} serves into the file in place of the reference "
         '("@context": { ... })')]
    nested = tmp_path / "nested.jsonld"
    nested.write_text(f'{{"@graph": [{{"@context": [{{"x": "urn:x"}}, "{watcher}"], "@id": "urn:b"}}]}}',
                      encoding="utf-8")
    with pytest.raises(ParseError, match="is another document"):
        store.load(nested)
    imported = tmp_path / "import.jsonld"
    imported.write_text(f'{{"@context": {{"@version": 1.1, "@import": "{watcher}"}}, "@id": "urn:c"}}',
                        encoding="utf-8")
    with pytest.raises(ParseError, match="JSON-LD @import"):
        store.load(imported)
    assert Watcher.seen == []


def test_a_file_jsonld_context_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.jsonld"
    secret.write_text('{"@context": {"name": "urn:secret-content"}}', encoding="utf-8")
    for ref in (secret.as_uri(), "secret.jsonld"):
        doc = tmp_path / "doc.jsonld"
        doc.write_text(f'{{"@context": "{ref}", "@id": "urn:a", "name": "x"}}', encoding="utf-8")
        with pytest.raises(ParseError) as err:
            store.load(doc)
        assert err.value.message == (f"{doc}: the JSON-LD @context {ref!r} is another document; ccgkg does not "
                                     "fetch contexts from the network or other files")
        assert "urn:secret-content" not in err.value.message


def test_an_inline_jsonld_context_loads(tmp_path: Path) -> None:
    doc = tmp_path / "doc.jsonld"
    doc.write_text('{"@context": {"code": "https://w3id.org/ccgkg/ont/core/code"}, '
                   '"@id": "https://w3id.org/ccgkg/id/org/02H", "code": "02H"}', encoding="utf-8")
    assert len(store.load(doc)) == 1


# ---------------------------------------------------------------------------------------------------- RDF/XML


def test_billion_laughs_is_refused_at_once(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(LAUGHS, encoding="utf-8")
    started = time.monotonic()
    result = run("validate", str(bomb))
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        (f'Error: {bomb} (line 4): the entity &b; uses another entity: nested entities can expand to gigabytes (a '
         '"billion laughs") and are refused'),
        "Hint: write the values out in full instead of declaring entities"]


def test_external_and_parameter_entities_are_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret content", encoding="utf-8")
    for decl, why in ((f'<!ENTITY x SYSTEM "{secret.as_uri()}">', "the external entity &x;"),
                      ('<!ENTITY % p "x">', "the parameter entity %p is refused")):
        doc = tmp_path / "ext.rdf"
        doc.write_text(LAUGHS.split("[", 1)[0] + f"[ {decl} ]>\n<rdf:RDF xmlns:rdf="
                       '"http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:"><rdf:Description '
                       'rdf:about="urn:a"><ex:p>v</ex:p></rdf:Description></rdf:RDF>', encoding="utf-8")
        with pytest.raises(ParseError, match=why) as err:
            store.load(doc)
        assert "top secret" not in err.value.message


def test_wide_entities_are_refused_and_plain_ones_load(tmp_path: Path) -> None:
    wide = tmp_path / "wide.rdf"
    refs = "&w;" * 2000
    wide.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY w "{"x" * 20000}"> ]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="urn:ex:">'
                    f'<rdf:Description rdf:about="urn:a"><ex:p>{refs}</ex:p></rdf:Description></rdf:RDF>',
                    encoding="utf-8")
    with pytest.raises(ParseError, match="its entities would expand to 40,000,000 characters; refused"):
        store.load(wide)
    plain = tmp_path / "plain.rdf"  # the entity style of exported ontologies
    plain.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY core '
                     '"https://w3id.org/ccgkg/ont/core/"> ]>\n<rdf:RDF '
                     'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:c="&core;">'
                     '<rdf:Description rdf:about="&core;X"><c:code>02H</c:code></rdf:Description></rdf:RDF>',
                     encoding="utf-8")
    (triple,) = store.load(plain)
    assert str(triple[0]) == "https://w3id.org/ccgkg/ont/core/X"


# --------------------------------------------------------------------------------------------- ill-typed values


@pytest.mark.parametrize(("value", "datatype", "hint"), [
    ("2016-02-30", "xsd:date", "write a real calendar date as YYYY-MM-DD, e.g. 2016-02-29"),
    ("abc", "xsd:decimal", "write a decimal number such as 1250.50 (digits, one '.', an optional sign; no commas)"),
    ("1.5", "xsd:integer", "write a whole number such as 42"),
])
@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_ill_typed_literals_are_bad_input(tmp_path: Path, value: str, datatype: str, hint: str,
                                          engine: str) -> None:
    data = tmp_path / "orgs.ttl"
    data.write_text(PREFIXES + "\norg:02H a ccgkg:ClinicalCommissioningGroup ;\n    ccgkg:code \"02H\" ;\n"
                    f'    ccgkg:startDate "{value}"^^{datatype} .\n', encoding="utf-8")
    result = run("validate", "--engine", engine, str(data))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Error: {data} (line 7): {value!r} is not a valid {datatype}",
                                          f"Hint: {hint}"]


def test_ill_typed_literals_are_found_in_every_syntax_and_in_later_files(tmp_path: Path) -> None:
    good = tmp_path / "a.ttl"
    good.write_text(PREFIXES + 'org:02H ccgkg:code "02H" .\n', encoding="utf-8")
    bad = tmp_path / "b.nt"
    bad.write_text('<urn:a> <urn:b> "2016-02-30"^^<http://www.w3.org/2001/XMLSchema#date> .\n', encoding="utf-8")
    with pytest.raises(ParseError) as err:
        store.load(good, bad)
    assert (err.value.path, err.value.line) == (str(bad), 1)
    assert err.value.message == f"{bad} (line 1): '2016-02-30' is not a valid xsd:date"
    ok = store.load(good, tmp_path / "a.ttl")
    assert len(ok) == 1


# ------------------------------------------------------------------------------------------- shapes with SERVICE


@pytest.mark.parametrize("engine", ["fast", "pyshacl"])
def test_a_shape_with_service_is_a_shapes_error_in_both_engines(tmp_path: Path, engine: str) -> None:
    shapes = tmp_path / "service.shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "@prefix ccgkg: <https://w3id.org/ccgkg/ont/core/> .\n"
                      "<urn:shape:S> a sh:NodeShape ; sh:targetClass ccgkg:ClinicalCommissioningGroup ;\n"
                      '  sh:sparql [ sh:select """SELECT $this WHERE { SERVICE <http://127.0.0.1:9/sparql> '
                      '{ $this ?p ?o } }""" ] .\n', encoding="utf-8")
    data = tmp_path / "orgs.ttl"
    data.write_text(PREFIXES + 'org:02H a ccgkg:ClinicalCommissioningGroup ; ccgkg:code "02H" .\n', encoding="utf-8")
    result = run("validate", "--engine", engine, "--shapes", str(shapes), "--as-of", "2016-10-17", str(data))
    assert result.exit_code == 2, result.output
    assert result.stderr.splitlines() == [
        "Error: the shapes could not be loaded: A SPARQL Constraint must not contain a federated query (SERVICE).",
        "Hint: check the shapes files with `ccgkg validate --shapes FILE`"]
