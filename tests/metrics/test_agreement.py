"""Tests for the agreement metrics of sklabels.metrics.

Published worked examples, peers as oracles (the ``krippendorff`` package,
``sklearn.metrics.cohen_kappa_score``), the bootstrap against explicitly
resampled matrices, hypothesis properties, and every error path.
"""

import pickle
import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import cohen_kappa_score
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.aggregation import DawidSkene, MajorityVote, to_label_matrix
from sklabels.aggregation import _matrix as _agg_matrix
from sklabels.metrics import (
    _agreement,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    pairwise_cohen_kappa,
    percent_agreement,
)
from sklabels.metrics._bootstrap import bootstrap_weights
from sklabels.utils._label_matrix import LabelMatrix

LEVELS = ["nominal", "ordinal", "interval", "ratio"]
SCALAR_METRICS = [fleiss_kappa, gwet_ac1, percent_agreement, krippendorff_alpha]


def _from_table(table):
    """Label matrix from a (n_items, K) table of label counts per item."""
    table = np.asarray(table)
    return np.array([np.repeat(np.arange(table.shape[1]), row) for row in table])


def _quiet(func, *args, **kwargs):
    """``func(*args, **kwargs)`` with undefined-metric (and sklearn's) warnings off."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        warnings.filterwarnings("ignore", "A single label was found")
        return func(*args, **kwargs)


def _random_matrix(rng, n_items, n_sources, n_classes, missing):
    L = rng.integers(0, n_classes, size=(n_items, n_sources))
    L[rng.random(L.shape) < missing] = -1
    return L


def _crowd(seed, n_items=80, n_sources=5, n_classes=3, accuracy=0.75, missing=0.2):
    """Annotators right with probability ``accuracy``, else a random class."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, size=n_items)
    noise = rng.integers(0, n_classes, size=(n_items, n_sources))
    right = rng.random((n_items, n_sources)) < accuracy
    L = np.where(right, truth[:, np.newaxis], noise)
    L[rng.random(L.shape) < missing] = -1
    return L


# --------------------------------------------------------------------------
# Published worked examples

# Wikipedia's Fleiss' kappa example: 10 subjects, 14 raters, 5 categories.
WIKIPEDIA_TABLE = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]

# Fleiss (1971): 30 patients, 6 psychiatrists, 5 diagnoses (1..5), as in R's
# irr::diagnoses; kappa = 0.430 (irr::kappam.fleiss: 0.4302445).
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": 4 coders
# (rows) x 12 units (columns), values 1..5, missing as NaN. Also Gwet's (2014)
# ``cac.raw4raters`` data set of the irrCAC R package.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
)
# Our orientation: items x sources, -1 for missing.
KRIPPENDORFF_L = np.where(np.isnan(KRIPPENDORFF_2011), -1, KRIPPENDORFF_2011).T.astype(
    int
)

# Gwet (2014), irrCAC ``distrib.6raters``: 15 patients, 6 raters, 5 categories.
DISTRIB_6RATERS = [
    [0, 0, 0, 6, 0],
    [0, 3, 0, 0, 3],
    [0, 1, 4, 0, 1],
    [0, 0, 0, 0, 6],
    [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0],
    [0, 0, 4, 0, 2],
    [2, 0, 3, 1, 0],
    [2, 0, 0, 4, 0],
    [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0],
    [1, 1, 0, 4, 0],
    [0, 3, 3, 0, 0],
    [1, 0, 0, 5, 0],
    [0, 2, 0, 3, 1],
]

# Gwet (2014), irrCAC ``cont3x3abstractors``: 2 abstractors x 100 women.
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]


def _fleiss_1971(table):
    """Fleiss' (1971) formulas for a complete table, written as plain loops."""
    n_raters = sum(table[0])
    p_items = [
        (sum(c * c for c in row) - n_raters) / (n_raters * (n_raters - 1))
        for row in table
    ]
    total = len(table) * n_raters
    p_classes = [sum(row[j] for row in table) / total for j in range(len(table[0]))]
    p_bar, p_e = sum(p_items) / len(table), sum(p * p for p in p_classes)
    return p_bar, p_e, (p_bar - p_e) / (1 - p_e)


def test_fleiss_kappa_wikipedia_example():
    kappa = fleiss_kappa(_from_table(WIKIPEDIA_TABLE))
    p_bar, p_e, reference = _fleiss_1971(WIKIPEDIA_TABLE)
    assert (round(p_bar, 3), round(p_e, 3), round(kappa, 3)) == (0.378, 0.213, 0.210)
    assert_allclose(kappa, reference, rtol=1e-12)
    assert_allclose(percent_agreement(_from_table(WIKIPEDIA_TABLE)), p_bar, rtol=1e-12)


def test_fleiss_kappa_fleiss_1971_example():
    assert round(fleiss_kappa(FLEISS_1971 - 1), 3) == 0.430
    assert_allclose(fleiss_kappa(FLEISS_1971 - 1), 0.4302445, atol=5e-8)
    # labels 1..5 as given: class 0 unused, same kappa
    assert_allclose(fleiss_kappa(FLEISS_1971), fleiss_kappa(FLEISS_1971 - 1))


