"""Tests for sklabels.noise.find_multilabel_issues and multilabel_quality_scores."""

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklabels.noise import find_multilabel_issues, multilabel_quality_scores

cl_filter = pytest.importorskip("cleanlab.multilabel_classification.filter")
cl_rank = pytest.importorskip("cleanlab.multilabel_classification.rank")

METHODS = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
    "low_self_confidence",
    "low_normalized_margin",
]
SCORES = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
# (our keyword arguments, cleanlab's aggregator_kwargs)
AGGREGATORS = [
    ({}, {"method": "exponential_moving_average", "alpha": 0.8}),
    (
        {"aggregator": "exponential_moving_average", "alpha": 0.3},
        {"method": "exponential_moving_average", "alpha": 0.3},
    ),
    (
        {"aggregator": "exponential_moving_average", "alpha": None},
        {"method": "exponential_moving_average", "alpha": None},
    ),
    ({"aggregator": "softmin"}, {"method": "softmin"}),
    (
        {"aggregator": "softmin", "temperature": 0.7},
        {"method": "softmin", "temperature": 0.7},
    ),
    ({"aggregator": "mean"}, {"method": np.mean}),
    ({"aggregator": "min"}, {"method": np.min}),
    ({"aggregator": "max"}, {"method": np.max}),
    ({"aggregator": np.median}, {"method": np.median}),
]
SEEDS = [0, 1, 2, 3]


def _problem(seed, n_samples=None, n_labels=None, dtype=np.float64, rounded=None):
    """Random multi-label data: indicator, label lists, noisy pred_probs."""
    rng = np.random.default_rng(seed)
    n_samples = n_samples or int(rng.integers(40, 400))
    n_labels = n_labels or int(rng.integers(2, 7))
    rate = rng.uniform(0.1, 0.5)
    indicator = (rng.random((n_samples, n_labels)) < rate).astype(np.int64)
    # every label present and absent at least twice (cleanlab refuses a label
    # that every example has, or none has)
    indicator[:2] = 1
    indicator[2:4] = 0
    pred_probs = 0.6 * indicator + 0.4 * rng.random(indicator.shape)
    pred_probs += rng.normal(0, 0.2, size=indicator.shape)
    np.clip(pred_probs, 0, 1, out=pred_probs)
    if rounded if rounded is not None else seed % 2:  # many ties
        pred_probs = np.round(pred_probs, 1)
    lists = [np.flatnonzero(row).tolist() for row in indicator]
    return indicator, lists, pred_probs.astype(dtype)


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return func(*args, **kwargs)


# --------------------------------------------------------------------------
# Parity with cleanlab
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("frac_noise", [1.0, 0.5])
def test_find_multilabel_issues_mask_matches_cleanlab(seed, method, frac_noise):
    indicator, lists, pred_probs = _problem(seed)
    expected = _quiet(
        cl_filter.find_label_issues,
        lists,
        pred_probs,
        filter_by=method,
        frac_noise=frac_noise,
        n_jobs=1,
    )
    got = _quiet(
        find_multilabel_issues, indicator, pred_probs, method, frac_noise=frac_noise
    )
    assert got.dtype == bool
    assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", ["prune_by_noise_rate", "prune_by_class", "both"])
@pytest.mark.parametrize("min_examples_per_class", [0, 3, 30])
def test_find_multilabel_issues_min_examples_per_class_matches_cleanlab(
    seed, method, min_examples_per_class
):
    _, lists, pred_probs = _problem(seed)
    expected = _quiet(
        cl_filter.find_label_issues,
        lists,
        pred_probs,
        filter_by=method,
        min_examples_per_class=min_examples_per_class,
        n_jobs=1,
    )
    got = _quiet(
        find_multilabel_issues,
        lists,
        pred_probs,
        method,
        min_examples_per_class=min_examples_per_class,
    )
    assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", METHODS)
def test_find_multilabel_issues_float32_matches_cleanlab(seed, method):
    indicator, lists, pred_probs = _problem(seed, dtype=np.float32)
    expected = _quiet(
        cl_filter.find_label_issues, lists, pred_probs, filter_by=method, n_jobs=1
    )
    assert_array_equal(
        _quiet(find_multilabel_issues, indicator, pred_probs, method), expected
    )


def test_find_multilabel_issues_rare_label_matches_cleanlab_and_warns():
    indicator, lists, pred_probs = _problem(5, n_samples=200, n_labels=4)
    indicator[:, 1] = 0
    indicator[7, 1] = 1  # label 1 given once
    lists = [np.flatnonzero(row).tolist() for row in indicator]
    expected = _quiet(cl_filter.find_label_issues, lists, pred_probs, n_jobs=1)
    with pytest.warns(UserWarning, match=r"Labels \[1\] are given to"):
        got = find_multilabel_issues(indicator, pred_probs)
    assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", METHODS[:5])
