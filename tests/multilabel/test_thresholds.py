"""The vectorised threshold kernel against scikit-learn's metrics (peer oracle)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    jaccard_score,
    matthews_corrcoef,
)

from sklabels.multilabel._thresholds import (
    _MAX_CALLABLE_CUTS,
    THRESHOLD_METRICS,
    best_thresholds,
)

SKLEARN = {
    "accuracy": accuracy_score,
    "balanced_accuracy": balanced_accuracy_score,
    "f1": lambda y, p, **kw: f1_score(y, p, zero_division=0, **kw),
    "jaccard": lambda y, p, **kw: jaccard_score(y, p, zero_division=0, **kw),
    "matthews_corrcoef": matthews_corrcoef,
}


def _problem(n=30, n_labels=2, seed=0, ties=False):
    rng = np.random.RandomState(seed)
    y = rng.rand(n, n_labels) < rng.uniform(0.1, 0.5, n_labels)
    y[0], y[1] = True, False  # both values in every column
    proba = np.clip(0.3 * y + rng.rand(n, n_labels) * 0.7, 0, 1)
    if ties:
        proba = proba.round(1)  # many equal probabilities, 0 and 1 included
    return y, proba


def _enumerate(y, p, metric, sample_weight=None):
    """Every realisable cut of one column, scored with scikit-learn."""
    values = np.unique(np.concatenate([[0.0, 1.0], p]))
    cuts = (values[1:] + values[:-1]) / 2
    return cuts, np.array([metric(y, p > t, sample_weight=sample_weight) for t in cuts])


@pytest.mark.parametrize("name", sorted(THRESHOLD_METRICS))
@pytest.mark.parametrize("ties", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_best_thresholds_agree_with_sklearn_metrics(name, ties, weighted):
    y, proba = _problem(ties=ties)
    weights = np.random.RandomState(1).randint(1, 4, len(y)) if weighted else None
    thresholds, scores = best_thresholds(proba, y, metric=name, sample_weight=weights)
    for j in range(y.shape[1]):
        _, values = _enumerate(y[:, j], proba[:, j], SKLEARN[name], weights)
        assert scores[j] == pytest.approx(values.max())
        achieved = SKLEARN[name](
            y[:, j], proba[:, j] > thresholds[j], sample_weight=weights
        )
        assert achieved == pytest.approx(values.max())
        assert 0 <= thresholds[j] <= 1


def test_best_thresholds_tie_break_closest_to_half():
    # perfectly separated: every cut between 0.2 and 0.8 is perfect
    y = np.array([[0], [0], [1], [1]], dtype=bool)
    proba = np.array([[0.1], [0.2], [0.8], [0.9]])
    thresholds, scores = best_thresholds(proba, y)
    assert thresholds[0] == pytest.approx(0.5)
    assert scores[0] == 1.0


def test_best_thresholds_can_predict_all_or_none():
    y = np.ones((5, 1), dtype=bool)
    y[0] = False
    proba = np.array([[0.9], [0.1], [0.2], [0.3], [0.4]])  # anti-correlated
    thresholds, _ = best_thresholds(proba, y, metric="f1")
    assert (proba[:, 0] > thresholds[0]).all()  # all present beats any cut
    # and none present: accuracy of predicting nothing beats any cut
    y = np.zeros((5, 1), dtype=bool)
    y[1] = True  # the least probable row
    thresholds, scores = best_thresholds(proba, y, metric="accuracy")
    assert not (proba[:, 0] > thresholds[0]).any()
    assert scores[0] == pytest.approx(0.8)


def test_best_thresholds_callable_matches_names():
    y, proba = _problem(n=50)
    by_name = best_thresholds(proba, y, metric="f1")
    by_callable = best_thresholds(proba, y, metric=SKLEARN["f1"])
    assert_allclose(by_callable[0], by_name[0])
    assert_allclose(by_callable[1], by_name[1])


def test_best_thresholds_callable_is_capped():
    y, proba = _problem(n=3 * _MAX_CALLABLE_CUTS, n_labels=1)
    calls = []

    def metric(y_true, y_pred):
        calls.append(1)
        return f1_score(y_true, y_pred)

    _, scores = best_thresholds(proba, y, metric=metric)
    assert len(calls) <= _MAX_CALLABLE_CUTS
    assert scores[0] <= best_thresholds(proba, y, metric="f1")[1][0] + 1e-12


def test_best_thresholds_in_chunks(monkeypatch):
    from sklabels.multilabel import _thresholds

    y, proba = _problem(n=40, n_labels=7, seed=3)
    whole = best_thresholds(proba, y)
    monkeypatch.setattr(_thresholds, "_CHUNK_ELEMENTS", 100)  # 2 labels a chunk
    chunked = best_thresholds(proba, y)
    assert_allclose(chunked[0], whole[0])
    assert_allclose(chunked[1], whole[1])