@pytest.mark.parametrize(
    "level, published",
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_krippendorff_2011_example(level, published):
    alpha = krippendorff_alpha(KRIPPENDORFF_L, level)
    assert round(alpha, 3) == published
    reference = krippendorff.alpha(KRIPPENDORFF_2011, level_of_measurement=level)
    assert_allclose(alpha, reference, rtol=0, atol=1e-12)
    # the same data as a float matrix with NaN, and in the package's orientation
    assert_allclose(krippendorff_alpha(KRIPPENDORFF_2011.T, level), alpha, atol=1e-12)


def test_irrcac_cac_raw4raters_example():
    # Gwet (2014) / irrCAC on Krippendorff's data, categories 1..5 -> codes 0..4
    L = np.where(KRIPPENDORFF_L < 0, -1, KRIPPENDORFF_L - 1)
    assert_allclose(percent_agreement(L), 0.8181818, atol=5e-8)
    assert_allclose(gwet_ac1(L), 0.77544, atol=5e-6)  # pe = 0.1903212
    assert_allclose(fleiss_kappa(L), 0.76117, atol=5e-6)  # pe = 0.2387153
    assert_allclose(krippendorff_alpha(L), 0.74342, atol=5e-6)


def test_irrcac_distrib_6raters_example():
    L = _from_table(DISTRIB_6RATERS)
    assert_allclose(fleiss_kappa(L), 0.4139265, atol=5e-8)
    assert_allclose(gwet_ac1(L), 0.4448007, atol=5e-8)
    assert_allclose(percent_agreement(L), 0.5511111, atol=5e-8)


def test_irrcac_abstractors_example():
    table = np.asarray(ABSTRACTORS)
    L = np.array(
        [(i, j) for i in range(3) for j in range(3) for _ in range(table[i, j])]
    )
    assert_allclose(pairwise_cohen_kappa(L)[0, 1], 0.7964094, atol=5e-8)
    assert_allclose(gwet_ac1(L), 0.8493305, atol=5e-8)
    assert_allclose(percent_agreement(L), 0.89, atol=1e-12)
    assert_allclose(fleiss_kappa(L), 0.7962397, atol=5e-8)  # Scott's pi
    assert_allclose(krippendorff_alpha(L), 0.7972585, atol=5e-8)


def test_krippendorff_alpha_package_docstring_example():
    # 3 coders x 15 units, from the krippendorff package's documentation
    data = np.array(
        [
            [np.nan] * 5 + [3, 4, 1, 2, 1, 1, 3, 3, np.nan, 3],
            [1, np.nan, 2, 1, 3, 3, 4, 3] + [np.nan] * 7,
            [np.nan, np.nan, 2, 1, 3, 4, 4, np.nan, 2, 1, 1, 3, 3, np.nan, 4],
        ]
    )
    assert round(krippendorff_alpha(data.T, "nominal"), 6) == 0.691358
    assert round(krippendorff_alpha(data.T, "interval"), 6) == 0.810845


# --------------------------------------------------------------------------
# Peers on random data


@pytest.mark.parametrize("seed", range(40))
def test_krippendorff_alpha_matches_package_on_label_matrices(seed):
    rng = np.random.default_rng(seed)
    n_items, n_sources = rng.integers(2, 60), rng.integers(2, 9)
    L = _random_matrix(rng, n_items, n_sources, rng.integers(2, 8), rng.random() * 0.6)
    if seed % 3 == 0:  # mostly agreeing data too
        L = np.where(rng.random(L.shape) < 0.7, L[:, :1], L)
        L[rng.random(L.shape) < 0.2] = -1
    reliability_data = np.where(L < 0, np.nan, L).T
    for level in LEVELS:
        try:
            reference = krippendorff.alpha(reliability_data, level_of_measurement=level)
        except ValueError:  # the package refuses data without variation
            continue
        ours = _quiet(krippendorff_alpha, L, level)
        assert_allclose(ours, reference, rtol=0, atol=1e-9, equal_nan=True)


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("level", ["interval", "ratio"])
def test_krippendorff_alpha_matches_package_on_real_values(seed, level):
    rng = np.random.default_rng(seed)
    n_items, n_sources = rng.integers(2, 50), rng.integers(2, 7)
    X = rng.normal(loc=5.0, scale=rng.uniform(0.1, 5), size=(n_items, n_sources))
    X += rng.normal(scale=3, size=(n_items, 1))  # items differ: positive alpha
    if level == "ratio":
        X = np.abs(X)
    if seed % 4 == 0:
        X = np.round(X)  # ties between values
    X[rng.random(X.shape) < 0.3] = np.nan
    if np.count_nonzero((~np.isnan(X)).sum(axis=1) >= 2) == 0:
        return
    reference = krippendorff.alpha(X.T, level_of_measurement=level)
    assert_allclose(krippendorff_alpha(X, level), reference, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(25))
def test_pairwise_cohen_kappa_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    n_sources = rng.integers(2, 7)
    L = _random_matrix(rng, rng.integers(2, 50), n_sources, rng.integers(2, 6), 0.3)
    if seed % 2:
        L = np.where(rng.random(L.shape) < 0.6, L[:, :1], L)
    kappa = _quiet(pairwise_cohen_kappa, L, min_overlap=1)
    assert_array_equal(kappa, kappa.T)
    assert_array_equal(np.diag(kappa), 1.0)
    for s in range(n_sources):
        for t in range(n_sources):
            both = (L[:, s] >= 0) & (L[:, t] >= 0)
            if s == t:
                continue
            if not both.any():
                assert np.isnan(kappa[s, t])
                continue
            reference = _quiet(cohen_kappa_score, L[both, s], L[both, t])
            assert_allclose(kappa[s, t], reference, atol=1e-12, equal_nan=True)


def test_pairwise_cohen_kappa_min_overlap():
    L = _crowd(0, n_items=40, n_sources=4, missing=0.5)
    labelled = (L >= 0).astype(int)
    overlap = labelled.T @ labelled
    threshold = int(np.median(overlap[~np.eye(4, dtype=bool)]))
    kappa = _quiet(pairwise_cohen_kappa, L, min_overlap=threshold)
    full = _quiet(pairwise_cohen_kappa, L, min_overlap=1)
    kept = overlap >= threshold
    assert_allclose(kappa[kept], full[kept])
    assert np.isnan(kappa[~kept]).all()
    # default: 10 co-labelled items
    small = _quiet(pairwise_cohen_kappa, L[:9])
    assert_array_equal(small, np.where(np.eye(4, dtype=bool), 1.0, np.nan))


def test_krippendorff_alpha_and_fleiss_kappa_on_complete_data():
    # Without missing values both share p_a and p_e, and with N values in all
    # 1 - alpha = (1 - kappa) * (N - 1) / N: alpha corrects for small samples.
    L = _crowd(3, n_items=50, n_sources=4, missing=0.0)
    kappa, alpha = fleiss_kappa(L), krippendorff_alpha(L)
    total = L.size
    assert_allclose(1 - alpha, (1 - kappa) * (total - 1) / total, rtol=1e-12)


# --------------------------------------------------------------------------
# Bootstrap


def _kept_rows(L, min_labels):
    return np.flatnonzero((np.asarray(L) >= 0).sum(axis=1) >= min_labels)


BOOTSTRAPPED = [
    (fleiss_kappa, {}, 1),
    (gwet_ac1, {}, 1),
    (percent_agreement, {}, 2),
    *[(krippendorff_alpha, {"level": level}, 2) for level in LEVELS],
]


@pytest.mark.parametrize("func, kwargs, min_labels", BOOTSTRAPPED)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_bootstrap_replicate_is_the_coefficient_of_the_resampled_items(
    func, kwargs, min_labels, seed
):
    # One replicate: its interval is that replicate's value, which must be the
    # coefficient of the matrix whose kept rows are drawn with those weights.
    L = _crowd(seed, n_items=30, n_sources=4, missing=0.4)
    rows = _kept_rows(L, min_labels)
    weights = next(bootstrap_weights(rows.size, 1, seed))[0].astype(int)
    resampled = np.repeat(L[rows], weights, axis=0)
    _, (low, high) = func(
        L, confidence_level=0.9, n_bootstrap=1, random_state=seed, **kwargs
    )
    expected = func(resampled, **kwargs)
    assert_allclose([low, high], [expected, expected], rtol=1e-10)


@pytest.mark.parametrize("seed", [0, 1])
def test_pairwise_bootstrap_replicate_is_the_kappa_of_the_resampled_items(seed):
    L = _crowd(seed, n_items=40, n_sources=4, missing=0.3)
    rows = _kept_rows(L, 2)
    weights = next(bootstrap_weights(rows.size, 1, seed))[0].astype(int)
    resampled = np.repeat(L[rows], weights, axis=0)
    _, (low, high) = pairwise_cohen_kappa(
        L, min_overlap=1, confidence_level=0.9, n_bootstrap=1, random_state=seed
    )
    expected = _quiet(pairwise_cohen_kappa, resampled, min_overlap=1)
    assert_allclose(low, expected, rtol=1e-10)
    assert_allclose(high, expected, rtol=1e-10)


@pytest.mark.parametrize("func, kwargs, _", BOOTSTRAPPED)
def test_bootstrap_is_reproducible_and_seeded(func, kwargs, _):
    L = _crowd(7)
    first = func(L, confidence_level=0.95, n_bootstrap=200, random_state=3, **kwargs)
    second = func(L, confidence_level=0.95, n_bootstrap=200, random_state=3, **kwargs)
    other = func(L, confidence_level=0.95, n_bootstrap=200, random_state=4, **kwargs)
    assert first == second
    assert first[0] == other[0] and first[1] != other[1]
    value, (low, high) = first
    assert value == func(L, **kwargs)
    assert low < value < high
    rng = np.random.RandomState(3)
    assert (
        func(L, confidence_level=0.95, n_bootstrap=200, random_state=rng, **kwargs)
        == first
    )


def test_bootstrap_interval_narrows_with_more_items_and_widens_with_level():
    small, large = _crowd(1, n_items=40), _crowd(1, n_items=400)
    _, (lo_s, hi_s) = fleiss_kappa(small, confidence_level=0.9, random_state=0)
    _, (lo_l, hi_l) = fleiss_kappa(large, confidence_level=0.9, random_state=0)
    assert hi_l - lo_l < hi_s - lo_s
    _, (lo_99, hi_99) = fleiss_kappa(small, confidence_level=0.99, random_state=0)
    assert lo_99 <= lo_s and hi_99 >= hi_s


def test_pairwise_bootstrap_interval_shape_and_diagonal():
    L = _crowd(2, n_items=60, n_sources=4)
    kappa, (low, high) = pairwise_cohen_kappa(
        L, confidence_level=0.9, n_bootstrap=300, random_state=0
    )
    assert low.shape == high.shape == (4, 4)
    assert_array_equal(np.diag(low), 1.0)
    assert_array_equal(np.diag(high), 1.0)
    assert_array_equal(low, low.T)
    assert (low <= kappa).all() and (kappa <= high).all()


def test_bootstrap_with_undefined_replicates_warns():
    # Two classes, one item of the minority class: some replicates miss it.
    L = [[0, 0]] * 6 + [[1, 1]]
    with pytest.warns(UndefinedMetricWarning, match=r"undefined in \d+ of the 200"):
        kappa, (low, high) = fleiss_kappa(
            L, confidence_level=0.9, n_bootstrap=200, random_state=0
        )
    assert kappa == 1.0 and low == high == 1.0


@pytest.mark.parametrize("func, kwargs, _", BOOTSTRAPPED)
def test_empty_rows_change_nothing(func, kwargs, _):
    L = _crowd(5, n_items=40)
    padded = np.vstack(
        [np.full((7, L.shape[1]), -1), L[:20], np.full((3, 5), -1), L[20:]]
    )
    args = {"confidence_level": 0.9, "n_bootstrap": 100, "random_state": 0, **kwargs}
    assert func(padded, **args) == func(L, **args)


# --------------------------------------------------------------------------
# Properties (hypothesis)


@st.composite
def label_matrices(draw, max_items=15, max_sources=5, max_classes=4):
    n_items = draw(st.integers(2, max_items))
    n_sources = draw(st.integers(2, max_sources))
    n_classes = draw(st.integers(2, max_classes))
    values = draw(
        st.lists(
            st.integers(-1, n_classes - 1),
            min_size=n_items * n_sources,
            max_size=n_items * n_sources,
        )
    )
    return np.array(values).reshape(n_items, n_sources), n_classes


PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _all_metrics(L, n_classes):
    out = {
        "fleiss": fleiss_kappa(L),
        "ac1": gwet_ac1(L, n_classes=max(n_classes, 2)),
        "percent": percent_agreement(L),
    }
    for level in LEVELS:
        out[level] = krippendorff_alpha(L, level)
    return out


@PROPERTY_SETTINGS
@given(data=label_matrices(), seed=st.integers(0, 2**32 - 1))
def test_invariant_to_item_and_source_order(data, seed):
    L, n_classes = data
    rng = np.random.default_rng(seed)
    rows, cols = rng.permutation(L.shape[0]), rng.permutation(L.shape[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        before = _all_metrics(L, n_classes)
        after = _all_metrics(L[rows][:, cols], n_classes)
        kappa = pairwise_cohen_kappa(L, min_overlap=1)
        permuted = pairwise_cohen_kappa(L[rows][:, cols], min_overlap=1)
    for name, value in before.items():
        assert_allclose(after[name], value, rtol=1e-10, atol=1e-12, equal_nan=True)
    assert_allclose(
        permuted, kappa[cols][:, cols], rtol=1e-10, atol=1e-12, equal_nan=True
    )


@PROPERTY_SETTINGS
@given(data=label_matrices(), seed=st.integers(0, 2**32 - 1))
def test_nominal_coefficients_invariant_to_relabelling_classes(data, seed):
    L, n_classes = data
    mapping = np.random.default_rng(seed).permutation(n_classes)
    relabelled = np.where(L >= 0, mapping[np.maximum(L, 0)], -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        pairs = [
            (fleiss_kappa(L), fleiss_kappa(relabelled)),
            (
                gwet_ac1(L, n_classes=n_classes),
                gwet_ac1(relabelled, n_classes=n_classes),
            ),
            (percent_agreement(L), percent_agreement(relabelled)),
            (krippendorff_alpha(L), krippendorff_alpha(relabelled)),
        ]
        kappa = pairwise_cohen_kappa(L, min_overlap=1)
        relabelled_kappa = pairwise_cohen_kappa(relabelled, min_overlap=1)
    for before, after in pairs:
        assert_allclose(after, before, rtol=1e-10, atol=1e-12, equal_nan=True)
    assert_allclose(relabelled_kappa, kappa, rtol=1e-10, atol=1e-12, equal_nan=True)


@PROPERTY_SETTINGS
@given(
    n_items=st.integers(2, 20),
    n_sources=st.integers(2, 6),
    n_classes=st.integers(2, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_perfect_agreement_gives_one(n_items, n_sources, n_classes, seed):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, n_classes, size=n_items)
    truth[:2] = [0, 1]  # at least two classes
    labelled = rng.random((n_items, n_sources)) < 0.7
    labelled[:2, :2] = True  # two items with two labels each
    L = np.where(labelled, truth[:, np.newaxis], -1)
    assert fleiss_kappa(L) == pytest.approx(1.0)
    assert gwet_ac1(L) == pytest.approx(1.0)
    assert percent_agreement(L) == 1.0
    for level in LEVELS:
        assert krippendorff_alpha(L, level) == pytest.approx(1.0)
    kappa = _quiet(pairwise_cohen_kappa, L, min_overlap=1)
    assert np.all(np.isnan(kappa) | np.isclose(kappa, 1.0))
    # a single class everywhere: AC1 and percent agreement stay 1
    single = np.where(labelled, 0, -1)
    assert gwet_ac1(single) == 1.0 and percent_agreement(single) == 1.0


@settings(max_examples=30, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**32 - 1), accuracy=st.floats(0.5, 0.95))
def test_bootstrap_interval_contains_the_estimate(seed, accuracy):
    L = _crowd(seed, n_items=100, n_sources=4, accuracy=accuracy)
    args = {"confidence_level": 0.95, "n_bootstrap": 200, "random_state": seed}
    for func, kwargs, _ in BOOTSTRAPPED:
        value, (low, high) = func(L, **args, **kwargs)
        assert low <= value <= high, (func.__name__, kwargs)
    kappa, (low, high) = pairwise_cohen_kappa(L, **args)
    assert ((low <= kappa) & (kappa <= high)).all()


@PROPERTY_SETTINGS
@given(data=label_matrices())
def test_coefficients_are_at_most_one(data):
    L, n_classes = data
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        values = _all_metrics(L, n_classes)
        values["cohen"] = np.nanmax(pairwise_cohen_kappa(L, min_overlap=1))
    for name, value in values.items():
        assert np.isnan(value) or value <= 1 + 1e-12, name
    assert np.isnan(values["percent"]) or values["percent"] >= 0


# --------------------------------------------------------------------------
# Definitions, input formats and implementation paths


def test_percent_agreement_definition():
    L = [[0, 0, 0], [0, 0, 1], [1, 1, -1], [2, -1, -1], [-1, -1, -1]]
    # pairs: 3/3, 1/3, 1/1; the items with fewer than two labels are left out
    assert percent_agreement(L) == pytest.approx((1 + 1 / 3 + 1) / 3)


def test_gwet_ac1_depends_on_the_number_of_classes_but_kappa_does_not():
    L = _crowd(4, n_classes=3)
    assert gwet_ac1(L, n_classes=5) != gwet_ac1(L)
    assert gwet_ac1(L) == gwet_ac1(L, n_classes=3)
    assert fleiss_kappa(L, n_classes=5) == fleiss_kappa(L)
    assert krippendorff_alpha(L, n_classes=5) == krippendorff_alpha(L)


def test_gwet_ac1_kappa_paradox():
    # 90% raw agreement on a dominant class: kappa near 0, AC1 high.
    L = [[0, 0]] * 18 + [[0, 1], [1, 0]]
    assert fleiss_kappa(L) < 0 < 0.85 < gwet_ac1(L)


def test_krippendorff_alpha_two_coders_complete_matches_formula():
    # nominal alpha of 2 coders without missing values (Krippendorff 2011, A)
    L = _crowd(9, n_items=30, n_sources=2, missing=0.0)
    n = L.size
    counts = np.bincount(L.ravel())
    disagree = np.count_nonzero(L[:, 0] != L[:, 1])
    expected = 1 - (n - 1) * 2 * disagree / (n * n - np.sum(counts**2))
    assert_allclose(krippendorff_alpha(L), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "container",
    [
        lambda L: L.tolist(),
        lambda L: L,
        lambda L: np.where(L < 0, np.nan, L),
        lambda L: L.astype(float),  # -1.0 also marks a missing label
        lambda L: pd.DataFrame(L),
        lambda L: pd.DataFrame(np.where(L < 0, np.nan, L)),
        lambda L: pd.DataFrame(L).astype("Int64").mask(pd.DataFrame(L) < 0),
        lambda L: np.where(L < 0, None, L).astype(object),
        lambda L: L.astype(np.int8),
    ],
)
def test_input_containers(container):
    L = _crowd(6, n_items=30, n_sources=4)
    for func in [fleiss_kappa, gwet_ac1, percent_agreement]:
        assert func(container(L)) == pytest.approx(func(L), rel=1e-12)
    for level in ["nominal", "ordinal"]:
        assert krippendorff_alpha(container(L), level) == pytest.approx(
            krippendorff_alpha(L, level), rel=1e-12
        )
    assert_allclose(
        pairwise_cohen_kappa(container(L), min_overlap=1),
        pairwise_cohen_kappa(L, min_overlap=1),
    )


def test_boolean_matrix_is_two_classes():
    L = _crowd(8, n_classes=2, missing=0.0)
    assert fleiss_kappa(L.astype(bool)) == fleiss_kappa(L)


def test_interval_float_matrix_treats_minus_one_as_a_value():
    L = np.array([[1, 1, -1], [2, 2, 3], [3, 3, 3], [1, 2, 2]])
    as_missing = krippendorff_alpha(L, "interval")
    as_value = krippendorff_alpha(L.astype(float), "interval")
    assert as_missing == pytest.approx(
        krippendorff_alpha(np.where(L < 0, np.nan, L), "interval"), rel=1e-12
    )
    assert as_value != as_missing


def test_large_label_values_are_compacted():
    L = _crowd(10, n_classes=3)
    spread = np.where(L >= 0, L * 10**12, -1)
    assert fleiss_kappa(spread) == pytest.approx(fleiss_kappa(L))
    assert krippendorff_alpha(spread, "ordinal") == pytest.approx(
        krippendorff_alpha(L, "ordinal")
    )
    assert_allclose(
        pairwise_cohen_kappa(spread, min_overlap=1),
        pairwise_cohen_kappa(L, min_overlap=1),
    )


def _all_with_intervals(L):
    args = {"confidence_level": 0.9, "n_bootstrap": 50, "random_state": 0}
    out = [func(L, **args, **kwargs) for func, kwargs, _ in BOOTSTRAPPED]
    kappa, (low, high) = pairwise_cohen_kappa(L, min_overlap=5, **args)
    return out, (kappa, low, high)


def test_sparse_counts_and_blocked_paths_give_the_same_results(monkeypatch):
    L = _crowd(11, n_items=60, n_sources=5, n_classes=4)
    dense, dense_pairs = _all_with_intervals(L)
    monkeypatch.setattr(_agreement, "_DENSE_COUNTS_MAX", 0)  # scipy.sparse counts
    monkeypatch.setattr(_agreement, "_BLOCK_ENTRIES", 7)  # tiny blocks everywhere
    monkeypatch.setattr(_agreement, "_FLOAT32_EXACT_BELOW", 0)  # float64 products
    blocked, blocked_pairs = _all_with_intervals(L)
    for (value, (low, high)), (value2, (low2, high2)) in zip(
        dense, blocked, strict=True
    ):
        assert_allclose([value2, low2, high2], [value, low, high], rtol=1e-10)
    for a, b in zip(dense_pairs, blocked_pairs, strict=True):
        assert_allclose(b, a, rtol=1e-10)


def test_sparse_input_with_sparse_counts_and_blocks_gives_the_same_results(
    monkeypatch,
):
    L = _crowd(12, n_items=60, n_sources=5, n_classes=4, missing=0.4)
    L[L == 2] = -1  # a class nobody used: codes are renumbered
    dense, dense_pairs = _all_with_intervals(L)
    monkeypatch.setattr(_agreement, "_DENSE_COUNTS_MAX", 0)  # scipy.sparse counts
    monkeypatch.setattr(_agreement, "_BLOCK_ENTRIES", 7)  # tiny blocks everywhere
    blocked, blocked_pairs = _all_with_intervals(_shuffled_coo(L))
    for (value, (low, high)), (value2, (low2, high2)) in zip(
        dense, blocked, strict=True
    ):
        assert_allclose([value2, low2, high2], [value, low, high], rtol=1e-10)
    for a, b in zip(dense_pairs, blocked_pairs, strict=True):
        assert_allclose(b, a, rtol=1e-10)


def test_ratio_float_values_use_pairs_within_items():
    # more distinct values than sources: the pairs-within-items path
    rng = np.random.default_rng(0)
    X = np.abs(rng.normal(3, 1, size=(30, 3)) + rng.normal(0, 2, size=(30, 1)))
    X[rng.random(X.shape) < 0.2] = np.nan
    reference = krippendorff.alpha(X.T, level_of_measurement="ratio")
    assert_allclose(krippendorff_alpha(X, "ratio"), reference, atol=1e-12)
    value, (low, high) = krippendorff_alpha(
        X, "ratio", confidence_level=0.9, n_bootstrap=100, random_state=0
    )
    assert low <= value <= high


# --------------------------------------------------------------------------
# Undefined coefficients


@pytest.mark.parametrize(
    "func, L, match",
    [
        (fleiss_kappa, [[0, 0], [0, 0]], "every label is of one class"),
        (fleiss_kappa, [[0, -1], [-1, 1]], "no item has two or more labels"),
        (gwet_ac1, [[0, -1], [-1, 1]], "no item has two or more labels"),
        (percent_agreement, [[-1, -1], [0, -1]], "no item has two or more labels"),
        (krippendorff_alpha, [[2, 2], [2, 2], [1, -1]], "no variation"),
        (krippendorff_alpha, [[2, -1], [-1, -1]], "no item has two or more values"),
    ],
)
def test_undefined_coefficient_is_nan_with_warning(func, L, match):
    with pytest.warns(UndefinedMetricWarning, match=match):
        assert np.isnan(func(L))
    with pytest.warns(UndefinedMetricWarning, match=match):
        value, (low, high) = func(L, confidence_level=0.9)
    assert np.isnan([value, low, high]).all()


def test_pairwise_undefined_pair_is_nan_with_warning():
    L = [[0, 0, 1], [0, 0, 0], [0, 0, 1]]
    with pytest.warns(UndefinedMetricWarning, match=r"1 pair\(s\) of sources \(0, 1\)"):
        kappa = pairwise_cohen_kappa(L, min_overlap=1)
    assert np.isnan(kappa[0, 1]) and kappa[0, 2] == 0.0


def test_all_missing_matrix():
    L = np.full((4, 3), -1)
    for func in [fleiss_kappa, gwet_ac1, percent_agreement, krippendorff_alpha]:
        with pytest.warns(UndefinedMetricWarning):
            assert np.isnan(func(L))
    _, (low, high) = pairwise_cohen_kappa(L, confidence_level=0.9)
    assert_array_equal(high, low)
    assert_array_equal(low, np.where(np.eye(3, dtype=bool), 1.0, np.nan))


# --------------------------------------------------------------------------
# Errors


ALL_FUNCS = [
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    krippendorff_alpha,
    pairwise_cohen_kappa,
]


@pytest.mark.parametrize("func", ALL_FUNCS)
@pytest.mark.parametrize(
    "L, error, match",
    [
        ([[0, 1], [2]], ValueError, "L is ragged"),
        (
            [[0, 1.5], [1, 1]],
            ValueError,
            r"integer class labels .*got 1\.5 at row 0, column 1",
        ),
        ([[0, -2], [1, 1]], ValueError, r"L holds -2 at row 0, column 1"),
        ([[0, 1], [1, np.inf]], ValueError, r"L holds inf at row 1, column 1"),
        (
            [[0, "b"], [1, None]],
            TypeError,
            r"L must hold numbers .*or labels of one kind .*type\(s\) \['int', 'str'\]",
        ),
        (np.zeros((0, 3), dtype=int), ValueError, r"L is empty \(shape \(0, 3\)\)"),
        (np.zeros((3, 0), dtype=int), ValueError, r"L is empty \(shape \(3, 0\)\)"),
        (np.zeros((3, 1), dtype=int), ValueError, r"single source \(shape \(3, 1\)\)"),
        (np.zeros(3, dtype=int), ValueError, r"2-D label matrix .*shape \(3,\)"),
        (np.zeros((2, 2, 2), dtype=int), ValueError, r"2-D label matrix .*\(2, 2, 2\)"),
        (np.array([[1 + 1j, 0], [0, 0]]), TypeError, "dtype complex128"),
    ],
)
def test_bad_label_matrix(func, L, error, match):
    with pytest.raises(error, match=match):
        func(L)


@pytest.mark.parametrize("func", ALL_FUNCS)
def test_label_above_n_classes(func):
    with pytest.raises(
        ValueError, match=r"L holds label 5 at row 1, column 0 .*n_classes=3"
    ):
        func([[0, 1], [5, 2]], n_classes=3)


@pytest.mark.parametrize("func", ALL_FUNCS)
@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"confidence_level": 1.5}, r"'confidence_level' parameter .* Got 1\.5"),
        ({"confidence_level": 0.0}, r"'confidence_level' parameter .* Got 0\.0"),
        ({"confidence_level": 1}, r"'confidence_level' parameter .* Got 1 "),
        (
            {"confidence_level": float("nan")},
            r"'confidence_level' parameter .* Got nan",
        ),
        ({"confidence_level": "95%"}, r"'confidence_level' parameter .* Got '95%'"),
        ({"n_bootstrap": 0}, r"'n_bootstrap' parameter .* Got 0"),
        ({"random_state": "seed"}, r"'random_state' parameter .* Got 'seed'"),
        ({"n_classes": 0}, r"'n_classes' parameter .* Got 0"),
    ],
)
def test_bad_parameters(func, kwargs, match):
    with pytest.raises(InvalidParameterError, match=match):
        func([[0, 1], [1, 1]], **kwargs)