@pytest.mark.parametrize("rank_by", SCORES)
def test_find_multilabel_issues_ranked_indices_match_cleanlab(seed, method, rank_by):
    indicator, lists, pred_probs = _problem(seed)
    expected = _quiet(
        cl_filter.find_label_issues,
        lists,
        pred_probs,
        filter_by=method,
        return_indices_ranked_by=rank_by,
        n_jobs=1,
    )
    got = _quiet(
        find_multilabel_issues,
        indicator,
        pred_probs,
        method,
        return_indices_ranked_by=rank_by,
    )
    assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", ["low_self_confidence", "low_normalized_margin"])
@pytest.mark.parametrize("rank_by", SCORES)
def test_find_multilabel_issues_low_methods_rank_by_score(seed, method, rank_by):
    """Same examples as cleanlab, but sorted by the requested score.

    cleanlab 2.9 sorts these examples with scores taken in another order
    than the indices they permute, so its order does not follow the score.
    """
    indicator, lists, pred_probs = _problem(seed)
    mask = _quiet(
        cl_filter.find_label_issues, lists, pred_probs, filter_by=method, n_jobs=1
    )
    got = _quiet(
        find_multilabel_issues,
        indicator,
        pred_probs,
        method,
        return_indices_ranked_by=rank_by,
    )
    assert_array_equal(np.sort(got), np.flatnonzero(mask))
    scores = multilabel_quality_scores(indicator, pred_probs, method=rank_by)
    assert np.all(np.diff(scores[got]) >= 0)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", SCORES)
@pytest.mark.parametrize("ours, theirs", AGGREGATORS)
def test_multilabel_quality_scores_match_cleanlab(seed, method, ours, theirs):
    indicator, lists, pred_probs = _problem(seed)
    expected = cl_rank.get_label_quality_scores(
        lists, pred_probs, method=method, aggregator_kwargs=theirs
    )
    got = multilabel_quality_scores(indicator, pred_probs, method=method, **ours)
    assert_allclose(got, expected, rtol=0, atol=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", SCORES[:2])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_multilabel_quality_scores_adjusted_match_cleanlab(seed, method, dtype):
    indicator, lists, pred_probs = _problem(seed, dtype=dtype)
    expected = cl_rank.get_label_quality_scores(
        lists, pred_probs, method=method, adjust_pred_probs=True
    )
    got = multilabel_quality_scores(
        indicator, pred_probs, method=method, adjust_pred_probs=True
    )
    assert got.dtype == np.float64
    assert_allclose(got, expected, rtol=0, atol=1e-6)


# --------------------------------------------------------------------------
# Containers
# --------------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("method", METHODS)
def test_find_multilabel_issues_sparse_dense_lists_agree(seed, method):
    indicator, lists, pred_probs = _problem(seed)
    dense = _quiet(find_multilabel_issues, indicator, pred_probs, method)
    for labels in (
        lists,
        tuple(lists),
        sp.csr_matrix(indicator),
        sp.csc_array(indicator),
        indicator.astype(bool),
        indicator.astype(float),
        pd.DataFrame(indicator),
        pd.Series(lists),
    ):
        assert_array_equal(
            _quiet(find_multilabel_issues, labels, pred_probs, method), dense
        )


@pytest.mark.parametrize("method", SCORES)
def test_multilabel_quality_scores_sparse_dense_lists_agree(method):
    indicator, lists, pred_probs = _problem(7)
    dense = multilabel_quality_scores(indicator, pred_probs, method=method)
    for labels in (lists, sp.csr_matrix(indicator), indicator.astype(np.uint8)):
        assert_array_equal(
            multilabel_quality_scores(labels, pred_probs, method=method), dense
        )
    pred_list = pred_probs.tolist()
    assert_array_equal(
        multilabel_quality_scores(lists, pred_list, method=method), dense
    )


def test_find_multilabel_issues_label_lists_with_duplicates_and_empty_rows():
    pred_probs = np.array([[0.9, 0.1], [0.1, 0.2], [0.8, 0.9], [0.2, 0.9]])
    lists = [[0, 0], [], [1, 0], np.array([1])]
    indicator = np.array([[1, 0], [0, 0], [1, 1], [0, 1]])
    assert_array_equal(
        multilabel_quality_scores(lists, pred_probs),
        multilabel_quality_scores(indicator, pred_probs),
    )


@pytest.mark.parametrize("method", METHODS)
def test_find_multilabel_issues_n_jobs_does_not_change_result(method):
    indicator, _, pred_probs = _problem(3)
    one = _quiet(find_multilabel_issues, indicator, pred_probs, method, n_jobs=1)
    two = _quiet(find_multilabel_issues, indicator, pred_probs, method, n_jobs=2)
    assert_array_equal(one, two)


def test_find_multilabel_issues_constant_label_is_scored_not_refused():
    """A label nobody has (cleanlab refuses it) never counts as wrongly given."""
    indicator, _, pred_probs = _problem(2, n_samples=120, n_labels=3)
    indicator[:, 2] = 0
    pred_probs[:, 2] = 0.05
    mask = find_multilabel_issues(indicator, pred_probs)
    without = find_multilabel_issues(indicator[:, :2], pred_probs[:, :2])
    assert_array_equal(mask, without)


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------


@st.composite
def _ml_data(draw):
    n_samples = draw(st.integers(5, 40))
    n_labels = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**31 - 1))
    rng = np.random.default_rng(seed)
    indicator = (rng.random((n_samples, n_labels)) < 0.4).astype(np.int64)
    pred_probs = np.round(rng.random((n_samples, n_labels)), draw(st.integers(1, 6)))
    return indicator, pred_probs, rng.permutation(n_samples)


