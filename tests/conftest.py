"""Fixtures shared by every test folder. Folder-specific fixtures live in that folder's conftest.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Graph

if TYPE_CHECKING:
    from ccgkg.importers import ImportResult

REPO = Path(__file__).resolve().parents[1]


def shared_data_dir() -> Path:
    """The real NHS data folder: $CCGKG_SHARED_DATA, else ../shared/data beside the checkout."""
    env = os.environ.get("CCGKG_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path to ../shared/data; tests that need it skip, saying why, when it is absent."""
    path = shared_data_dir()
    if not (path / "README.md").is_file():
        pytest.skip(f"real NHS data not found at {path} (set CCGKG_SHARED_DATA or place shared/ beside the checkout)")
    return path


@pytest.fixture(scope="session")
def ontology() -> Graph:
    """The bundled ontology, parsed once for the session. Tests must not mutate it (copy it first)."""
    from ccgkg.store import ontology_graph

    return ontology_graph()


@pytest.fixture(scope="session")
def real_england_import(shared_data: Path) -> ImportResult:
    """``ccgkg import ods ../shared/data``: the real England (every ODS and ONS file of the folder), imported once
    for the session with its counts. Tests must not mutate its graph."""
    from ccgkg.importers import import_ods

    return import_ods([shared_data])


@pytest.fixture(scope="session")
def real_england(real_england_import: ImportResult) -> Graph:
    """The graph of :func:`real_england_import`. Tests must not mutate it."""
    return real_england_import.graph


@pytest.fixture(scope="session")
def ods_import() -> Callable[..., ImportResult]:
    """``import_ods`` with its results kept for the session: tests that import the same real files share one
    import (each takes seconds). Tests must not mutate the graphs."""
    from ccgkg.importers import import_ods

    cache: dict[tuple[Path, ...], ImportResult] = {}

    def imported(*paths: Path) -> ImportResult:
        if paths not in cache:
            cache[paths] = import_ods(list(paths))
        return cache[paths]

    return imported