def test_bad_parameters_specific_to_a_function():
    with pytest.raises(
        InvalidParameterError, match=r"'level' parameter .* Got 'bogus'"
    ):
        krippendorff_alpha([[0, 1], [1, 1]], "bogus")
    with pytest.raises(
        InvalidParameterError, match=r"'n_classes' parameter of gwet_ac1 .* Got 1"
    ):
        gwet_ac1([[0, 0], [0, 0]], n_classes=1)
    with pytest.raises(
        InvalidParameterError, match=r"'min_overlap' parameter .* Got 0"
    ):
        pairwise_cohen_kappa([[0, 1], [1, 1]], min_overlap=0)


@pytest.mark.parametrize("level", ["nominal", "ordinal"])
def test_krippendorff_alpha_non_integer_values_need_interval_or_ratio(level):
    with pytest.raises(
        ValueError, match=r'got 0\.5 at row 1, column 1.*level="interval"'
    ):
        krippendorff_alpha([[1.0, 2.0], [1.0, 0.5]], level)


def test_krippendorff_alpha_float_value_errors():
    with pytest.raises(
        ValueError, match=r'L holds -1\.0 at row 1, column 0; level="ratio"'
    ):
        krippendorff_alpha([[1.0, 2.0], [-1.0, 0.5]], "ratio")
    with pytest.raises(
        ValueError, match=r"L holds inf at row 0, column 1; values must"
    ):
        krippendorff_alpha([[1.0, np.inf], [1.0, 0.5]], "interval")
    with pytest.raises(
        ValueError, match=r"L holds 0\.5 at row 1, column 1, but with n_classes=3"
    ):
        krippendorff_alpha([[1.0, 2.0], [1.0, 0.5]], "interval", n_classes=3)


