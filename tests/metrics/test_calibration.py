"""Tests for sklabels.metrics.expected_calibration_error and calibration_bins."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.utils._param_validation import InvalidParameterError

from sklabels.metrics import calibration_bins, expected_calibration_error

# confidences 0.9, 0.75, 0.65, 0.55; only the second prediction is wrong
PROBA4 = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.45, 0.55]]
Y4 = [0, 1, 1, 1]


def _reference_ece(codes, proba, n_bins, strategy, weight=None):
    """Top-label ECE written as plain loops, for comparison."""
    proba = np.asarray(proba, dtype=float)
    n, k = proba.shape
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    confidence, correct = [], []
    for i in range(n):
        best = 0
        for j in range(1, k):
            if proba[i, j] > proba[i, best]:
                best = j
        confidence.append(proba[i, best])
        correct.append(1.0 if best == codes[i] else 0.0)
    if strategy == "uniform":
        edges = [b / n_bins for b in range(n_bins + 1)]
    else:
        edges = list(np.quantile(confidence, np.linspace(0, 1, n_bins + 1)))
    total = [0.0] * n_bins
    conf_sum = [0.0] * n_bins
    hit_sum = [0.0] * n_bins
    for c, hit, w in zip(confidence, correct, weight, strict=True):
        b = 0
        while b < n_bins - 1 and c > edges[b + 1]:
            b += 1
        total[b] += w
        conf_sum[b] += w * c
        hit_sum[b] += w * hit
    ece = 0.0
    for b in range(n_bins):
        if total[b] > 0:
            ece += total[b] * abs(hit_sum[b] / total[b] - conf_sum[b] / total[b])
    return ece / sum(total)


def _random_problem(rng, n, k, *, coarse=False):
    """Random labels and probabilities; coarse rows are multiples of 0.1."""
    if coarse:  # ties in argmax and confidences that fall exactly on edges
        proba = rng.multinomial(10, np.full(k, 1 / k), size=n) / 10
    else:
        proba = rng.dirichlet(np.full(k, 0.7), size=n)
    y = rng.integers(0, k, size=n)
    return y, proba


# --------------------------------------------------------------------------
# Hand-computed values


def test_expected_calibration_error_uniform_by_hand():
    # n_bins=2: one bin (0.5, 1], accuracy 3/4, confidence 2.85/4
    assert expected_calibration_error(Y4, PROBA4, n_bins=2) == pytest.approx(0.0375)
    # n_bins=5: bins (0.8, 1] {0.9 ok}, (0.6, 0.8] {0.75 wrong, 0.65 ok},
    # (0.4, 0.6] {0.55 ok}: (0.1 + 2 * 0.2 + 0.45) / 4
    assert expected_calibration_error(Y4, PROBA4, n_bins=5) == pytest.approx(0.2375)


def test_calibration_bins_uniform_by_hand():
    bins = calibration_bins(Y4, PROBA4, n_bins=4)
    assert_allclose(bins.bin_edges, [[0.5, 0.75], [0.75, 1.0]])
    assert_allclose(bins.confidence, [0.65, 0.9])
    assert_allclose(bins.accuracy, [2 / 3, 1.0])
    assert_allclose(bins.count, [3, 1])
    assert bins.ece == pytest.approx(0.75 * (2 / 3 - 0.65) + 0.25 * 0.1)
    assert set(bins) == {"bin_edges", "confidence", "accuracy", "count", "ece"}


def test_expected_calibration_error_uniform_sample_weight_by_hand():
    # weights 2, 1, 1, 0: bin (0.5, 0.75] holds 0.75 (wrong) and 0.65 (right)
    # with weight 1 each (0.55 weighs 0); bin (0.75, 1] holds 0.9 with weight 2
    bins = calibration_bins(Y4, PROBA4, n_bins=4, sample_weight=[2, 1, 1, 0])
    assert_allclose(bins.count, [2, 2])
    assert_allclose(bins.confidence, [0.7, 0.9])
    assert_allclose(bins.accuracy, [0.5, 1.0])
    assert bins.ece == pytest.approx((2 * 0.2 + 2 * 0.1) / 4)


def test_calibration_bins_drops_bins_of_zero_weight():
    bins = calibration_bins(Y4, PROBA4, n_bins=5, sample_weight=[1, 1, 1, 0])
    # (0.4, 0.6] only holds 0.55, which weighs 0
    assert_allclose(bins.bin_edges, [[0.6, 0.8], [0.8, 1.0]])
    assert_allclose(bins.count, [2, 1])


# confidences 0.55, 0.6, 0.7 | 0.8, 0.9, 0.95 (median 0.75); wrong: 0.6, 0.95
CONF6 = np.array([0.55, 0.6, 0.7, 0.8, 0.9, 0.95])
CORRECT6 = np.array([1, 0, 1, 1, 1, 0])
PROBA6 = np.column_stack([CONF6, 1 - CONF6])
Y6 = np.where(CORRECT6 == 1, 0, 1)


def test_expected_calibration_error_quantile_by_hand():
    bins = calibration_bins(Y6, PROBA6, n_bins=2, strategy="quantile")
    assert_allclose(bins.bin_edges, [[0.55, 0.75], [0.75, 0.95]])
    assert_allclose(bins.confidence, [1.85 / 3, 2.65 / 3])
    assert_allclose(bins.accuracy, [2 / 3, 2 / 3])
    expected = 0.5 * abs(2 / 3 - 1.85 / 3) + 0.5 * abs(2 / 3 - 2.65 / 3)
    assert bins.ece == pytest.approx(expected)
    assert expected_calibration_error(
        Y6, PROBA6, n_bins=2, strategy="quantile"
    ) == pytest.approx(expected)


def test_expected_calibration_error_quantile_sample_weight_by_hand():
    # weights move the statistics, not the quantile edges
    weight = [1, 1, 2, 1, 1, 1]
    bins = calibration_bins(
        Y6, PROBA6, n_bins=2, strategy="quantile", sample_weight=weight
    )
    assert_allclose(bins.bin_edges, [[0.55, 0.75], [0.75, 0.95]])
    assert_allclose(bins.count, [4, 3])
    assert_allclose(bins.confidence, [2.55 / 4, 2.65 / 3])
    assert_allclose(bins.accuracy, [3 / 4, 2 / 3])
    expected = (4 * abs(0.75 - 2.55 / 4) + 3 * abs(2 / 3 - 2.65 / 3)) / 7
    assert bins.ece == pytest.approx(expected)


def test_expected_calibration_error_one_bin_is_mean_gap():
    rng = np.random.default_rng(0)
    y, proba = _random_problem(rng, 50, 3)
    top = proba.max(axis=1)
    accuracy = np.mean(proba.argmax(axis=1) == y)
    for strategy in ("uniform", "quantile"):
        ece = expected_calibration_error(y, proba, n_bins=1, strategy=strategy)
        assert ece == pytest.approx(abs(accuracy - top.mean()))


def test_expected_calibration_error_right_closed_edges():
    # 0.75 sits on an edge of 4 uniform bins: it belongs to (0.5, 0.75]
    bins = calibration_bins([0], [[0.75, 0.25]], n_bins=4)
    assert_allclose(bins.bin_edges, [[0.5, 0.75]])
    # 1.0 belongs to the last bin
    bins = calibration_bins([0], [[1.0, 0.0]], n_bins=4)
    assert_allclose(bins.bin_edges, [[0.75, 1.0]])


def test_calibration_bins_first_bin_holds_its_lower_edge():
    # top-label confidences are >= 1 / n_classes, so test the kernel directly
    from sklabels.metrics._calibration import _bin_statistics

    edges = np.linspace(0, 1, 5)
    ids, count, _, _ = _bin_statistics(
        np.array([0.0, 1.0]), np.array([1.0, 0.0]), np.ones(2), edges
    )
    assert_array_equal(ids, [0, 3])
    assert_allclose(count, [1, 1])


# --------------------------------------------------------------------------
# Known behaviour on synthetic data


def test_expected_calibration_error_perfectly_calibrated_is_near_zero():
    rng = np.random.default_rng(42)
    n, k = 200_000, 4
    proba = rng.dirichlet(np.ones(k), size=n)
    # draw each label from its own row: the probabilities are then calibrated
    y = (rng.random(n)[:, None] > np.cumsum(proba, axis=1)).sum(axis=1)
    y = np.minimum(y, k - 1)
    for strategy in ("uniform", "quantile"):
        ece = expected_calibration_error(y, proba, n_bins=15, strategy=strategy)
        assert ece < 0.01


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_expected_calibration_error_constant_overconfident_predictor(strategy):
    # always 0.95 on class 0, right 60% of the time: ECE = 0.95 - 0.6
    n = 1000
    proba = np.tile([0.95, 0.03, 0.02], (n, 1))
    y = np.zeros(n, dtype=int)
    y[600:800], y[800:] = 1, 2
    ece = expected_calibration_error(y, proba, strategy=strategy)
    assert ece == pytest.approx(0.35)
    # the binary 1-D form: P(yes) = 0.1, "no" predicted with 0.9, right 70%
    y_bin = np.array(["no"] * 70 + ["yes"] * 30)
    ece = expected_calibration_error(y_bin, np.full(100, 0.1), strategy=strategy)
    assert ece == pytest.approx(0.2)


def test_expected_calibration_error_perfect_hard_predictions_is_zero():
    y = np.array([0, 2, 1, 1, 0])
    proba = np.eye(3)[y]
    assert expected_calibration_error(y, proba) == 0.0


# --------------------------------------------------------------------------
# Agreement with the loop-based reference


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("coarse", [False, True], ids=["smooth", "coarse"])
def test_expected_calibration_error_matches_loop_reference(
    seed, strategy, weighted, coarse
):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 120)), int(rng.integers(2, 6))
    n_bins = int(rng.integers(1, 16))
    y, proba = _random_problem(rng, n, k, coarse=coarse)
    weight = rng.random(n) * (rng.random(n) > 0.2) if weighted else None
    if weighted and weight.sum() == 0:
        weight[0] = 1.0
    ours = expected_calibration_error(
        y, proba, n_bins, strategy=strategy, sample_weight=weight
    )
    expected = _reference_ece(y, proba, n_bins, strategy, weight)
    assert ours == pytest.approx(expected, abs=1e-12)


# --------------------------------------------------------------------------
# Invariances and equivalent forms

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
    k=st.integers(2, 5),
    n_bins=st.integers(1, 20),
    strategy=st.sampled_from(["uniform", "quantile"]),
    coarse=st.booleans(),
    weighted=st.booleans(),
)
def test_expected_calibration_error_invariant_to_row_order(
    seed, n, k, n_bins, strategy, coarse, weighted
):
    rng = np.random.default_rng(seed)
    y, proba = _random_problem(rng, n, k, coarse=coarse)
    weight = rng.random(n) + 0.01 if weighted else None
    order = rng.permutation(n)
    before = calibration_bins(y, proba, n_bins, strategy=strategy, sample_weight=weight)
    after = calibration_bins(
        y[order],
        proba[order],
        n_bins,
        strategy=strategy,
        sample_weight=None if weight is None else weight[order],
    )
    assert after.ece == pytest.approx(before.ece, abs=1e-12)
    assert 0.0 <= before.ece <= 1.0
    assert_allclose(after.bin_edges, before.bin_edges)
    assert_allclose(after.count, before.count)
    assert_allclose(after.accuracy, before.accuracy, atol=1e-12)
    assert_allclose(after.confidence, before.confidence, atol=1e-12)


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_expected_calibration_error_binary_1d_equals_two_columns(strategy):
    rng = np.random.default_rng(3)
    p = rng.random(80)
    p[:5] = [0.5, 0.0, 1.0, 0.25, 0.75]  # ties and edges
    y = rng.integers(0, 2, size=80)
    one_d = calibration_bins(y, p, 7, strategy=strategy)
    two_d = calibration_bins(y, np.column_stack([1 - p, p]), 7, strategy=strategy)
    assert one_d.ece == two_d.ece
    for key in ("bin_edges", "confidence", "accuracy", "count"):
        assert_array_equal(one_d[key], two_d[key])


def test_expected_calibration_error_string_labels_with_classes():
    rng = np.random.default_rng(5)
    y, proba = _random_problem(rng, 40, 3)
    names = np.array(["zebra", "ant", "moth"])  # column order, not sorted
    expected = expected_calibration_error(y, proba)
    ours = expected_calibration_error(names[y], proba, classes=names)
    assert ours == expected
    # as list, Series and categorical
    for container in (list, pd.Series, lambda v: pd.Series(v, dtype="category")):
        assert expected_calibration_error(
            container(names[y].tolist()), proba, classes=list(names)
        ) == pytest.approx(expected)


def test_expected_calibration_error_infers_sorted_classes():
    rng = np.random.default_rng(6)
    y, proba = _random_problem(rng, 40, 3)
    y[:3] = [0, 1, 2]  # every class present
    names = np.array(["ant", "moth", "zebra"])  # sorted: the columns' order
    assert expected_calibration_error(names[y], proba) == pytest.approx(
        expected_calibration_error(y, proba)
    )
    # integer labels that are not column indices, e.g. classes_ = [3, 5, 9]
    assert expected_calibration_error(np.array([3, 5, 9])[y], proba) == pytest.approx(
        expected_calibration_error(y, proba)
    )


def test_expected_calibration_error_integer_codes_need_not_cover_all_columns():
    # labels 0 and 2 only: still the column indices of a 3-column proba
    proba = [[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]]
    assert expected_calibration_error([0, 2], proba) == pytest.approx(0.3)
    assert expected_calibration_error([0.0, 2.0], proba) == pytest.approx(0.3)


@pytest.mark.parametrize(
    "container",
    [list, np.asarray, pd.DataFrame],
    ids=["list", "ndarray", "DataFrame"],
)
def test_expected_calibration_error_accepts_containers(container):
    proba = container(PROBA4)
    y = pd.Series(Y4, index=[10, 11, 12, 13])
    assert expected_calibration_error(y, proba, n_bins=5) == pytest.approx(0.2375)


def test_expected_calibration_error_tolerates_rounding_in_row_sums():
    proba = np.array(PROBA4) + np.array([[5e-7, 0], [0, -5e-7], [0, 0], [0, 0]])
    assert expected_calibration_error(Y4, proba, n_bins=5) == pytest.approx(
        0.2375, abs=1e-6
    )


def test_expected_calibration_error_returns_python_float():
    assert type(expected_calibration_error(Y4, PROBA4)) is float


# --------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize(
    "proba, match",
    [
        (
            [[0.9, 0.1], [0.5, 0.4]],
            r"proba rows must sum to 1 \(tolerance 1e-06\); row 1 sums to 0\.9: "
            r"\[0\.5, 0\.4\]",
        ),
        (
            [[0.9, 0.1], [0.5, 0.5], [1.2, -0.2]],
            r"proba must hold non-negative class probabilities; row 2 is "
            r"\[1\.2, -0\.2\]",
        ),
        (
            [[0.9, 0.1], [np.nan, 1.0]],
            r"proba must hold finite class probabilities; row 1 contains NaN or "
            r"infinity: \[nan, 1\]",
        ),
        (
            [[np.inf, 0.0], [0.5, 0.5]],
            r"row 0 contains NaN or infinity: \[inf, 0\]",
        ),
        ([0.2, 1.5], r"must lie in \[0, 1\]; row 1 is 1\.5"),
        ([-0.1, 0.5], r"non-negative positive-class probabilities; row 0 is \[-0\.1\]"),
        ([0.5, np.nan], r"finite positive-class probabilities; row 1"),
        ([[0.2], [0.5]], r"proba has a single column \(shape \(2, 1\)\)"),
        (np.full((2, 2, 2), 0.5), r"proba must be .*got shape \(2, 2, 2\)"),
    ],
    ids=[
        "row-sum",
        "negative",
        "nan",
        "inf",
        "1d-above-one",
        "1d-negative",
        "1d-nan",
        "one-column",
        "3d",
    ],
)
def test_expected_calibration_error_rejects_bad_proba(proba, match):
    n = np.asarray(proba).shape[0]
    with pytest.raises(ValueError, match=match):
        expected_calibration_error([0] * n, proba)


def test_expected_calibration_error_rejects_non_numeric_proba():
    with pytest.raises(ValueError, match="proba must hold real numbers"):
        expected_calibration_error([0, 1], [["a", "b"], ["c", "d"]])
    with pytest.raises(TypeError, match="proba must hold real numbers"):
        expected_calibration_error([0, 1], [[1, 0j], [0, 1]])


def test_expected_calibration_error_rejects_length_mismatch():
    with pytest.raises(
        ValueError, match=r"y_true has 3 rows but proba has 4; they must have"
    ):
        expected_calibration_error([0, 1, 1], PROBA4)


def test_expected_calibration_error_rejects_empty_input():
    with pytest.raises(ValueError, match="y_true is empty"):
        expected_calibration_error([], np.empty((0, 2)))


@pytest.mark.parametrize(
    "params, match",
    [
        ({"n_bins": 0}, r"'n_bins' parameter .* range \[1, inf\)\. Got 0 instead"),
        ({"n_bins": 2.5}, r"'n_bins' parameter .*Got 2\.5 instead"),
        ({"strategy": "equal"}, r"'strategy' parameter .*Got 'equal' instead"),
    ],
)
@pytest.mark.parametrize("func", [expected_calibration_error, calibration_bins])
def test_expected_calibration_error_rejects_bad_parameters(func, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        func(Y4, PROBA4, **params)


def test_expected_calibration_error_rejects_bad_classes():
    y = ["no", "yes", "maybe"]
    proba = [[0.9, 0.1], [0.2, 0.8], [0.5, 0.5]]
    with pytest.raises(
        ValueError, match=r"y_true contains labels that are not in classes: \['maybe'\]"
    ):
        expected_calibration_error(y, proba, classes=["no", "yes"])
    with pytest.raises(
        ValueError, match=r"classes has 3 entries but proba has 2 columns"
    ):
        expected_calibration_error(y, proba, classes=["no", "yes", "maybe"])
    with pytest.raises(ValueError, match=r"classes contains duplicates: \['no'\]"):
        expected_calibration_error(y[:2], proba[:2], classes=["no", "no"])


@pytest.mark.parametrize(
    "y, match",
    [
        (["yes", "yes"], r"y_true holds 1 distinct label\(s\) \['yes'\]"),
        ([0, 5], r"y_true holds 2 distinct label\(s\) \[0, 5\].*0\.\.2"),
        ([0.5, 1.5], r"y_true holds 2 distinct label\(s\) \[0\.5, 1\.5\]"),
    ],
)
def test_expected_calibration_error_asks_for_classes(y, match):
    proba = [[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]]
    if y[0] == "yes":
        proba = [[0.3, 0.7], [0.4, 0.6]]
    with pytest.raises(ValueError, match=match + r".*Pass classes="):
        expected_calibration_error(y, proba)


def test_expected_calibration_error_rejects_bad_labels():
    with pytest.raises(ValueError, match="y_true contains missing labels"):
        expected_calibration_error(["a", None], [0.2, 0.6])
    with pytest.raises(TypeError, match="y_true must hold labels of one kind"):
        expected_calibration_error([1, "a"], [0.2, 0.6])
    with pytest.raises(ValueError, match="y_true should be a 1d array"):
        expected_calibration_error([[0, 1], [1, 0]], [0.2, 0.6])


@pytest.mark.parametrize(
    "weight, match",
    [
        ([1, 1, 1], r"sample_weight has 3 entries but y_true has 4 rows"),
        ([1, -1, 1, 1], r"sample_weight must be finite and non-negative; row 1 is "),
        ([1, 1, np.nan, 1], r"non-negative; row 2 is nan"),
        ([0, 0, 0, 0], r"sample_weight sums to 0"),
        ([[1, 1, 1, 1]], r"sample_weight must be 1-D .*got shape \(1, 4\)"),
    ],
)
def test_expected_calibration_error_rejects_bad_sample_weight(weight, match):
    with pytest.raises(ValueError, match=match):
        expected_calibration_error(Y4, PROBA4, sample_weight=weight)
