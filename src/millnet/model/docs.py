"""Generate ``docs/model.md`` from the model's own docstrings (``make docs``).

The math of every constraint family lives in its ``define_*`` docstring; this page collects
them, so the documentation is the code's.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from millnet.model import build as build_module
from millnet.model.options import ModelOptions

HEADER = """# The millnet planning model

<!-- Generated from src/millnet/model by `make docs`; edit the docstrings, not this file. -->

"""


def render() -> str:
    parts = [HEADER, inspect.cleandoc(build_module.__doc__ or ""), "\n\n## Options\n"]
    parts.append("| option | default | description |\n|---|---|---|")
    for name, field in ModelOptions.model_fields.items():
        default = field.default if field.default not in ((), None) else "—"
        parts.append(f"| `{name}` | `{default}` | {field.description or ''} |")
    parts.append("\n## Constraint families, in build order\n")
    functions = [
        f
        for _, f in sorted(
            inspect.getmembers(build_module, inspect.isfunction),
            key=lambda item: inspect.getsourcelines(item[1])[1],
        )
        if f.__name__.startswith("define_") and f.__module__ == build_module.__name__
    ]
    for function in functions:
        doc = inspect.cleandoc(function.__doc__ or "")
        title, _, body = doc.partition("\n")
        parts.append(f"### `{function.__name__}`\n\n{title}\n\n{body.strip()}\n")
    return "\n".join(parts).rstrip() + "\n"


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path("docs/model.md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