# --------------------------------------------------------------------------
# Order of string labels: to_label_matrix remembers whether it was given

# Three coders rate eight items low / medium / high, mostly in agreement.
SCALE = ["low", "medium", "high"]
RATINGS = [
    ["low", "low", "medium"],
    ["medium", "medium", "medium"],
    ["high", "high", "medium"],
    ["low", "medium", "low"],
    ["high", "high", "high"],
    ["medium", "high", "medium"],
    ["low", "low", "low"],
    ["medium", "low", "medium"],
]


def _long_table(ratings, label_dtype=None):
    data = pd.DataFrame(
        [
            (f"item{i}", f"coder{j}", label)
            for i, row in enumerate(ratings)
            for j, label in enumerate(row)
        ],
        columns=["item", "source", "label"],
    )
    if label_dtype is not None:
        data["label"] = data["label"].astype(label_dtype)
    return data


def _coded(ratings, scale):
    """The ratings as integer ranks of ``scale`` (the truth for ordinal alpha)."""
    rank = {label: code for code, label in enumerate(scale)}
    return np.array([[rank[label] for label in row] for row in ratings])


def test_to_label_matrix_remembers_whether_the_class_order_was_given():
    L, _, _, classes = to_label_matrix(_long_table(RATINGS))
    assert isinstance(L, LabelMatrix)
    assert_array_equal(L.classes, ["high", "low", "medium"])
    assert_array_equal(classes, L.classes)
    assert L.ordered is False

    L, _, _, classes = to_label_matrix(_long_table(RATINGS), classes=SCALE)
    assert_array_equal(classes, SCALE)
    assert L.ordered is True

    ordered = pd.CategoricalDtype([*SCALE, "extreme"], ordered=True)
    L, _, _, classes = to_label_matrix(_long_table(RATINGS, ordered))
    assert_array_equal(classes, [*SCALE, "extreme"])  # every category, in order
    assert_array_equal(L, _coded(RATINGS, SCALE))
    assert L.ordered is True

    unordered = pd.CategoricalDtype(SCALE, ordered=False)
    assert to_label_matrix(_long_table(RATINGS, unordered))[0].ordered is False

    numbers = [[{"low": 1, "medium": 2, "high": 5}[v] for v in row] for row in RATINGS]
    L, _, _, classes = to_label_matrix(_long_table(numbers))
    assert_array_equal(classes, [1, 2, 5])
    assert L.ordered is True


