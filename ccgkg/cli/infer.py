"""``ccgkg infer``: write the closure of data plus the bundled ontology, inferred triples kept apart."""

from __future__ import annotations

from pathlib import Path

import click

from ccgkg.cli.options import data_argument, output_option


@click.command("infer")
@data_argument
@output_option("Output file: .nq/.trig (asserted and inferred named graphs) or .nt/.ttl (inferred only); "
               "--out is the older name.", required=True, alias="--out")
@click.option("--profile", default="owlrl", show_default=True, help="Inference profile: rdfs or owlrl.")
@click.option("--reasoner", default=None, help="Reasoner: rules (default, fast) or owlrl (the reference).")
def infer(data: tuple[str, ...], output: Path, profile: str, reasoner: str | None) -> None:
    """Infer over DATA (default: the bundled sample) and the bundled ontology, and write the closure to -o/--output.

    With .nq or .trig the asserted triples go in <https://w3id.org/ccgkg/graph/asserted> and the inferred ones
    in <https://w3id.org/ccgkg/graph/inferred>; with .nt or .ttl only the inferred triples are written.
    """
    from ccgkg import reasoning
    from ccgkg.fileio import atomic_write, check_output
    from ccgkg.importers.inputs import data_graph, data_triples

    check_output(output, reasoning.CLOSURE_FORMATS)
    prof = reasoning.parse_profile(profile)
    reasoning.get_reasoner(reasoner)  # an unknown reasoner exits 2 before the data is read
    fmt = reasoning.CLOSURE_FORMATS.get(Path(output).suffix.lower())
    if fmt in ("nt", "nquads"):  # the fast path: files read by pyoxigraph, triples written as they are, no graphs
        found = reasoning.entail(data_triples(data), prof, reasoner=reasoner)
        path = atomic_write(output, reasoning.serialize_closure_lines(found.asserted if fmt == "nquads" else (),
                                                                   found.triples, fmt))
        counts, name, note = (len(found.triples), len(found.asserted)), found.reasoner, found.note
    else:
        result = reasoning.infer(data_graph(data), prof, reasoner=reasoner)
        path = reasoning.write_closure(result, output)
        counts, name, note = (len(result.inferred), len(result.asserted)), result.reasoner, result.note
    click.echo(f"{counts[0]} inferred triples from {counts[1]} asserted "
               f"(profile {prof.value}, reasoner {name}) written to {path}")
    if note:
        click.echo(f"Note: {note}", err=True)
