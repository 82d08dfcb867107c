"""float16 pred_probs: accepted with a tolerance their rounding allows.

float16 values are converted to float64 (exactly) and computed there, so
every function equals cleanlab run on the same values as float64.
"""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklabels.noise import (
    confident_joint,
    estimate_noise_matrices,
    find_label_issues,
    label_quality_scores,
)

from .test_count import _noisy_problem

cleanlab_count = pytest.importorskip("cleanlab.count")
cleanlab_filter = pytest.importorskip("cleanlab.filter")
cleanlab_rank = pytest.importorskip("cleanlab.rank")

_METHODS = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]
_SCORES = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]


def _float16_problem(n_samples=1500, n_classes=10, seed=2):
    labels, pred_probs = _noisy_problem(n_samples, n_classes, seed)
    pred_probs = pred_probs.astype(np.float16)
    # float16 rounding leaves the row sums off 1 by more than 1e-6 (the
    # float64 tolerance), as any float16 output of a model would
    assert np.abs(pred_probs.astype(np.float64).sum(axis=1) - 1).max() > 1e-4
    return labels, pred_probs


@pytest.mark.parametrize("method", _METHODS)
def test_find_label_issues_float16_matches_cleanlab(method):
    labels, pred_probs = _float16_problem()
    expected = cleanlab_filter.find_label_issues(
        labels, pred_probs.astype(np.float64), filter_by=method
    )
    assert_array_equal(find_label_issues(labels, pred_probs, method=method), expected)


@pytest.mark.parametrize("calibrate", [True, False])
def test_confident_joint_float16_matches_cleanlab(calibrate):
    labels, pred_probs = _float16_problem()
    expected = cleanlab_count.compute_confident_joint(
        labels, pred_probs.astype(np.float64), calibrate=calibrate
    )
    assert_array_equal(
        confident_joint(labels, pred_probs, calibrate=calibrate), expected
    )


@pytest.mark.parametrize("method", _SCORES)
def test_label_quality_scores_float16_matches_cleanlab(method):
    labels, pred_probs = _float16_problem()
    expected = cleanlab_rank.get_label_quality_scores(
        labels, pred_probs.astype(np.float64), method=method
    )
    scores = label_quality_scores(labels, pred_probs, method=method)
    assert scores.dtype == np.float64
    assert_array_equal(scores, expected)
    # cleanlab on the float16 array itself rounds its arithmetic to float16
    native = cleanlab_rank.get_label_quality_scores(labels, pred_probs, method=method)
    assert_allclose(
        scores, native.astype(np.float64), atol=2 * np.finfo(np.float16).eps
    )


def test_estimate_noise_matrices_float16_matches_cleanlab():
    labels, pred_probs = _float16_problem()
    joint = cleanlab_count.compute_confident_joint(
        labels, pred_probs.astype(np.float64)
    )
    prior, noise, inverse = cleanlab_count.estimate_latent(joint, labels)
    result = estimate_noise_matrices(labels, pred_probs)
    for got, want in zip(result, (noise, inverse, prior), strict=True):
        assert_array_equal(got, want)


def test_confident_joint_float16_matches_cleanlab_on_the_float16_array():
    # cleanlab compares a float16 array with float16 thresholds (the class
    # means rounded to float16); where no probability lies between those and
    # the exact means, both count the same examples
    labels, pred_probs = _float16_problem(n_samples=300, n_classes=3, seed=1)
    rounded = cleanlab_count.get_confident_thresholds(labels, pred_probs)
    exact = cleanlab_count.get_confident_thresholds(
        labels, pred_probs.astype(np.float64)
    )
    low, high = np.minimum(rounded, exact) - 1e-6, np.maximum(rounded, exact)
    values = pred_probs.astype(np.float64)
    assert not ((values >= low) & (values <= high)).any()
    assert_array_equal(
        confident_joint(labels, pred_probs),
        cleanlab_count.compute_confident_joint(labels, pred_probs),
    )
    for method in _METHODS:
        assert_array_equal(
            find_label_issues(labels, pred_probs, method=method),
            cleanlab_filter.find_label_issues(labels, pred_probs, filter_by=method),
        )


def test_find_label_issues_float16_memmap_batches(tmp_path):
    labels, pred_probs = _float16_problem()
    path = tmp_path / "pred_probs.dat"
    memmap = np.memmap(path, dtype=np.float16, mode="w+", shape=pred_probs.shape)
    memmap[:] = pred_probs
    memmap.flush()
    expected = find_label_issues(labels, pred_probs)
    assert_array_equal(find_label_issues(labels, memmap, batch_size=97), expected)
    assert_array_equal(
        label_quality_scores(labels, memmap, batch_size=97),
        label_quality_scores(labels, pred_probs),
    )


@pytest.mark.parametrize("batch_size", [None, 64])
def test_find_label_issues_float16_rows_far_from_one_are_refused(batch_size):
    labels, pred_probs = _float16_problem(n_samples=200, n_classes=3, seed=0)
    pred_probs[7] = np.array([0.5, 0.3, 0.19], dtype=np.float16)  # sums to 0.99
    with pytest.raises(ValueError, match=r"tolerance 0\.004.*row 7"):
        find_label_issues(labels, pred_probs, batch_size=batch_size)