def test_label_matrix_behaves_as_a_plain_array_elsewhere():
    L, _, _, _ = to_label_matrix(_long_table(RATINGS))
    plain = np.asarray(L)
    assert type(plain) is np.ndarray
    assert repr(L) == repr(plain)
    for result in (L + 1, L == 0, L >= 0, np.maximum(L, 0)):
        assert type(result) is np.ndarray
    assert isinstance(L.max(), np.integer)
    assert_array_equal(L[:, :2].classes, L.classes)  # a slice keeps the classes
    restored = pickle.loads(pickle.dumps(L))
    assert isinstance(restored, LabelMatrix)
    assert_array_equal(restored, L)
    assert_array_equal(restored.classes, L.classes)
    assert restored.ordered is False
    assert_array_equal(
        MajorityVote().fit(L).predict(L), MajorityVote().fit(plain).predict(plain)
    )
    assert_array_equal(
        DawidSkene().fit(L).predict(L),
        DawidSkene().fit(plain).predict(plain),
    )


@pytest.mark.parametrize("level", ["ordinal", "interval", "ratio"])
def test_krippendorff_alpha_refuses_ordered_levels_on_unordered_strings(level):
    L, _, _, _ = to_label_matrix(_long_table(RATINGS))
    with pytest.raises(
        ValueError,
        match=(
            rf"level='{level}'.*order \['high', 'low', 'medium'\].*classes=\[\.\.\.\] "
            r"here or in to_label_matrix\(data, \.\.\., classes=\[\.\.\.\]\).*ordered "
            r"pandas Categorical"
        ),
    ):
        krippendorff_alpha(L, level)


def test_krippendorff_alpha_nominal_accepts_unordered_strings():
    L, _, _, _ = to_label_matrix(_long_table(RATINGS))
    assert krippendorff_alpha(L) == pytest.approx(
        krippendorff_alpha(_coded(RATINGS, SCALE))
    )


@pytest.mark.parametrize("how", ["classes", "ordered categorical"])
@pytest.mark.parametrize("level", ["ordinal", "interval"])
def test_krippendorff_alpha_uses_the_given_order_of_string_labels(how, level):
    if how == "classes":
        L, _, _, _ = to_label_matrix(_long_table(RATINGS), classes=SCALE)
    else:
        dtype = pd.CategoricalDtype(SCALE, ordered=True)
        L, _, _, _ = to_label_matrix(_long_table(RATINGS, dtype))
    coded = _coded(RATINGS, SCALE)
    expected = krippendorff.alpha(coded.T.astype(float), level_of_measurement=level)
    assert krippendorff_alpha(L, level) == pytest.approx(expected, abs=1e-12)
    assert krippendorff_alpha(coded, level) == pytest.approx(expected, abs=1e-12)
    # The alphabetical order (high < low < medium) gives another, wrong value.
    alphabetical = _coded(RATINGS, sorted(SCALE))
    assert abs(krippendorff_alpha(alphabetical, level) - expected) > 0.2


