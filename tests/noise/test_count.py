"""Tests for sklabels.noise.confident_joint and estimate_noise_matrices."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklabels.datasets import make_noisy_labels
from sklabels.noise import confident_joint, estimate_noise_matrices

cleanlab_count = pytest.importorskip("cleanlab.count")


def _noisy_problem(
    n_samples, n_classes, seed, *, dtype=np.float64, ties=None, return_true=False
):
    """Noisy labels and pred_probs correlated with the true labels."""
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, n_classes, n_samples)
    labels, _ = make_noisy_labels(
        y_true, noise_rate=0.3, random_state=seed, classes=np.arange(n_classes)
    )
    pred_probs = rng.dirichlet(np.full(n_classes, 0.5), n_samples)
    pred_probs += np.eye(n_classes)[y_true] * rng.uniform(0, 2, (n_samples, 1))
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    if ties is not None:
        pred_probs = np.round(pred_probs / ties) * ties
        pred_probs[pred_probs.sum(axis=1) == 0, 0] = 1.0
        pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    pred_probs = pred_probs.astype(dtype)
    if dtype == np.float32:
        pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    if return_true:
        return np.asarray(labels), pred_probs, y_true
    return np.asarray(labels), pred_probs


CASES = [
    pytest.param({"n_samples": 20, "n_classes": 2, "seed": 0}, id="n20-K2"),
    pytest.param({"n_samples": 300, "n_classes": 3, "seed": 1}, id="n300-K3"),
    pytest.param({"n_samples": 1500, "n_classes": 10, "seed": 2}, id="n1500-K10"),
    pytest.param({"n_samples": 2000, "n_classes": 37, "seed": 3}, id="n2000-K37"),
    pytest.param(
        {"n_samples": 800, "n_classes": 10, "seed": 4, "dtype": np.float32},
        id="float32",
    ),
    pytest.param(
        {"n_samples": 600, "n_classes": 4, "seed": 5, "ties": 0.25}, id="ties"
    ),
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("calibrate", [True, False])
def test_confident_joint_matches_cleanlab(case, calibrate):
    labels, pred_probs = _noisy_problem(**case)
    expected = cleanlab_count.compute_confident_joint(
        labels, pred_probs, calibrate=calibrate
    )
    assert_array_equal(
        confident_joint(labels, pred_probs, calibrate=calibrate), expected
    )


def test_confident_joint_calibrated_rows_sum_to_label_counts():
    labels, pred_probs = _noisy_problem(500, 5, 6)
    joint = confident_joint(labels, pred_probs)
    assert_array_equal(joint.sum(axis=1), np.bincount(labels, minlength=5))


def test_confident_joint_absent_and_never_predicted_class():
    # class 3 never appears in labels, class 2 is never the argmax
    rng = np.random.default_rng(7)
    labels = rng.integers(0, 3, 400)
    pred_probs = rng.dirichlet(np.ones(4), 400)
    pred_probs[:, 2] *= 0.05
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    for calibrate in (True, False):
        expected = cleanlab_count.compute_confident_joint(
            labels, pred_probs, calibrate=calibrate
        )
        assert_array_equal(
            confident_joint(labels, pred_probs, calibrate=calibrate), expected
        )


def test_confident_joint_float32_missing_class_matches_cleanlab():
    # with an absent class cleanlab's thresholds become float64
    labels, pred_probs = _noisy_problem(700, 6, 8, dtype=np.float32)
    labels = np.where(labels == 5, 4, labels)
    expected = cleanlab_count.compute_confident_joint(labels, pred_probs)
    assert_array_equal(confident_joint(labels, pred_probs), expected)


@pytest.mark.parametrize("case", CASES)
def test_estimate_noise_matrices_matches_cleanlab(case):
    labels, pred_probs = _noisy_problem(**case)
    joint = cleanlab_count.compute_confident_joint(labels, pred_probs)
    prior, noise, inverse = cleanlab_count.estimate_latent(joint, labels)
    got_noise, got_inverse, got_prior = estimate_noise_matrices(labels, pred_probs)
    assert_allclose(got_noise, noise, rtol=1e-12, atol=0)
    assert_allclose(got_inverse, inverse, rtol=1e-12, atol=0)
    assert_allclose(got_prior, prior, rtol=1e-12, atol=0)


def test_estimate_noise_matrices_are_column_stochastic():
    labels, pred_probs = _noisy_problem(1000, 7, 9)
    noise, inverse, prior = estimate_noise_matrices(labels, pred_probs)
    assert_allclose(noise.sum(axis=0), 1.0)
    assert_allclose(inverse.sum(axis=0), 1.0)
    assert_allclose(prior.sum(), 1.0)
    assert (prior > 0).all()


def test_confident_joint_batch_size_and_memmap(tmp_path):
    labels, pred_probs = _noisy_problem(1003, 5, 10, dtype=np.float32)
    path = tmp_path / "pred_probs.npy"
    np.save(path, pred_probs)
    memmap = np.load(path, mmap_mode="r")
    expected = confident_joint(labels, pred_probs)
    for batch_size in (1, 7, 100, 5000):
        assert_array_equal(
            confident_joint(labels, memmap, batch_size=batch_size), expected
        )
    noise = estimate_noise_matrices(labels, memmap, batch_size=64)
    for got, want in zip(
        noise, estimate_noise_matrices(labels, pred_probs), strict=True
    ):
        assert_array_equal(got, want)


def test_confident_joint_accepts_lists_and_integer_valued_float_labels():
    labels, pred_probs = _noisy_problem(60, 3, 11)
    expected = confident_joint(labels, pred_probs)
    assert_array_equal(confident_joint(labels.tolist(), pred_probs.tolist()), expected)
    assert_array_equal(confident_joint(labels.astype(float), pred_probs), expected)


@pytest.mark.parametrize(
    "labels, pred_probs, error, match",
    [
        ([0, 3], [[0.5, 0.5], [0.5, 0.5]], ValueError, r"0\.\.1 .*\[3\]"),
        ([0, -1], [[0.5, 0.5], [0.5, 0.5]], ValueError, r"outside that range \[-1\]"),
        ([0, 0.5], [[0.5, 0.5], [0.5, 0.5]], ValueError, "non-integer values"),
        (["a", "b"], [[0.5, 0.5], [0.5, 0.5]], TypeError, "LabelEncoder"),
        ([0, 1, 1], [[0.5, 0.5], [0.5, 0.5]], ValueError, "3 entries but"),
        ([[0, 1]], [[0.5, 0.5]], ValueError, "1d array"),
        ([0, 1], [0.5, 0.5], ValueError, "2d array"),
        ([0, 0], [[1.0], [1.0]], ValueError, "at least 2 columns"),
        ([0, 1], [[0.5, 0.6], [0.5, 0.5]], ValueError, "rows must sum to 1"),
        ([0, 1], [[1.5, -0.5], [0.5, 0.5]], ValueError, "non-negative"),
        ([0, 1], [[np.nan, 1.0], [0.5, 0.5]], ValueError, "finite"),
        ([], np.zeros((0, 2)), ValueError, "empty"),
    ],
)
def test_confident_joint_rejects_invalid_input(labels, pred_probs, error, match):
    with pytest.raises(error, match=match):
        confident_joint(labels, pred_probs)


def test_confident_joint_invalid_values_in_a_batch_name_the_rows():
    pred_probs = np.full((10, 2), 0.5)
    pred_probs[7] = [0.9, 0.9]
    with pytest.raises(ValueError, match=r"pred_probs\[5:10\] rows must sum to 1"):
        confident_joint(np.zeros(10, dtype=int), pred_probs, batch_size=5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"calibrate": "yes"}, "calibrate"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_confident_joint_rejects_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        confident_joint([0, 1], [[0.5, 0.5], [0.5, 0.5]], **kwargs)


def test_confident_joint_does_not_warn_on_valid_input():
    labels, pred_probs = _noisy_problem(200, 4, 12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        confident_joint(labels, pred_probs)


def _round_row_by_loop(row):
    """cleanlab's round_preserving_sum on one row, written out."""
    values = np.asarray(row, dtype=float)
    ints = values.round()
    target = np.sum(values).round()
    total = np.sum(ints).round()
    while abs(total - target) > 1e-6:
        diff = np.round(target - total)
        step = -1 if diff < 0.0 else 1
        n_change = min(int(abs(diff)), values.size)
        ranked = np.argsort(values - ints)
        if step == 1:
            ranked = ranked[::-1]
        ints[ranked[:n_change]] += step
        total = np.sum(ints).round()
    return ints.astype(int)


