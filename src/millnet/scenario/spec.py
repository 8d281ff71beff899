"""The :class:`Scenario`: a named, ordered list of overrides, optionally on top of a parent.

A scenario is a YAML file::

    name: aerospace-minus-40
    description: What if aerospace demand falls 40 % from 2009Q1?
    parent: base.yaml            # optional; relative to this file; its overrides apply first
    overrides:
      - kind: scale_demand
        segments: [aerospace]
        factor: 0.6

Scenarios compare by content (name, description, parent, overrides), not by the file they came
from, so ``load(to_yaml(s))`` equals ``s``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr
from pydantic import ValidationError as PydanticValidationError

from millnet.scenario.context import At
from millnet.scenario.overrides import AnyOverride, Override
from millnet.scenario.source import (
    KeyPath,
    Problem,
    ScenarioError,
    SourceMap,
    problems_from_validation,
    read_text,
    read_yaml,
    unsourced,
)


class Scenario(BaseModel):
    """A named set of changes to a case and its model options (frozen)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(
        min_length=1,
        pattern=r"^[^\n\r]+$",
        description="Short name, used in results and run stores (the `scenario` column).",
    )
    description: str = Field(
        "", description="The question the scenario answers, in a planner's words."
    )
    parent: str | None = Field(
        None,
        description="Another scenario file (path relative to this one) whose overrides apply "
        "first.",
    )
    overrides: tuple[AnyOverride, ...] = Field(
        (), description="Changes applied in order, each with a `kind`."
    )

    _source: SourceMap | None = PrivateAttr(None)
    _folder: Path | None = PrivateAttr(None)
    _parent: Scenario | None = PrivateAttr(None)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    def __hash__(self) -> int:
        return hash(self.to_yaml())

    @property
    def source(self) -> SourceMap:
        """The file this scenario was read from, with the line of every key."""
        return self._source or unsourced(self.name)

    @property
    def parent_scenario(self) -> Scenario | None:
        """The parent, read from ``parent`` (relative to this file's folder) on first use."""
        if self.parent is None:
            return None
        if self._parent is None:
            folder = self._folder or Path.cwd()
            self._parent = _load_chain(folder / self.parent, (), self.source, ("parent",))
        return self._parent

    @property
    def lineage(self) -> tuple[str, ...]:
        """Names from the root ancestor to this scenario."""
        parent = self.parent_scenario
        return (*(parent.lineage if parent else ()), self.name)

    def steps(self) -> tuple[tuple[Override, At], ...]:
        """Every override of the chain, the root ancestor's first, each with where it was
        written."""
        parent = self.parent_scenario
        own = tuple(
            (override, At(self.source, ("overrides", index), self.name))
            for index, override in enumerate(self.overrides)
        )
        return (*(parent.steps() if parent else ()), *own)

    def with_parent(self, parent: Scenario, reference: str | None = None) -> Scenario:
        """This scenario on top of ``parent`` (``reference`` is what ``parent`` says in YAML)."""
        updated = self.model_copy(update={"parent": reference or parent.name})
        updated._source = self._source
        updated._folder = self._folder
        updated._parent = parent
        return updated

    def to_data(self) -> dict[str, Any]:
        """Plain data in the order a person writes it (what ``to_yaml`` dumps)."""
        data: dict[str, Any] = {"name": self.name}
        if self.description:
            data["description"] = self.description
        if self.parent is not None:
            data["parent"] = self.parent
        data["overrides"] = [o.to_data() for o in self.overrides]
        return data

    def to_yaml(self) -> str:
        """The scenario as YAML that :func:`parse_scenario` reads back to an equal scenario."""
        return dump_yaml(self.to_data())


def parse_scenario(text: str, file: str = "<scenario>", folder: Path | None = None) -> Scenario:
    """Read a scenario from YAML text (``file`` names it in errors; ``folder`` is where a
    ``parent`` path is relative to). The parent is read when first needed."""
    data, source = read_yaml(text, file)
    return _build(data, source, folder)


def load_scenario(path: str | Path) -> Scenario:
    """Read the scenario file at ``path`` and its parents; raise :class:`ScenarioError` naming
    file, line and key on any mistake, including a cycle of parents."""
    return _load_chain(Path(path), (), None, ())


def _load_chain(
    path: Path, seen: tuple[Path, ...], referrer: SourceMap | None, key: KeyPath
) -> Scenario:
    """Read the scenario at ``path`` and its parents; ``referrer`` and ``key`` say where
    ``path`` was named (for the error when it is missing or closes a cycle)."""
    resolved = path.resolve()
    if referrer is not None and resolved in seen:
        cycle = " → ".join(p.name for p in (*seen, resolved))
        raise ScenarioError([referrer.problem(key, f"parents form a cycle: {cycle}")])
    if referrer is not None and not path.is_file():
        raise ScenarioError([referrer.problem(key, f"no such scenario file: {path}")])
    scenario = parse_scenario(read_text(path), str(path), path.parent)
    if scenario.parent is not None:
        scenario._parent = _load_chain(
            path.parent / scenario.parent, (*seen, resolved), scenario.source, ("parent",)
        )
    return scenario


def _build(data: Any, source: SourceMap, folder: Path | None) -> Scenario:
    if not isinstance(data, dict):
        found = "an empty file" if data is None else f"a {type(data).__name__}"
        raise ScenarioError(
            [
                Problem(
                    source.file, 1, "", f"expected a mapping with name and overrides; found {found}"
                )
            ]
        )
    try:
        scenario = Scenario.model_validate(data)
    except PydanticValidationError as exc:
        raise ScenarioError(problems_from_validation(exc, data, source, Scenario)) from None
    scenario._source = source
    scenario._folder = folder
    return scenario


class _Dumper(yaml.SafeDumper):
    """Lists of plain values inline, text with line breaks as a block, keys in given order."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    inline = all(not isinstance(v, (dict, list)) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=inline)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML as a person would write it (see :class:`_Dumper`)."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=96,
    )


def inline(data: Any) -> str:
    """Data on one line, as YAML flow: ``{kind: scale_demand, segments: [aerospace], …}``."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=True,
        width=10_000,
    ).strip()