def test_krippendorff_alpha_measures_numeric_labels_by_their_values():
    values = {"low": 1, "medium": 2, "high": 5}
    numbers = np.array([[values[v] for v in row] for row in RATINGS])
    L, _, _, classes = to_label_matrix(_long_table(numbers.tolist()))
    assert_array_equal(classes, [1, 2, 5])  # codes 0, 1, 2
    for level in LEVELS:
        expected = krippendorff.alpha(
            numbers.T.astype(float), level_of_measurement=level
        )
        assert krippendorff_alpha(L, level) == pytest.approx(expected, abs=1e-12)
    assert krippendorff_alpha(L, "interval") != pytest.approx(
        krippendorff_alpha(np.asarray(L), "interval")
    )


def test_krippendorff_alpha_ratio_needs_numeric_labels():
    L, _, _, _ = to_label_matrix(_long_table(RATINGS), classes=SCALE)
    with pytest.raises(
        ValueError, match=r'level="ratio"\) needs numeric labels.*\'low\''
    ):
        krippendorff_alpha(L, "ratio")


@pytest.mark.parametrize("level", ["interval", "ratio"])
def test_krippendorff_alpha_refuses_to_measure_dates_by_rank(level):
    days = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-03-01"])
    dates = [[days[0], days[1]], [days[1], days[1]], [days[2], days[0]]]
    L, _, _, _ = to_label_matrix(_long_table(dates))
    assert L.ordered is True
    assert krippendorff_alpha(L, "ordinal") == pytest.approx(
        krippendorff_alpha([[0, 1], [1, 1], [2, 0]], "ordinal")
    )
    with pytest.raises(ValueError, match=r"datetime64 values .*Convert them"):
        krippendorff_alpha(L, level)


def test_krippendorff_alpha_label_matrix_with_codes_beyond_its_classes():
    numbers = [[1, 2], [2, 2], [5, 1]]
    L, _, _, _ = to_label_matrix(_long_table(numbers))
    L[0, 0] = 7
    with pytest.raises(
        ValueError, match=r"class code 7 at row 0, column 0, but has only 3 classes"
    ):
        krippendorff_alpha(L, "interval")


@pytest.mark.parametrize("container", ["list", "array", "DataFrame", "category"])
def test_agreement_string_matrix_is_coded_like_integer_labels(container):
    ratings = [[*row[:2], None] if i % 3 == 0 else row for i, row in enumerate(RATINGS)]
    L = {
        "list": lambda: ratings,
        "array": lambda: np.array(ratings, dtype=object),
        "DataFrame": lambda: pd.DataFrame(ratings),
        "category": lambda: pd.DataFrame(ratings, dtype="category"),
    }[container]()
    coded = np.array(
        [[SCALE.index(v) if v is not None else -1 for v in row] for row in ratings]
    )
    for metric in (fleiss_kappa, gwet_ac1, percent_agreement, krippendorff_alpha):
        assert metric(L) == pytest.approx(metric(coded))
        assert metric(L, classes=SCALE) == pytest.approx(metric(coded, n_classes=3))
    assert_allclose(
        pairwise_cohen_kappa(L, min_overlap=2),
        pairwise_cohen_kappa(coded, min_overlap=2),
    )


@pytest.mark.parametrize("level", ["ordinal", "interval"])
def test_krippendorff_alpha_string_matrix_needs_the_order(level):
    coded = _coded(RATINGS, SCALE)
    expected = krippendorff_alpha(coded, level)
    with pytest.raises(ValueError, match=r"order \['high', 'low', 'medium'\]"):
        krippendorff_alpha(RATINGS, level)
    assert krippendorff_alpha(RATINGS, level, classes=SCALE) == pytest.approx(expected)
    ordered = pd.DataFrame(RATINGS).astype(pd.CategoricalDtype(SCALE, ordered=True))
    assert krippendorff_alpha(ordered, level) == pytest.approx(expected)
    with pytest.raises(ValueError, match=r"order \['high', 'low', 'medium'\]"):
        krippendorff_alpha(pd.DataFrame(RATINGS, dtype="category"), level)


def test_gwet_ac1_counts_every_given_class():
    # Q is the number of classes of the scale, used or not.
    four = [*SCALE, "extreme"]
    assert gwet_ac1(RATINGS, classes=four) == pytest.approx(
        gwet_ac1(_coded(RATINGS, SCALE), n_classes=4)
    )
    L, _, _, _ = to_label_matrix(_long_table(RATINGS), classes=four)
    assert gwet_ac1(L) == pytest.approx(gwet_ac1(_coded(RATINGS, SCALE), n_classes=4))


@pytest.mark.parametrize(
    "L, classes, match",
    [
        (
            RATINGS,
            ["low", "high"],
            r"label 'medium' at row 0, column 2, which is not in",
        ),
        (RATINGS, ["low", "low", "high"], r"classes holds 'low' more than once"),
        ([[0, 1], [1, 1]], SCALE, r"L holds numbers .*do not pass classes"),
        (
            sparse.csr_matrix([[0, 1], [1, 1]]),
            SCALE,
            r"already a matrix of class codes",
        ),
    ],
)
def test_agreement_bad_classes(L, classes, match):
    for metric in ALL_FUNCS:
        with pytest.raises(ValueError, match=match):
            metric(L, classes=classes)


def test_agreement_bad_classes_message_shows_plain_values():
    # An ndarray of classes is shown as ['low', ...], not [np.str_('low'), ...].
    for metric in ALL_FUNCS:
        with pytest.raises(ValueError, match=r"classes=\['low', 'medium', 'high'\]"):
            metric([[0, 1], [1, 1]], classes=np.array(SCALE))


# --------------------------------------------------------------------------
# Sparse label matrices: stored value = code + 1, absent (or 0) = no label,
# as for the aggregators


def _flat(result):
    """A coefficient, or ``(value, (low, high))``, as a flat float array."""
    if isinstance(result, tuple):
        return np.array([result[0], *result[1]], dtype=float)
    return np.array([result], dtype=float)


def _sparse(L, fmt="csr", explicit_zeros=False):
    """``L`` as a scipy.sparse matrix storing code + 1 for its labels.

    With ``explicit_zeros`` the cells without a label are stored too, as 0.
    """
    L = np.asarray(L)
    has = np.ones_like(L, dtype=bool) if explicit_zeros else L >= 0
    rows, cols = np.nonzero(has)
    values = np.maximum(L[rows, cols] + 1, 0)
    return sparse.coo_matrix((values, (rows, cols)), shape=L.shape).asformat(fmt)


def _shuffled_coo(L, seed=0):
    """``L`` as a COO array storing code + 1, its votes in random order."""
    rows, cols = np.nonzero(L >= 0)
    order = np.random.default_rng(seed).permutation(rows.size)
    rows, cols = rows[order], cols[order]
    return sparse.coo_array((L[rows, cols] + 1, (rows, cols)), shape=L.shape)


def test_sparse_test_helpers_store_code_plus_one():
    L = np.array([[0, -1, 2], [-1, 1, 0]])
    for S in (_sparse(L), _sparse(L, "csc", explicit_zeros=True), _shuffled_coo(L)):
        assert_array_equal(S.toarray() - 1, L)
    assert _sparse(L, explicit_zeros=True).nnz == L.size


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "csr_array", "shuffled coo"])
@pytest.mark.parametrize("metric", SCALAR_METRICS)
def test_agreement_sparse_label_matrix_matches_dense(metric, fmt):
    for seed in range(4):
        L = _crowd(seed, n_items=60, n_sources=7, missing=0.5)
        if fmt == "csr_array":
            S = sparse.csr_array(_sparse(L))
        elif fmt == "shuffled coo":
            S = _shuffled_coo(L, seed)
        else:
            S = _sparse(L, fmt)
        assert_allclose(_quiet(metric, S), _quiet(metric, L))
        bootstrap = {"confidence_level": 0.9, "n_bootstrap": 50, "random_state": 0}
        assert_allclose(
            _flat(_quiet(metric, S, **bootstrap)),
            _flat(_quiet(metric, L, **bootstrap)),
        )