@settings(max_examples=40, deadline=None)
@given(data=_ml_data(), method=st.sampled_from(METHODS))
def test_find_multilabel_issues_mask_has_one_entry_per_example(data, method):
    indicator, pred_probs, _ = data
    mask = _quiet(find_multilabel_issues, indicator, pred_probs, method)
    assert mask.shape == (indicator.shape[0],)
    assert mask.dtype == bool
    ranked = _quiet(
        find_multilabel_issues,
        indicator,
        pred_probs,
        method,
        return_indices_ranked_by="self_confidence",
    )
    assert_array_equal(np.sort(ranked), np.flatnonzero(mask))


@settings(max_examples=40, deadline=None)
@given(
    data=_ml_data(),
    method=st.sampled_from(SCORES),
    aggregator=st.sampled_from(
        ["exponential_moving_average", "softmin", "mean", "min"]
    ),
)
def test_multilabel_quality_scores_in_unit_interval_and_row_order_invariant(
    data, method, aggregator
):
    indicator, pred_probs, order = data
    scores = multilabel_quality_scores(
        indicator, pred_probs, method=method, aggregator=aggregator
    )
    assert scores.shape == (indicator.shape[0],)
    assert np.all((scores >= 0) & (scores <= 1 + 1e-12))
    # per-example scores: permuting the rows permutes the scores
    permuted = multilabel_quality_scores(
        indicator[order], pred_probs[order], method=method, aggregator=aggregator
    )
    assert_allclose(permuted, scores[order], rtol=0, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    data=_ml_data(),
    method=st.sampled_from(["confident_learning", "predicted_neq_given"]),
)
def test_find_multilabel_issues_row_order_invariant_without_pruning(data, method):
    """Methods that flag each example on its own commute with row order.

    (The pruning methods select the most severe examples and break ties by
    position, so they hold this only without ties.)
    """
    indicator, pred_probs, order = data
    mask = find_multilabel_issues(indicator, pred_probs, method)
    permuted = find_multilabel_issues(indicator[order], pred_probs[order], method)
    assert_array_equal(permuted, mask[order])


@settings(max_examples=30, deadline=None)
@given(data=_ml_data())
def test_find_multilabel_issues_label_order_invariant(data):
    """Permuting the label columns (both inputs) does not change the mask."""
    indicator, pred_probs, _ = data
    columns = np.random.default_rng(0).permutation(indicator.shape[1])
    mask = _quiet(find_multilabel_issues, indicator, pred_probs)
    permuted = _quiet(
        find_multilabel_issues, indicator[:, columns], pred_probs[:, columns]
    )
    assert_array_equal(permuted, mask)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------

PRED = np.array([[0.9, 0.1, 0.3], [0.2, 0.8, 0.6]])


