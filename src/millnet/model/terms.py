"""Sparse rows of the model from flat term lists, added to linopy as frozen (CSR) constraints.

Rows with a variable number of terms (a capacity row sums the lanes loading it) are given as
parallel arrays (row, variable label, coefficient), label −1 meaning no term. They become one
sparse matrix per family, handed to linopy as a frozen constraint: linopy keeps it as a CSR
matrix instead of a padded (row, term) array, which is what makes adding a family cheap.
Everything is numpy; no Python loop over rows or terms.
"""

from __future__ import annotations

from typing import Literal

import linopy
import numpy as np
import pandas as pd
import scipy.sparse
import xarray as xr
from linopy.constraints import CSRConstraint
from linopy.csr import CSRLinearExpression, Grid

Sign = Literal["<=", ">=", "="]


def pack(
    m: linopy.Model,
    dim: str,
    n_rows: int,
    row: np.ndarray,
    label: np.ndarray,
    coeff: np.ndarray,
) -> CSRLinearExpression:
    """Σ over the terms of each row: the expression with one entry per row ``0 … n_rows−1`` of
    ``dim``. Terms keep their given order within a row; a variable given twice in a row is
    summed into one term."""
    label = np.asarray(label, dtype=np.int64)
    keep = label >= 0
    row = np.asarray(row, dtype=np.int64)[keep]
    label = label[keep]
    coeff = np.broadcast_to(np.asarray(coeff, dtype=float), keep.shape)[keep]
    order = np.argsort(row, kind="stable")
    row, label, coeff = row[order], label[order], coeff[order]
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=n_rows), out=indptr[1:])
    csr = scipy.sparse.csr_array((coeff, label, indptr), shape=(n_rows, m._xCounter))
    if _has_duplicates(row, label, m._xCounter):
        csr.sum_duplicates()
    grid = Grid({dim: pd.RangeIndex(n_rows, name=dim)})
    return CSRLinearExpression(csr, np.zeros(n_rows), grid, m)


def _has_duplicates(row: np.ndarray, label: np.ndarray, n_labels: int) -> bool:
    if row.size < 2:
        return False
    key = row * max(n_labels, 1) + label
    return bool(np.unique(key).size < key.size)


def constrain(
    m: linopy.Model,
    name: str,
    lhs: CSRLinearExpression,
    sign: Sign,
    rhs: float | np.ndarray = 0.0,
    mask: np.ndarray | None = None,
    scaling: np.ndarray | None = None,
) -> None:
    """Add the rows ``lhs sign rhs`` under ``name``; ``rhs`` is a number or one value per row,
    ``mask`` (one bool per row) leaves out the rows where it is False, ``scaling`` (one positive
    number per row) multiplies the rows as the solver sees them."""
    (dim,) = lhs.grid.dims
    index = lhs.grid.indexes[dim]
    if np.ndim(rhs) == 0:
        rhs_array = xr.DataArray(float(rhs))
    else:
        rhs_array = xr.DataArray(np.asarray(rhs, dtype=float), coords={dim: index}, dims=dim)
    con = CSRConstraint.from_csr(lhs, sign, rhs_array)
    mask_array = (
        None
        if mask is None
        else xr.DataArray(np.asarray(mask, dtype=bool), coords={dim: index}, dims=dim)
    )
    scaling_array: float | xr.DataArray = (
        1.0 if scaling is None else xr.DataArray(scaling, coords={dim: index}, dims=dim)
    )
    m.add_constraints(con, name=name, mask=mask_array, freeze=True, scaling=scaling_array)


def linear_sum(m: linopy.Model, label: np.ndarray, coeff: np.ndarray) -> linopy.LinearExpression:
    """Σ coeff · variable over the given terms as one scalar expression (an objective): a
    variable given more than once gets the sum of its coefficients; labels −1 and zero sums are
    left out."""
    label = np.asarray(label, dtype=np.int64)
    keep = label >= 0
    total = np.bincount(label[keep], weights=np.asarray(coeff, dtype=float)[keep])
    used = np.flatnonzero(total)
    data = xr.Dataset({"vars": ("_term", used), "coeffs": ("_term", total[used]), "const": 0.0})
    return linopy.LinearExpression(data, m)


def variables(
    m: linopy.Model,
    name: str,
    coords: list[pd.Index],
    lower: float | np.ndarray = 0.0,
    upper: float | np.ndarray = np.inf,
    binary: bool = False,
    scaling: np.ndarray | None = None,
) -> np.ndarray:
    """Add variables ``name`` over ``coords`` (named indexes) with bounds given as numbers or
    arrays of the coords' shape; return their labels. Bounds go to linopy as arrays on the
    coords (its quickest path). ``scaling`` (positive, the coords' shape) makes the solver's
    column scaling × variable."""
    shape = tuple(len(index) for index in coords)
    dims = tuple(str(index.name) for index in coords)

    def bound(value: float | np.ndarray) -> xr.DataArray:
        values = np.array(np.broadcast_to(np.asarray(value, dtype=float), shape))
        return xr.DataArray(values, coords=coords, dims=dims)

    var = m.add_variables(
        lower=bound(lower),
        upper=bound(upper),
        name=name,
        binary=binary,
        scaling=1 if scaling is None else bound(scaling),
    )
    return labels(var)


def labels(var: linopy.Variable) -> np.ndarray:
    """The variable's integer labels as a numpy array (−1 where masked)."""
    return np.asarray(var.labels.values)