@pytest.mark.parametrize("fmt", ["csr", "csc", "coo", "lil", "dok"])
def test_agreement_sparse_formats_match_dense_for_every_metric(fmt):
    L = _crowd(9, n_items=50, n_sources=6, missing=0.4)
    S = _sparse(L, fmt)
    for metric in SCALAR_METRICS:
        assert metric(S) == pytest.approx(metric(L), abs=1e-12)
    assert_allclose(pairwise_cohen_kappa(S), pairwise_cohen_kappa(L))


def _sparse_values(values):
    """A float matrix as sparse: its present (non-NaN) values plus one."""
    rows, cols = np.nonzero(~np.isnan(values))
    return sparse.csr_matrix((values[rows, cols] + 1, (rows, cols)), shape=values.shape)


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_alpha_sparse_matches_dense_and_the_package(level):
    L = _crowd(1, n_items=70, n_sources=6, n_classes=5, missing=0.5)
    expected = krippendorff.alpha(
        np.where(L < 0, np.nan, L).T.astype(float), level_of_measurement=level
    )
    assert krippendorff_alpha(_sparse(L), level) == pytest.approx(expected, abs=1e-12)
    assert krippendorff_alpha(L, level) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("level", ["interval", "ratio"])
@pytest.mark.parametrize("decimals", [1, None])
def test_krippendorff_alpha_sparse_real_values(level, decimals):
    rng = np.random.default_rng(0)
    L = _crowd(2, n_items=70, n_sources=6, n_classes=5, missing=0.5)
    values = np.where(L < 0, np.nan, L + rng.random(L.shape))
    if decimals is not None:  # few distinct values: the count path
        values = np.round(values, decimals)
    expected = krippendorff.alpha(values.T, level_of_measurement=level)
    S = _sparse_values(values)
    assert krippendorff_alpha(S, level) == pytest.approx(expected, abs=1e-12)
    coo = S.tocoo()  # the stored entries, in the order of S.data
    S.data[::7] = 0.0  # a stored 0 is a missing value too
    values[coo.row[::7], coo.col[::7]] = np.nan
    bootstrap = {"confidence_level": 0.9, "n_bootstrap": 50, "random_state": 0}
    assert_allclose(
        _flat(krippendorff_alpha(S, level, **bootstrap)),
        _flat(krippendorff_alpha(values, level, **bootstrap)),
    )


def test_krippendorff_alpha_sparse_interval_values_between_minus_one_and_zero():
    values = np.array(
        [[-0.5, -0.25, np.nan], [2.5, np.nan, 2.0], [0.0, 0.5, -0.75], [1.5, 1.0, 1.5]]
    )
    S = _sparse_values(values)  # stores 0.5, 0.75, ..., never 0
    assert S.nnz == np.count_nonzero(~np.isnan(values))
    expected = krippendorff.alpha(values.T, level_of_measurement="interval")
    assert krippendorff_alpha(S, "interval") == pytest.approx(expected, abs=1e-12)


def test_pairwise_cohen_kappa_sparse_matches_dense():
    L = _crowd(3, n_items=90, n_sources=6, missing=0.4)
    S = _sparse(L)
    assert_allclose(pairwise_cohen_kappa(S), pairwise_cohen_kappa(L))
    bootstrap = {"confidence_level": 0.9, "n_bootstrap": 40, "random_state": 0}
    kappa, (low, high) = _quiet(pairwise_cohen_kappa, S, **bootstrap)
    dense_kappa, (dense_low, dense_high) = _quiet(pairwise_cohen_kappa, L, **bootstrap)
    assert_allclose(kappa, dense_kappa)
    assert_allclose(low, dense_low)
    assert_allclose(high, dense_high)


def test_agreement_sparse_class_zero_survives_dropping_zeros():
    L = np.array([[0, 0, -1], [1, 2, 0], [0, -1, 1], [2, 1, 2], [1, 1, -1], [0, 2, 2]])
    S = _sparse(L, explicit_zeros=True)  # the cells without a label store 0
    assert S.nnz == L.size
    S_dropped = S.copy()
    S_dropped.eliminate_zeros()  # drops the "no label" cells, not class 0
    assert S_dropped.nnz == np.count_nonzero(L >= 0)
    for metric in SCALAR_METRICS:
        assert metric(S) == pytest.approx(metric(L))
        assert metric(S_dropped) == pytest.approx(metric(L))
    assert_allclose(pairwise_cohen_kappa(S), pairwise_cohen_kappa(L))
    # scipy's own conversion of the code + 1 matrix keeps every label too
    assert fleiss_kappa(sparse.csr_matrix(L + 1)) == pytest.approx(fleiss_kappa(L))


def test_agreement_sparse_matrix_from_to_label_matrix_matches_dense():
    rng = np.random.default_rng(5)
    n_items, n_sources = 40, 9
    item = np.repeat(np.arange(n_items), 4)
    source = np.concatenate(
        [rng.choice(n_sources, size=4, replace=False) for _ in range(n_items)]
    )
    truth = rng.choice(["bird", "cat", "dog"], size=n_items)
    noise = rng.choice(["bird", "cat", "dog"], size=item.size)
    label = np.where(rng.random(item.size) < 0.7, truth[item], noise)
    data = pd.DataFrame({"item": item, "worker": source, "label": label})
    data = data.sample(frac=1.0, random_state=0)  # a long table in no order
    L, items, sources, classes = to_label_matrix(data, source="worker")
    S, items_s, sources_s, classes_s = to_label_matrix(
        data, source="worker", sparse_output=True
    )
    assert_array_equal(items_s, items)
    assert_array_equal(sources_s, sources)
    assert_array_equal(classes_s, classes)
    # Read as codes (the stored values themselves), S would have a class more:
    shifted = np.where(np.asarray(L) < 0, -1, np.asarray(L) + 1)
    assert gwet_ac1(shifted) != pytest.approx(gwet_ac1(L))
    bootstrap = {"confidence_level": 0.9, "n_bootstrap": 30, "random_state": 0}
    for metric in (fleiss_kappa, gwet_ac1, percent_agreement, krippendorff_alpha):
        assert metric(S) == pytest.approx(metric(L), abs=1e-12)
        assert_allclose(_flat(metric(S, **bootstrap)), _flat(metric(L, **bootstrap)))
    assert krippendorff_alpha(S, "nominal") == pytest.approx(
        krippendorff_alpha(np.asarray(L), "nominal"), abs=1e-12
    )
    assert_allclose(
        _quiet(pairwise_cohen_kappa, S, min_overlap=1),
        _quiet(pairwise_cohen_kappa, L, min_overlap=1),
    )
    # classes= with a class nobody used: the sparse matrix carries it, as
    # n_classes= does (Gwet's AC1 counts every class of the scale)
    scale = ["bird", "cat", "dog", "fish"]
    L, _, _, classes = to_label_matrix(data, source="worker", classes=scale)
    S, _, _, _ = to_label_matrix(
        data, source="worker", classes=scale, sparse_output=True
    )
    assert gwet_ac1(S, n_classes=len(classes)) == pytest.approx(gwet_ac1(L))
    assert gwet_ac1(S) == pytest.approx(gwet_ac1(L))
    assert gwet_ac1(S[:, :]) != pytest.approx(gwet_ac1(L))  # a copy forgets it
    for metric in (fleiss_kappa, percent_agreement, krippendorff_alpha):
        assert metric(S) == pytest.approx(metric(L), abs=1e-12)


