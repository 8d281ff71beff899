"""millnet: plan a manufacturing network — which plants run, idle, restart or close, who makes
what for whom, and what it does to cost, service and metal exposure.

The public API; everything else is internal::

    import millnet
    case = millnet.read_case("cases/iwg2009")
    report = millnet.validate(case)
    scenario = millnet.load_scenario("cases/iwg2009/scenarios/aerospace-minus-40.yaml")
    results = millnet.plan("cases/iwg2009", scenario=scenario)

The planning names (``plan``, ``solve_case``, ``Results``, ``Scenario``, ``apply``,
``load_scenario``, ``ModelOptions``, ``SolveOptions``) load on first use, so that importing
millnet stays quick for commands that only read cases.
"""

from millnet.case import Case, load_example, read_case, write_case
from millnet.errors import CaseError, MillnetError, ValidationError
from millnet.issues import Issue
from millnet.validate import ValidationReport, validate

__version__ = "0.1.0"

_LAZY = {
    "plan": "millnet.plan",
    "solve_case": "millnet.plan",
    "ModelOptions": "millnet.model.options",
    "SolveOptions": "millnet.solve.options",
    "Results": "millnet.results.results",
    "Scenario": "millnet.scenario",
    "apply": "millnet.scenario",
    "load_scenario": "millnet.scenario",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'millnet' has no attribute {name!r}")


__all__ = [
    "Case",
    "CaseError",
    "Issue",
    "MillnetError",
    "ModelOptions",
    "Results",
    "Scenario",
    "SolveOptions",
    "ValidationError",
    "ValidationReport",
    "__version__",
    "apply",
    "load_example",
    "load_scenario",
    "plan",
    "read_case",
    "solve_case",
    "validate",
    "write_case",
]
