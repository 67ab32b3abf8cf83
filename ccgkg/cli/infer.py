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
    from ccgkg import reasoning, store
    from ccgkg.fileio import check_output

    check_output(output, reasoning.CLOSURE_FORMATS)
    prof = reasoning.parse_profile(profile)
    graph = store.load(*data) if data else store.sample_graph()
    result = reasoning.infer(graph, prof, reasoner=reasoner)
    path = reasoning.write_closure(result, output)
    click.echo(f"{len(result.inferred)} inferred triples from {len(result.asserted)} asserted "
               f"(profile {result.profile.value}, reasoner {result.reasoner}) written to {path}")
    if result.note:
        click.echo(f"Note: {result.note}", err=True)
