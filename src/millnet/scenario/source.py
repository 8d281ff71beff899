"""Reading scenario and sweep YAML with the line of every key, and errors that point there.

A scenario is written by hand, so a mistake must be found where it was made: every problem
names the file, the line and the key path (``overrides[2].segments[0]``). The YAML is composed
into nodes first, which carry their marks, and only then turned into Python values.

Booleans are YAML 1.2's ``true``/``false`` only, and dates stay text: in YAML 1.1 the country
code ``NO`` would be read as *false* and a period id that looks like a date as a date.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from millnet.errors import MillnetError

#: Where a value sits in a document: mapping keys and list indexes from the root.
KeyPath = tuple[str | int, ...]

#: At most this many problems are listed in an error's message (all are kept on the error).
MAX_LISTED = 10


@dataclass(frozen=True, slots=True)
class Problem:
    """One mistake in a scenario or sweep file: where it is and what is wrong."""

    file: str
    line: int | None
    key: str
    message: str
    column: int | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.key:
            parts.append(f"key {self.key}")
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.location()}: {self.message}"

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class ScenarioError(MillnetError):
    """A scenario or sweep that cannot be read or applied; every problem names file, line and
    key. CLI exit code 1."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        shown = [str(p) for p in self.problems[:MAX_LISTED]]
        more = len(self.problems) - MAX_LISTED
        if more > 0:
            shown.append(f"… and {more} more")
        if len(shown) == 1:
            super().__init__(shown[0])
        else:
            super().__init__(f"{len(self.problems)} problems:\n  " + "\n  ".join(shown))


