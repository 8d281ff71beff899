"""Linear expressions from flat term lists: the sparse rows of the model.

Rows with a variable number of terms (a capacity row sums the lanes loading it) are given as
parallel arrays (row, variable label, coefficient) and packed into linopy's (row, _term) layout,
padded with label −1 (no variable). Everything is numpy; no Python loop over rows or terms.
"""

from __future__ import annotations

import linopy
import numpy as np
import xarray as xr


def pack(
    m: linopy.Model,
    dim: str,
    n_rows: int,
    row: np.ndarray,
    label: np.ndarray,
    coeff: np.ndarray,
) -> linopy.LinearExpression:
    """Σ over the terms of each row: the expression with one entry per row ``0 … n_rows−1``."""
    row = np.asarray(row, dtype=np.int64)
    keep = np.asarray(label) >= 0
    row, label, coeff = row[keep], np.asarray(label)[keep], np.asarray(coeff, dtype=float)[keep]
    order = np.argsort(row, kind="stable")
    row, label, coeff = row[order], label[order], coeff[order]
    counts = np.bincount(row, minlength=n_rows)
    width = max(int(counts.max(initial=0)), 1)
    starts = np.cumsum(counts) - counts
    position = np.arange(row.size) - np.repeat(starts, counts)
    labels = np.full((n_rows, width), -1, dtype=np.int64)
    coeffs = np.zeros((n_rows, width))
    labels[row, position] = label
    coeffs[row, position] = coeff
    data = xr.Dataset(
        {
            "vars": ((dim, "_term"), labels),
            "coeffs": ((dim, "_term"), coeffs),
            "const": ((dim,), np.zeros(n_rows)),
        },
        coords={dim: np.arange(n_rows)},
    )
    return linopy.LinearExpression(data, m)


def labels(var: linopy.Variable) -> np.ndarray:
    """The variable's integer labels as a numpy array (−1 where masked)."""
    return np.asarray(var.labels.values)