@pytest.mark.parametrize("order", ["C", "F"])
@pytest.mark.parametrize("n_classes", [2, 3, 9, 37, 130])
def test_round_rows_matches_the_row_by_row_rounding(n_classes, order):
    """All rows at once == one row at a time, halves and ties included."""
    from sklabels.noise._count import _round_rows

    rng = np.random.RandomState(n_classes)
    for trial in range(20):
        matrix = rng.gamma(0.5, 30.0, size=(n_classes, n_classes))
        if trial % 2:  # many exact halves and equal remainders
            matrix = np.round(matrix * 2) / 2
        matrix = np.asarray(matrix, order=order)
        expected = np.array([_round_row_by_loop(matrix[i]) for i in range(n_classes)])
        got = _round_rows(matrix)
        assert_array_equal(got, expected)
        assert got.flags.c_contiguous  # the layout decides later sums' last bits
        assert_array_equal(got.sum(axis=1), [np.sum(r).round() for r in matrix])


def _assert_column_stochastic(matrix):
    assert np.all(matrix >= 0)
    assert_allclose(matrix.sum(axis=0), 1.0)


def test_estimate_noise_matrices_absent_class_gets_identity_columns():
    # class 2 is a column of pred_probs but no row's given label
    labels, pred_probs = _noisy_problem(300, 3, 7)
    keep = labels != 2
    labels, pred_probs = labels[keep], pred_probs[keep]
    noise, inverse, prior = estimate_noise_matrices(labels, pred_probs)
    _assert_column_stochastic(noise)
    _assert_column_stochastic(inverse)
    assert_array_equal(noise[:, 2], [0.0, 0.0, 1.0])
    assert_array_equal(inverse[:, 2], [0.0, 0.0, 1.0])
    assert_allclose(prior.sum(), 1.0)
    # cleanlab agrees on every other column and on the prior, and leaves
    # the absent class's columns at zero
    joint = cleanlab_count.compute_confident_joint(labels, pred_probs)
    cl_prior, cl_noise, cl_inverse = cleanlab_count.estimate_latent(joint, labels)
    assert_array_equal(noise[:, :2], cl_noise[:, :2])
    assert_array_equal(inverse[:, :2], cl_inverse[:, :2])
    assert_array_equal(prior, cl_prior)
    assert_array_equal(cl_noise[:, 2], 0.0)


