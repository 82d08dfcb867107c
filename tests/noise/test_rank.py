"""Tests for sklabels.noise.label_quality_scores."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklabels.noise import label_quality_scores
from tests.noise.test_count import CASES, _noisy_problem

cleanlab_rank = pytest.importorskip("cleanlab.rank")

METHODS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
# cleanlab does not adjust the confidence-weighted entropy either
SETTINGS = [
    (method, adjust)
    for method in METHODS
    for adjust in (False, True)
    if not (adjust and method == "confidence_weighted_entropy")
]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("method, adjust", SETTINGS)
def test_label_quality_scores_match_cleanlab(case, method, adjust):
    labels, pred_probs = _noisy_problem(**case)
    expected = cleanlab_rank.get_label_quality_scores(
        labels, pred_probs, method=method, adjust_pred_probs=adjust
    )
    got = label_quality_scores(
        labels, pred_probs, method=method, adjust_pred_probs=adjust
    )
    assert got.dtype == expected.dtype
    assert_allclose(got, expected, rtol=1e-12, atol=0)
    # in fact bit for bit, which the ranking of find_label_issues relies on
    assert_array_equal(got, expected)


@pytest.mark.parametrize("method", METHODS)
def test_label_quality_scores_with_absent_class(method):
    labels, pred_probs = _noisy_problem(300, 5, 20, dtype=np.float32)
    labels = np.where(labels == 4, 0, labels)
    adjusts = (False,) if method == "confidence_weighted_entropy" else (False, True)
    for adjust in adjusts:
        expected = cleanlab_rank.get_label_quality_scores(
            labels, pred_probs, method=method, adjust_pred_probs=adjust
        )
        got = label_quality_scores(
            labels, pred_probs, method=method, adjust_pred_probs=adjust
        )
        assert got.dtype == expected.dtype
        assert_array_equal(got, expected)


@pytest.mark.parametrize("method", METHODS)
def test_label_quality_scores_batch_size_and_memmap(tmp_path, method):
    labels, pred_probs = _noisy_problem(511, 4, 21, dtype=np.float32)
    path = tmp_path / "pred_probs.npy"
    np.save(path, pred_probs)
    memmap = np.load(path, mmap_mode="r")
    adjusts = (False,) if method == "confidence_weighted_entropy" else (False, True)
    for adjust in adjusts:
        expected = label_quality_scores(
            labels, pred_probs, method=method, adjust_pred_probs=adjust
        )
        for batch_size in (1, 50, 1000):
            got = label_quality_scores(
                labels,
                memmap,
                method=method,
                adjust_pred_probs=adjust,
                batch_size=batch_size,
            )
            assert_array_equal(got, expected)


def test_label_quality_scores_lower_for_wrong_labels():
    pred_probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    right = label_quality_scores([0, 1, 0], pred_probs, method="normalized_margin")
    wrong = label_quality_scores([1, 0, 1], pred_probs, method="normalized_margin")
    assert (right > 0.5).all() and (wrong < 0.5).all()


def test_label_quality_scores_rejects_adjusted_entropy():
    with pytest.raises(ValueError, match="adjust_pred_probs=True is not supported"):
        label_quality_scores(
            [0, 1],
            [[0.9, 0.1], [0.2, 0.8]],
            method="confidence_weighted_entropy",
            adjust_pred_probs=True,
        )


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "margin"}, "method"),
        ({"adjust_pred_probs": "no"}, "adjust_pred_probs"),
        ({"batch_size": -3}, "batch_size"),
    ],
)
def test_label_quality_scores_rejects_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        label_quality_scores([0, 1], [[0.9, 0.1], [0.2, 0.8]], **kwargs)


def test_label_quality_scores_rejects_invalid_input():
    with pytest.raises(ValueError, match=r"class indices in 0\.\.1"):
        label_quality_scores([0, 2], [[0.9, 0.1], [0.2, 0.8]])
    with pytest.raises(ValueError, match="rows must sum to 1"):
        label_quality_scores([0, 1], [[0.9, 0.2], [0.2, 0.8]])
    with pytest.raises(ValueError, match=r"pred_probs\[0:1\] must hold finite"):
        label_quality_scores(
            [0, 1], np.array([[np.inf, 0.1], [0.2, 0.8]]), batch_size=1
        )
