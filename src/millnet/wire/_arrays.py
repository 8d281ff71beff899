"""Small helpers shared by the vectorised wire functions: inputs in, outputs out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeAlias

import numpy as np
import polars as pl

#: A number, a sequence of numbers, a numpy array or a polars Series.
ArrayLike: TypeAlias = float | int | np.number | Sequence[Any] | np.ndarray | pl.Series
#: What the vectorised functions return: a numpy scalar for scalar input, else an array.
FloatOut: TypeAlias = np.floating[Any] | np.ndarray


def as_float_array(values: ArrayLike) -> np.ndarray:
    """``values`` as a float ndarray (a polars Series, list, scalar or array)."""
    if isinstance(values, pl.Series):
        return values.cast(pl.Float64).to_numpy()
    return np.asarray(values, dtype=float)


def as_object_array(values: Any) -> np.ndarray:
    """``values`` as an object ndarray (strings, ints or None), a scalar as 0-d."""
    if isinstance(values, pl.Series):
        return np.asarray(values.to_list(), dtype=object)
    return np.asarray(values, dtype=object)


def out(values: np.ndarray) -> FloatOut:
    """Unwrap a 0-d result to a numpy scalar so scalar input gives scalar output."""
    return values[()] if values.ndim == 0 else values


def first_index(mask: np.ndarray) -> tuple[int, ...] | None:
    """Index of the first True in ``mask`` (None when there is none), as a tuple."""
    if mask.ndim == 0:
        return () if bool(mask) else None
    hits = np.argwhere(mask)
    if len(hits) == 0:
        return None
    return tuple(int(i) for i in hits[0])


def where_text(index: tuple[int, ...]) -> str:
    """How an element is named in an error: nothing for a scalar, ``element i`` otherwise."""
    if not index:
        return ""
    return f" (element {index[0] if len(index) == 1 else index})"