def test_estimate_noise_matrices_one_row():
    noise, inverse, prior = estimate_noise_matrices([1], np.array([[0.3, 0.7]]))
    assert_array_equal(noise, np.eye(2))
    assert_array_equal(inverse, np.eye(2))
    assert_allclose(prior, [1e-6 / (1 + 1e-6), 1 / (1 + 1e-6)])


def test_estimate_noise_matrices_one_class_in_labels():
    labels = np.zeros(4, dtype=int)
    pred_probs = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8], [0.7, 0.3]])
    noise, inverse, prior = estimate_noise_matrices(labels, pred_probs)
    assert_array_equal(noise, np.eye(2))
    assert_array_equal(inverse, np.eye(2))
    assert prior.argmax() == 0
    assert_allclose(prior.sum(), 1.0)


def test_estimate_noise_matrices_present_class_without_confident_example():
    # the one example labelled 0 is confidently of class 1 and no example is
    # confidently of class 0: the calibrated joint has an empty column 0
    labels = np.array([0] + [1] * 4 + [2] * 4)
    pred_probs = np.array(
        [[0.4, 0.6, 0.0]] + [[0.1, 0.5, 0.4]] * 4 + [[0.1, 0.1, 0.8]] * 4
    )
    assert_array_equal(confident_joint(labels, pred_probs)[:, 0], 0)
    noise, inverse, prior = estimate_noise_matrices(labels, pred_probs)
    _assert_column_stochastic(noise)
    _assert_column_stochastic(inverse)
    assert_array_equal(noise[:, 0], [1.0, 0.0, 0.0])
    joint = cleanlab_count.compute_confident_joint(labels, pred_probs)
    cl_prior, cl_noise, cl_inverse = cleanlab_count.estimate_latent(joint, labels)
    assert_array_equal(noise[:, 1:], cl_noise[:, 1:])
    assert_array_equal(inverse, cl_inverse)
    assert_array_equal(prior, cl_prior)
