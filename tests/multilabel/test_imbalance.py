"""Imbalance measures of multi-label data: IRLbl, MeanIR, SCUMBLE.

Worked example (checked by hand), Y with 4 rows and 3 labels::

    row 0: a b      counts: a 4, b 2, c 1
    row 1: a        IRLbl = max count / count = [4/4, 4/2, 4/1] = [1, 2, 4]
    row 2: a   c    MeanIR = (1 + 2 + 4) / 3 = 7/3
    row 3: a b

SCUMBLE of a row = 1 - geometric mean / arithmetic mean of the IRLbl of its
labels (Charte et al. 2014; the definition of the R package mldr, where a
row without labels counts 0):
row 0: 1 - sqrt(1 * 2) / 1.5, row 1: 0, row 2: 1 - sqrt(1 * 4) / 2.5 = 0.2,
row 3 as row 0; SCUMBLE = their mean.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numpy.testing import assert_allclose
from scipy import sparse

from sklabels.multilabel import (
    imbalance_ratio_per_label,
    mean_imbalance_ratio,
    scumble,
)

Y_WORKED = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]])
SCUMBLE_ROW0 = 1 - np.sqrt(2) / 1.5


def _mldr_scumble_rows(Y):
    """mldr's SCUMBLE per row, transcribed: products over present labels."""
    Y = np.asarray(Y, dtype=float)
    counts = Y.sum(axis=0)
    irlbl = counts.max() / counts
    ir = Y * irlbl
    n_labels = Y.sum(axis=1)
    means = ir.sum(axis=1) / np.where(n_labels > 0, n_labels, 1)
    prods = np.where(ir == 0, 1.0, ir).prod(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        rows = 1 - prods ** (1 / n_labels) / means
    return np.where(n_labels > 0, rows, 0.0)


def test_imbalance_ratio_per_label_worked_example():
    assert_allclose(imbalance_ratio_per_label(Y_WORKED), [1.0, 2.0, 4.0])


def test_mean_imbalance_ratio_worked_example():
    assert mean_imbalance_ratio(Y_WORKED) == pytest.approx(7 / 3)


def test_scumble_worked_example():
    total, rows = scumble(Y_WORKED, return_rows=True)
    expected = [SCUMBLE_ROW0, 0.0, 0.2, SCUMBLE_ROW0]
    assert_allclose(rows, expected, atol=1e-12)
    assert total == pytest.approx(np.mean(expected))
    assert scumble(Y_WORKED) == pytest.approx(np.mean(expected))


def test_scumble_matches_mldr_definition_on_random_data():
    rng = np.random.RandomState(0)
    Y = (rng.random_sample((200, 7)) < [0.6, 0.4, 0.2, 0.1, 0.05, 0.5, 0.3]).astype(int)
    Y[0] = 1  # every label present
    total, rows = scumble(Y, return_rows=True)
    assert_allclose(rows, _mldr_scumble_rows(Y), atol=1e-12)
    assert total == pytest.approx(_mldr_scumble_rows(Y).mean())


def test_scumble_rows_without_labels_count_zero():
    Y = np.array([[1, 0], [0, 0], [1, 1], [0, 0]])
    total, rows = scumble(Y, return_rows=True)
    assert rows[1] == 0 and rows[3] == 0
    assert total == pytest.approx(rows[2] / 4)


def test_scumble_zero_when_labels_equally_frequent():
    Y = np.array([[1, 1, 0], [0, 1, 1], [1, 0, 1]])
    assert scumble(Y) == pytest.approx(0.0, abs=1e-12)
    assert mean_imbalance_ratio(Y) == 1.0


@pytest.mark.parametrize(
    "container",
    [
        np.asarray,
        lambda Y: np.asarray(Y, dtype=bool),
        lambda Y: np.asarray(Y, dtype=float),
        sparse.csr_matrix,
        sparse.csc_array,
        lambda Y: pd.DataFrame(Y, columns=["a", "b", "c"]),
        lambda Y: np.asarray(Y).tolist(),
    ],
    ids=["int", "bool", "float", "csr", "csc_array", "dataframe", "list"],
)
def test_imbalance_measures_same_for_every_container(container):
    Y = container(Y_WORKED)
    assert_allclose(imbalance_ratio_per_label(Y), [1.0, 2.0, 4.0])
    assert mean_imbalance_ratio(Y) == pytest.approx(7 / 3)
    assert scumble(Y) == pytest.approx(scumble(Y_WORKED))


@pytest.mark.parametrize(
    "func", [imbalance_ratio_per_label, mean_imbalance_ratio, scumble]
)
def test_imbalance_measures_refuse_label_in_no_row(func):
    Y = np.array([[1, 0, 0], [1, 1, 0]])
    with pytest.raises(
        ValueError, match=r"Y has label column\(s\) \[2\] present in no"
    ):
        func(Y)


@pytest.mark.parametrize(
    "func", [imbalance_ratio_per_label, mean_imbalance_ratio, scumble]
)
def test_imbalance_measures_refuse_1d_y(func):
    with pytest.raises(ValueError, match=r"Y must be a 2-D indicator matrix.*\(4,\)"):
        func(np.array([1, 0, 1, 1]))


@pytest.mark.parametrize(
    "func", [imbalance_ratio_per_label, mean_imbalance_ratio, scumble]
)
def test_imbalance_measures_refuse_non_binary_y(func):
    with pytest.raises(ValueError, match=r"got 3 distinct values \[0, 1, 2\]"):
        func(np.array([[0, 1], [2, 1]]))
    with pytest.raises(ValueError, match="Y contains NaN"):
        func(np.array([[0.0, 1.0], [np.nan, 1.0]]))


def test_scumble_refuses_non_boolean_return_rows():
    with pytest.raises(ValueError, match="'return_rows' parameter of scumble"):
        scumble(Y_WORKED, return_rows="yes")


_label_matrices = arrays(
    np.int8,
    st.tuples(st.integers(1, 30), st.integers(1, 6)),
    elements=st.integers(0, 1),
).filter(lambda Y: Y.any(axis=0).all())


@settings(max_examples=60, deadline=None)
@given(_label_matrices)
def test_imbalance_measures_properties(Y):
    irlbl = imbalance_ratio_per_label(Y)
    assert irlbl.min() == 1.0 and (irlbl >= 1).all()
    mean_ir = mean_imbalance_ratio(Y)
    assert 1.0 <= mean_ir <= irlbl.max()
    total, rows = scumble(Y, return_rows=True)
    assert 0.0 <= total < 1.0 and ((rows >= 0) & (rows < 1)).all()
    assert_allclose(rows, _mldr_scumble_rows(Y), atol=1e-9)
    # a data set stacked twice, or its rows shuffled, is as imbalanced
    twice = np.concatenate([Y, Y[::-1]])
    assert_allclose(imbalance_ratio_per_label(twice), irlbl)
    assert scumble(twice) == pytest.approx(total)