def test_sparse_label_matrix_same_convention_in_aggregators_and_metrics():
    L = _crowd(6, n_items=50, n_sources=8, n_classes=3, missing=0.6)
    S = sparse.csr_matrix(L + 1)  # the documented conversion; drops the -1 cells
    S_zeros = _sparse(L, "coo", explicit_zeros=True)
    expected_rows, expected_cols = np.nonzero(L >= 0)  # row-major order
    for matrix in (S, S_zeros, _shuffled_coo(L)):
        assert_array_equal(matrix.toarray() - 1, L)
        votes = _agg_matrix._check_sparse_votes(matrix)
        assert_array_equal(votes.toarray(), L)  # the dense matrix, -1 no label
        assert_array_equal(votes.items, expected_rows)
        assert_array_equal(votes.sources, expected_cols)
        assert_array_equal(votes.labels, L[expected_rows, expected_cols])
        # the metrics keep the stored order (their sums do not depend on it)
        rows, cols, codes = _agreement._sparse_votes(matrix, None)
        order = np.lexsort((cols, rows))
        assert_array_equal(rows[order], expected_rows)
        assert_array_equal(cols[order], expected_cols)
        assert_array_equal(codes[order], L[expected_rows, expected_cols])
    # Both libraries' functions read it as the same votes: the majority vote of
    # the sparse matrix is the dense one's, and so is every coefficient.
    assert_array_equal(
        MajorityVote(random_state=0).fit(S).predict_proba(S),
        MajorityVote(random_state=0).fit(L).predict_proba(L),
    )
    for metric in SCALAR_METRICS:
        assert metric(S) == pytest.approx(metric(L), abs=1e-12)


@pytest.mark.parametrize(
    "S, error, match",
    [
        (
            sparse.coo_matrix(([1, 2], ([1, 1], [0, 0])), shape=(3, 2)),
            ValueError,
            r"L stores more than one value for row 1, column 0 .*sum_duplicates",
        ),
        (
            sparse.coo_matrix(([1, 0], ([1, 1], [0, 0])), shape=(3, 2)),
            ValueError,
            r"L stores more than one value for row 1, column 0",
        ),
        (
            sparse.csr_matrix(([1, -2], ([0, 2], [1, 0])), shape=(3, 2)),
            ValueError,
            r"L stores -2 in row 2, column 0\. A sparse L stores the class code plus "
            r"one .*csr_matrix\(L \+ 1\)",
        ),
        (
            sparse.csr_matrix(([1, -1], ([0, 2], [1, 0])), shape=(3, 2)),
            ValueError,
            r"L stores -1 in row 2, column 0\. .*a stored 0 also means no label",
        ),
        (
            sparse.csr_matrix(([1.0, np.nan], ([0, 2], [1, 0])), shape=(3, 2)),
            ValueError,
            r"L stores NaN or inf \(nan in row 2, column 0\)",
        ),
        (
            sparse.csr_matrix(([1.0, 1.5], ([0, 2], [1, 1])), shape=(3, 2)),
            ValueError,
            r"integer class codes, got 1\.5 in row 2, column 1",
        ),
        (
            sparse.csr_matrix(([1, 3], ([0, 2], [1, 1])), shape=(3, 2)),
            ValueError,
            r"L stores 3 \(class code 2\) in row 2, column 1 but n_classes=2",
        ),
        (
            sparse.csr_matrix(np.array([[1 + 1j], [0]])),
            ValueError,
            r"single source",
        ),
        (
            sparse.csr_matrix(np.array([[1 + 1j, 0], [0, 1]])),
            TypeError,
            r"sparse matrix of dtype complex128",
        ),
        (
            sparse.csr_matrix(np.array([[True, False], [True, True]])),
            TypeError,
            r"sparse matrix of boolean dtype",
        ),
        (sparse.csr_matrix((0, 3)), ValueError, r"L is empty"),
    ],
    ids=[
        "duplicate",
        "duplicate-zero",
        "negative",
        "minus-one",
        "nan",
        "non-integer",
        "above-n_classes",
        "one-source",
        "complex",
        "bool",
        "empty",
    ],
)
def test_agreement_sparse_bad_input(S, error, match):
    for metric in ALL_FUNCS:
        with pytest.raises(error, match=match):
            metric(S, n_classes=2)


def test_krippendorff_alpha_sparse_float_value_errors():
    S = sparse.csr_matrix(([2.0, 0.5, 3.0], ([0, 1, 1], [0, 0, 1])), shape=(2, 2))
    with pytest.raises(
        ValueError, match=r"L stores 0\.5 at row 1, column 0, the value -0\.5; level="
    ):
        krippendorff_alpha(S, "ratio")
    assert np.isfinite(krippendorff_alpha(S, "interval"))  # -0.5 is a value there
    with pytest.raises(ValueError, match=r"integer class codes, got 0\.5 in row 1"):
        krippendorff_alpha(S, "ordinal")
    with pytest.raises(ValueError, match=r"integer class codes, got 0\.5 in row 1"):
        krippendorff_alpha(S, "interval", n_classes=3)
    S.data[1] = -0.5
    with pytest.raises(
        ValueError, match=r"L stores -0\.5 in row 1, column 0\. .*each value plus one"
    ):
        krippendorff_alpha(S, "interval")
    S.data[1] = np.inf
    with pytest.raises(ValueError, match=r"stores NaN or inf \(inf in row 1, column 0"):
        krippendorff_alpha(S, "interval")


def _low_medium_high(numeric=False):
    """A long table of ordered ratings (as strings, or as numbers 1, 2, 5)."""
    rng = np.random.default_rng(11)
    n_items = 60
    item = np.repeat(np.arange(n_items), 3)
    source = np.tile(np.arange(3), n_items)
    truth = rng.integers(0, 3, size=n_items)
    near = np.clip(truth[item] + rng.integers(-1, 2, size=item.size), 0, 2)
    codes = np.where(rng.random(item.size) < 0.6, truth[item], near)
    values = np.array([1, 2, 5]) if numeric else np.array(["low", "medium", "high"])
    return pd.DataFrame({"item": item, "source": source, "label": values[codes]})


@pytest.mark.parametrize("level", ["ordinal", "interval", "ratio"])
def test_sparse_label_matrix_keeps_the_class_order(level):
    # The sparse output of to_label_matrix knows, as the dense one does,
    # that string labels were only sorted: ordered levels are refused.
    data = _low_medium_high()
    S = to_label_matrix(data, sparse_output=True)[0]
    assert S.ordered is False
    assert_array_equal(S.classes, ["high", "low", "medium"])
    with pytest.raises(ValueError, match=r"needs the order of the labels"):
        krippendorff_alpha(S, level)
    assert krippendorff_alpha(S) == pytest.approx(
        krippendorff_alpha(to_label_matrix(data)[0])
    )
    # Given the order, sparse and dense agree (ratio refuses strings anyway).
    scale = ["low", "medium", "high"]
    S = to_label_matrix(data, classes=scale, sparse_output=True)[0]
    L = to_label_matrix(data, classes=scale)[0]
    if level == "ratio":
        with pytest.raises(ValueError, match=r"needs numeric labels"):
            krippendorff_alpha(S, level)
    else:
        assert krippendorff_alpha(S, level) == pytest.approx(
            krippendorff_alpha(L, level), abs=1e-12
        )


@pytest.mark.parametrize("level", ["ordinal", "interval", "ratio"])
def test_sparse_label_matrix_measures_numeric_labels_by_their_values(level):
    data = _low_medium_high(numeric=True)
    S = to_label_matrix(data, sparse_output=True)[0]
    L = to_label_matrix(data)[0]
    assert S.ordered is True
    assert krippendorff_alpha(S, level) == pytest.approx(
        krippendorff_alpha(L, level), abs=1e-12
    )
    ratings = data.pivot(index="item", columns="source", values="label").to_numpy()
    expected = krippendorff.alpha(
        reliability_data=ratings.T.astype(float), level_of_measurement=level
    )
    assert krippendorff_alpha(S, level) == pytest.approx(expected, abs=1e-9)


def test_sparse_label_matrix_pickles_and_derived_matrices_forget_classes():
    S = to_label_matrix(_low_medium_high(), sparse_output=True)[0]
    restored = pickle.loads(pickle.dumps(S))
    assert_array_equal(restored.classes, S.classes)
    assert restored.ordered is False
    assert (restored != S).nnz == 0
    # A slice is a new matrix: read as plain codes (documented).
    assert getattr(S[:10], "ordered", None) is None
    krippendorff_alpha(S[:10], "ordinal")
