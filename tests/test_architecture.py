"""The shape of the code: the import-linter contracts of pyproject.toml, and no import circle among modules.

`lint-imports` runs the same contracts in CI (make lint); these tests also show that the contracts
bite — an upward import or a circle planted in the real import graph breaks them.
"""

import tomllib
from collections.abc import Iterable
from pathlib import Path

import grimp
import pytest
from importlinter.configuration import configure
from importlinter.contracts.acyclic_siblings import AcyclicSiblingsContract
from importlinter.contracts.forbidden import ForbiddenContract
from importlinter.contracts.independence import IndependenceContract
from importlinter.contracts.layers import LayersContract

CONTRACT_TYPES = {"layers": LayersContract, "independence": IndependenceContract, "forbidden": ForbiddenContract,
                  "acyclic_siblings": AcyclicSiblingsContract}
configure()  # import-linter's own settings (its clock, readers), as `lint-imports` sets them up
CONFIGURATION = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["tool"]["importlinter"]


def project_graph() -> grimp.ImportGraph:
    """Every import among the project's modules, those inside functions included (grimp reads the source)."""
    return grimp.build_graph(*CONFIGURATION["root_packages"])


def broken_contracts(extra_imports: Iterable[tuple[str, str]] = ()) -> list[str]:
    """The names of the contracts the project's graph (with `extra_imports` planted in it) breaks."""
    broken = []
    for options in CONFIGURATION["contracts"]:
        # A check removes the ignored imports from the graph it is given: each contract gets a graph of its own.
        graph = planted(project_graph(), extra_imports)
        contract = CONTRACT_TYPES[options["type"]](
            name=options["name"], session_options={"root_packages": CONFIGURATION["root_packages"]},
            contract_options={key: value for key, value in options.items() if key not in ("name", "type")})
        if not contract.check(graph, verbose=False).kept:
            broken.append(options["name"])
    return broken


def import_circles(graph: grimp.ImportGraph) -> list[set[str]]:
    """The groups of modules that import each other in a circle (strongly connected components), by Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[set[str]] = []

    def visit(module: str) -> None:
        # Iterative depth-first search: the graph is deep enough to reach Python's recursion limit.
        work = [(module, iter(sorted(graph.find_modules_directly_imported_by(module))))]
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        while work:
            current, imported = work[-1]
            advanced = False
            for other in imported:
                if other not in index:
                    index[other] = low[other] = len(index)
                    stack.append(other)
                    on_stack.add(other)
                    work.append((other, iter(sorted(graph.find_modules_directly_imported_by(other)))))
                    advanced = True
                    break
                if other in on_stack:
                    low[current] = min(low[current], index[other])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[current])
            if low[current] == index[current]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == current:
                        break
                if len(component) > 1 or current in graph.find_modules_directly_imported_by(current):
                    circles.append(component)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return circles


def planted(graph: grimp.ImportGraph, imports: Iterable[tuple[str, str]]) -> grimp.ImportGraph:
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    return graph


def test_every_contract_is_kept():
    assert broken_contracts() == []


def test_no_import_circle_among_the_projects_modules():
    assert import_circles(project_graph()) == []


@pytest.mark.parametrize(("importer", "imported", "contract"), [
    ("portal.models", "services.models", "Layers: the CMS builds on the request domain"),
    ("services.workflow", "home.models", "Layers: the CMS builds on the request domain"),
    ("services.workflow", "services.leave.ledger", "Inside services"),
    ("services.permissions", "services.delegation.services", "Inside services"),
    ("services.leave.views", "services.delegation.forms", "The capability packages are independent"),
    ("services.leave.rules", "services.leave.models", "The leave rules are pure"),
])
def test_an_upward_or_sideways_import_breaks_a_contract(importer, imported, contract):
    broken = broken_contracts([(importer, imported)])
    assert any(name.startswith(contract) for name in broken), broken


def test_a_planted_circle_is_found_and_breaks_the_acyclic_contract():
    circle = [("services.leave.rules", "services.leave.ledger")]
    assert {"services.leave.rules", "services.leave.ledger"} <= set().union(*import_circles(planted(project_graph(), circle)))
    assert "No circles between the parts of any package" in broken_contracts(circle)
