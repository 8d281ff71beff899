"""millnet: plan a manufacturing network — which plants run, idle, restart or close, who makes
what for whom, and what it does to cost, service and metal exposure.

The public API; everything else is internal::

    import millnet
    case = millnet.read_case("cases/iwg2009")
    report = millnet.validate(case)
"""

from millnet.case import Case, load_example, read_case, write_case
from millnet.errors import CaseError, MillnetError, ValidationError
from millnet.issues import Issue
from millnet.validate import ValidationReport, validate

__version__ = "0.1.0"

__all__ = [
    "Case",
    "CaseError",
    "Issue",
    "MillnetError",
    "ValidationError",
    "ValidationReport",
    "__version__",
    "load_example",
    "read_case",
    "validate",
    "write_case",
]