#: Tests that take a second or more of CPU (all their parameters together; measured on this 2-core machine), marked
#: ``slow`` here so that the fast part (-m 'not slow and not realdata and not server') stays under a minute; the
#: whole suite still runs them.
SLOW_TESTS = (
    "tests/coverage/test_scope.py::test_explain_shows_nothing_to_check_and_not_judged",
    "tests/engines/test_cli_infer.py::test_nt_holds_exactly_the_inferred_triples",
    "tests/engines/test_cli_infer.py::test_trig_parses_into_the_two_graphs",
    "tests/engines/test_engines.py::test_generated_england_slice_same_results_as_pyshacl",
    "tests/engines/test_reasoning.py::test_rules_equal_owlrl_on_generated_england_slice",
    "tests/engines/test_reasoning.py::test_rules_equal_owlrl_on_ontology_and_sample",
    "tests/hygiene/test_hygiene.py::test_bundled_ontology_and_shapes_are_clean",
    "tests/importers/test_docs_import.py::test_ods_example_prints_what_the_page_shows",
    "tests/importers/test_keys.py::test_a_group_left_unassessed_that_year_is_the_only_2016_17_finding",
    "tests/importers/test_keys.py::test_the_boards_assessments_of_200_groups_on_one_day_import_and_validate",
    "tests/law/test_ontology.py::test_bundled_ontology_is_owl_rl_consistent",
    "tests/law/test_ontology.py::test_closure_derives_the_duties_binding_an_organisation",
    "tests/publish/test_browser.py::test_browser_follows_links_and_runs_a_named_query",
    "tests/publish/test_docs_publishing.py::test_examples_print_what_the_page_shows",
    "tests/publish/test_http.py::test_identifier_answers_303_to_its_document",
    "tests/publish/test_http.py::test_rdf_formats_carry_the_resource_description",
    "tests/publish/test_site.py::test_dumps_agree_and_gzip_has_no_time",
    "tests/publish/test_site.py::test_no_broken_internal_links",
    "tests/publish/test_site.py::test_publishing_twice_gives_identical_bytes_and_base_moves_iris",
    "tests/publish/test_site.py::test_serve_get_hook",
    "tests/publish/test_site.py::test_sitemap_lists_every_page",
    "tests/queries/test_docs_queries.py::test_example_prints_what_the_doc_shows",
    "tests/queries/test_engines_agree.py::test_answer_dispatches_and_refuses_an_unknown_engine",
    "tests/queries/test_engines_agree.py::test_every_named_query_gives_the_same_result_on_both_engines",
    "tests/queries/test_engines_agree.py::test_the_command_gives_the_same_bytes_on_both_engines",
    "tests/queries/test_engines_agree.py::test_the_store_holds_the_triples_of_the_query_graph",
    "tests/queries/test_formats.py::test_each_named_query_in_each_row_format",
    "tests/queries/test_formats.py::test_named_queries_give_the_same_rows_under_every_inference_profile",
    "tests/queries/test_hostile_queries.py::test_report_queries_validate_first_without_with_report",
    "tests/queries/test_named_queries.py::test_count_duties_agrees_with_law_duties",
    "tests/queries/test_named_queries.py::test_find_breaches",
    "tests/queries/test_named_queries.py::test_find_hwb_gaps",
    "tests/queries/test_named_queries.py::test_list_governing_body",
    "tests/queries/test_named_queries.py::test_report_queries_find_nothing_without_a_report",
    "tests/queries/test_sample.py::test_default_data_is_the_sample",
    "tests/queries/test_sample.py::test_rdflib_and_oxigraph_give_the_same_rows_on_the_sample",
    "tests/queries/test_sample.py::test_with_report_on_the_command_line",
    "tests/rules/test_rules.py::test_invalid_fixture_has_exactly_the_expected_findings",
    "tests/rules/test_rules.py::test_valid_fixture_has_no_finding",
    "tests/test_readme.py::test_tour_examples_print_what_the_readme_shows",
    "tests/unit/test_core_modules.py::test_infer_keeps_inferred_apart_and_merges_the_ontology",
    "tests/unit/test_hostile_input.py::test_a_shape_with_service_is_a_shapes_error_in_both_engines",
    "tests/validation/test_api.py::test_broken_extra_shapes_are_a_shapes_error",
    "tests/validation/test_api.py::test_org_filter_repeatable",
    "tests/validation/test_api.py::test_without_inference_relevance_is_not_derived",
    "tests/validation/test_cli.py::test_data_folder_and_engine",
    "tests/validation/test_cli.py::test_default_is_the_bundled_sample_with_its_breaches_exit_1",
    "tests/validation/test_cli.py::test_explain_shows_duties_rules_and_the_facts_of_a_finding",
    "tests/validation/test_cli.py::test_explain_shows_why_a_group_is_relevant_to_a_board",
    "tests/validation/test_cli.py::test_html_is_one_self_contained_page",
    "tests/validation/test_cli.py::test_inference_none_derives_no_relevance",
    "tests/validation/test_cli.py::test_json_contract",
    "tests/validation/test_cli.py::test_no_findings_exit_0",
    "tests/validation/test_cli.py::test_provision_and_fail_on",
    "tests/validation/test_cli.py::test_turtle_and_jsonld_are_the_report_graph",
    "tests/validation/test_day_graphs.py::test_each_state_equals_its_definition",
    "tests/validation/test_docs_validate.py::test_every_example_prints_what_the_doc_shows",
    "tests/validation/test_equivalence.py::test_fast_engine_equals_plain_pyshacl_on_a_day",
    "tests/validation/test_equivalence.py::test_fast_engine_equals_plain_pyshacl_on_each_invalid_fixture",
    "tests/validation/test_no_false_pass.py::test_as_of_accepts_iso_8601_basic_format",
    "tests/validation/test_timemodel.py::test_a_shape_that_does_not_compile_falls_back_with_a_notice",
    "tests/validation/test_timemodel.py::test_cli_engines_agree",
    "tests/validation/test_timemodel.py::test_cli_prints_the_notice_on_stderr",
    "tests/validation/test_timemodel.py::test_compiled_day_equals_pyshacl",
    "tests/validation/test_timemodel.py::test_compiled_history_equals_the_batched_engine",
    "tests/validation/test_timemodel.py::test_org_narrowing_equals_filtering_the_whole_run",
    "tests/validation/test_timemodel.py::test_progress_is_told_each_judging_day",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that reads ../shared/data is marked ``realdata`` (deselect them with -m 'not realdata'), and
    the tests of ``SLOW_TESTS`` ``slow``."""
    root = Path(str(config.rootpath))
    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.realdata)
        where = f"{item.path.relative_to(root).as_posix()}::{item.name.split('[')[0]}"
        if where in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