@pytest.mark.parametrize("func", [find_multilabel_issues, multilabel_quality_scores])
@pytest.mark.parametrize(
    "labels, error, match",
    [
        (np.array([[0.5, 0, 1], [1, 0, 0]]), ValueError, r"0\.5 \(a continuous value"),
        (
            np.array([[2, 0, 1], [1, 0, 0]]),
            ValueError,
            r"2 \(a value other than 0 and 1\) at labels\[0, 0\]",
        ),
        (
            np.array([[np.nan, 0, 1], [1, 0, 0]]),
            ValueError,
            r"nan \(NaN\) at labels\[0, 0\]",
        ),
        (
            sp.csr_matrix(np.array([[0, 0, 3], [1, 0, 0]])),
            ValueError,
            r"3 .*at labels\[0, 2\]",
        ),
        ([[0, 3], [1]], ValueError, r"indices in 0\.\.2 .*got 3 in labels\[0\]"),
        ([[0], [-1]], ValueError, r"got -1 in labels\[1\]"),
        ([[0.5], [1]], ValueError, r"non-integer value 0\.5 in labels\[0\]"),
        ([[0], 1], ValueError, r"list of label lists.*labels\[1\] = 1"),
        ([[0], "ab"], ValueError, r"labels\[1\] = 'ab'"),
        ([[0], ["a"]], TypeError, r"integer label indices.*'a' in labels\[1\]"),
        # the type is checked before the length
        ([["a"]], TypeError, r"integer label indices.*'a' in labels\[0\]"),
        ([[0]], ValueError, r"labels has 1 label lists but pred_probs has 2 rows"),
        (np.array([0, 1]), ValueError, r"1d array of class indices is single-label"),
        (np.ones((2, 2)), ValueError, r"labels has shape \(2, 2\) but pred_probs"),
        (np.array([["a", "b", "c"]] * 2), TypeError, r"dtype <U1"),
    ],
)
def test_multilabel_bad_labels_raise(func, labels, error, match):
    with pytest.raises(error, match=match):
        func(labels, PRED)


@pytest.mark.parametrize("func", [find_multilabel_issues, multilabel_quality_scores])
@pytest.mark.parametrize(
    "pred_probs, error, match",
    [
        (
            np.array([[0.9, 1.2, 0.3], [0.2, 0.8, 0.6]]),
            ValueError,
            r"pred_probs\[0, 1\] = .*1\.2.* outside \[0, 1\]",
        ),
        (
            np.array([[0.9, -0.1, 0.3], [0.2, 0.8, 0.6]]),
            ValueError,
            r"-0\.1.* is outside",
        ),
        (
            np.array([[0.9, np.nan, 0.3], [0.2, 0.8, 0.6]]),
            ValueError,
            r"nan.* is NaN or infinite",
        ),
        (
            np.array([0.9, 0.1]),
            ValueError,
            r"2d array of shape \(n_samples, n_labels\), got shape \(2,\)",
        ),
        (
            np.array([[0.9, 0.1], [0.2, 0.8]]),
            ValueError,
            r"labels has shape \(2, 3\) but pred_probs has shape \(2, 2\)",
        ),
        (np.zeros((0, 3)), ValueError, r"pred_probs is empty"),
        (
            np.array([["a", "b", "c"]] * 2),
            TypeError,
            r"numeric per-label probabilities",
        ),
        (sp.csr_matrix(PRED), TypeError, r"pred_probs.*must be an array-like"),
    ],
)
def test_multilabel_bad_pred_probs_raise(func, pred_probs, error, match):
    labels = np.array([[1, 0, 1], [0, 1, 0]])
    with pytest.raises(error, match=match):
        func(labels, pred_probs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "nope"}, "method"),
        ({"frac_noise": 1.5}, "frac_noise"),
        ({"return_indices_ranked_by": "nope"}, "return_indices_ranked_by"),
        ({"min_examples_per_class": -1}, "min_examples_per_class"),
    ],
)
def test_find_multilabel_issues_bad_parameters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_multilabel_issues(np.array([[1, 0, 1], [0, 1, 0]]), PRED, **kwargs)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "nope"}, "method"),
        ({"aggregator": "median"}, "aggregator"),
        ({"alpha": 1.5}, "alpha"),
        ({"temperature": 0}, "temperature"),
        (
            {"method": "confidence_weighted_entropy", "adjust_pred_probs": True},
            "adjust_pred_probs=True is not supported",
        ),
        ({"aggregator": np.sort}, r"must return one score per example"),
    ],
)
def test_multilabel_quality_scores_bad_parameters_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        multilabel_quality_scores(np.array([[1, 0, 1], [0, 1, 0]]), PRED, **kwargs)


@pytest.mark.parametrize("method", ["confident_learning", "low_self_confidence"])
def test_find_multilabel_issues_warns_on_ignored_parameters(method):
    indicator, _, pred_probs = _problem(0)
    with pytest.warns(UserWarning, match="are ignored by method"):
        find_multilabel_issues(indicator, pred_probs, method, frac_noise=0.5)