def format_key(path: KeyPath) -> str:
    """``("overrides", 0, "segments", 1)`` → ``overrides[0].segments[1]``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass(frozen=True)
class SourceMap:
    """The file a document came from and the line of every key path in it."""

    file: str
    lines: Mapping[KeyPath, int] = field(default_factory=dict)
    #: Paths of a generated document → where they came from in the file (a sweep's scenario's
    #: ``overrides[1]`` is its axis template, ``grid.copper.template``).
    aliases: Mapping[KeyPath, KeyPath] = field(default_factory=dict)

    def in_file(self, path: KeyPath) -> KeyPath:
        """``path`` as a path of the file (through the longest alias that prefixes it)."""
        for end in range(len(path), 0, -1):
            alias = self.aliases.get(path[:end])
            if alias is not None:
                return (*alias, *path[end:])
        return path

    def line(self, path: KeyPath) -> int | None:
        """Line of ``path``, or of its nearest ancestor that is in the file."""
        path = self.in_file(path)
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None

    def problem(self, path: KeyPath, message: str) -> Problem:
        return Problem(self.file, self.line(path), format_key(self.in_file(path)), message)


#: For documents built in Python: no file, no lines.
def unsourced(name: str) -> SourceMap:
    return SourceMap(file=f"scenario '{name}'")


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans and no implicit dates."""


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def read_yaml(text: str, file: str) -> tuple[Any, SourceMap]:
    """Parse ``text`` into plain Python values and the line of every key path.

    Raises :class:`ScenarioError` on a syntax error (naming line and column), a duplicate key,
    or a key that is not text or a number.
    """
    lines: dict[KeyPath, int] = {}
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None else _convert(loader, node, (), lines, file)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "not valid YAML"
        if mark is None:
            raise ScenarioError([Problem(file, None, "", f"not valid YAML: {what}")]) from None
        raise ScenarioError(
            [
                Problem(
                    file,
                    mark.line + 1,
                    "",
                    f"not valid YAML: {what}",
                    column=mark.column + 1,
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(file, None, "", f"not valid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    lines.setdefault((), 1)
    return data, SourceMap(file=file, lines=lines)


def _convert(
    loader: _Loader, node: yaml.Node, path: KeyPath, lines: dict[KeyPath, int], file: str
) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise ScenarioError(
                    [
                        Problem(
                            file,
                            key_node.start_mark.line + 1,
                            format_key(path),
                            "a key must be text",
                        )
                    ]
                )
            key = loader.construct_object(key_node)
            if key in out:
                raise ScenarioError(
                    [
                        Problem(
                            file,
                            key_node.start_mark.line + 1,
                            format_key((*path, key)),
                            f"key '{key}' appears twice (first on line {lines[(*path, key)]})",
                        )
                    ]
                )
            out[key] = _convert(loader, value_node, (*path, key), lines, file)
            lines[(*path, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, item, (*path, index), lines, file)
            for index, item in enumerate(node.value)
        ]
    return loader.construct_object(node, deep=True)


def suggest(value: object, choices: Iterable[str]) -> str:
    """``"; did you mean 'aerospace'?"`` when ``value`` is close to one of ``choices``."""
    if not isinstance(value, str):
        return ""
    choices = list(choices)
    close = difflib.get_close_matches(value, choices, n=3, cutoff=0.6)
    if not close and len(value) >= 3:
        close = [c for c in choices if c.lower().startswith(value.lower())][:3]
    if not close:
        lowered = {c.lower(): c for c in choices}
        close = [lowered[value.lower()]] if value.lower() in lowered else []
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"


def one_of(choices: Iterable[str]) -> str:
    return ", ".join(str(c) for c in choices)


def problems_from_validation(
    exc: PydanticValidationError, data: Any, source: SourceMap, model: Any
) -> list[Problem]:
    """Turn pydantic's errors into problems naming the YAML key path and line."""
    return [source.problem(m.path, m.text) for m in messages(exc, data, model)]


class Message(typing.NamedTuple):
    path: KeyPath
    text: str
    #: pydantic's error type, e.g. ``extra_forbidden``.
    kind: str


def messages(exc: PydanticValidationError, data: Any, model: Any) -> list[Message]:
    """pydantic's errors as (YAML key path, message in a planner's words).

    pydantic's locations include the tags of discriminated unions (``scale_demand``) and the
    markers of dictionary keys; they are dropped, so a location is a path in the YAML.
    ``model`` is the model class (or annotation) ``data`` was validated as.
    """
    found = []
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        path = _walk(model, data, loc)[0]
        kind = error["type"]
        ctx = error.get("ctx") or {}
        value = error.get("input")
        if kind == "extra_forbidden":
            key = loc[-1]
            expected = _fields_at(model, data, loc[:-1]) or []
            message = f"unknown key '{key}'"
            if expected:
                message += f"; expected one of {one_of(expected)}{suggest(key, expected)}"
        elif kind == "missing":
            message = f"missing key '{loc[-1]}'"
            path = _walk(model, data, loc[:-1])[0]
        elif kind == "union_tag_invalid":
            tags = [t.strip(" '") for t in str(ctx.get("expected_tags", "")).split(",")]
            tag_key = str(ctx.get("discriminator", "kind")).strip("'")
            message = (
                f"unknown {tag_key} '{ctx.get('tag')}'; expected one of {one_of(tags)}"
                f"{suggest(ctx.get('tag'), tags)}"
            )
            path = (*path, tag_key)
        elif kind == "union_tag_not_found":
            message = f"missing key '{str(ctx.get('discriminator', 'kind')).strip(chr(39))}'"
        elif kind == "literal_error":
            expected = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            message = f"found {_shown(value)}; expected one of {one_of(expected)}"
            message += suggest(value, expected)
        elif kind in ("value_error", "assertion_error"):
            message = (
                str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
            )
        else:
            text = str(error["msg"])
            message = f"found {_shown(value)}: {text[:1].lower()}{text[1:]}"
        found.append(Message(path, message, kind))
    return found


def _shown(value: object) -> str:
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value)


def _walk(model: Any, data: Any, loc: tuple[Any, ...]) -> tuple[KeyPath, Any]:
    """Follow pydantic's ``loc`` through the data and the annotations together.

    Returns the YAML key path (the part of ``loc`` present in the data, without the tags of
    discriminated unions, which name a model rather than a key) and the annotation reached.
    """
    path: list[str | int] = []
    current: Any = data
    annotation: Any = model
    for part in loc:
        annotation = _strip(annotation)
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            tagged = [a for a in typing.get_args(annotation) if _is_model(a) and _tag(a) == part]
            if tagged:
                annotation = tagged[0]
                continue
        annotation = _child(annotation, part)
        in_mapping = isinstance(current, Mapping) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_mapping or in_list:
            path.append(part)
            current = current[part]
    return tuple(path), annotation


def _child(annotation: Any, part: Any) -> Any:
    """The annotation of ``part`` inside a value annotated ``annotation`` (None if unknown)."""
    if _is_model(annotation):
        field_info = annotation.model_fields.get(part) if isinstance(part, str) else None
        return None if field_info is None else field_info.annotation
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, tuple, Sequence) and isinstance(part, int) and args:
        return args[0]
    if origin in (dict, Mapping) and len(args) == 2:
        return annotation if part == "[key]" else args[1]
    return None


def _fields_at(model: Any, data: Any, loc: tuple[Any, ...]) -> list[str] | None:
    """Field names of the model found at ``loc`` below ``model`` (None when not a model)."""
    annotation = _strip(_walk(model, data, loc)[1])
    return list(annotation.model_fields) if _is_model(annotation) else None


def _strip(annotation: Any) -> Any:
    """``Annotated[X, …]`` → X; ``X | None`` → X."""
    while True:
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
            continue
        if typing.get_origin(annotation) in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
        return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _tag(model: type[BaseModel]) -> object:
    kind = model.model_fields.get("kind")
    return None if kind is None else kind.default


def read_text(path: Path) -> str:
    """The file's text; a missing or unreadable file is a :class:`ScenarioError`."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ScenarioError([Problem(str(path), None, "", "no such file")]) from None
    except IsADirectoryError:
        raise ScenarioError(
            [Problem(str(path), None, "", "is a folder; expected a YAML file")]
        ) from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            [Problem(str(path), None, "", f"not UTF-8 text ({exc.reason} at byte {exc.start})")]
        ) from None
