"""The analysis tests build their cases with the formulation tests' tiny-case helpers."""

from __future__ import annotations

import sys
from pathlib import Path

FORMULATION = Path(__file__).resolve().parents[1] / "formulation"
if str(FORMULATION) not in sys.path:
    sys.path.insert(0, str(FORMULATION))
