"""LabelModel: dependency handling, unipolar LFs and parameter checks."""

import numpy as np
import pytest

from sklabels.aggregation import LabelModel, MajorityVote
from sklabels.datasets import make_weak_labels

HAM, SPAM = 0, 1


def _accuracy(model, L, y):
    """Accuracy on the items with at least one vote."""
    covered = (L >= 0).any(axis=1)
    return float(np.mean(model.fit(L).predict(L)[covered] == y[covered]))


def _independent(coverage, n_items=10_000):
    y = np.random.RandomState(0).randint(2, size=n_items)
    accuracy = [0.95, 0.6, 0.7, 0.55, 0.8]
    L = make_weak_labels(
        y, n_lfs=5, coverage=coverage, accuracy=accuracy, random_state=0
    )
    return L, y


def _block(rho, n_items=6000, random_state=0):
    """Unipolar LFs on 3 imbalanced classes; LFs 10-13 are a correlated block."""
    rng = np.random.RandomState(random_state)
    y = rng.choice(3, size=n_items, p=[0.7, 0.2, 0.1])
    specs = [(0, 0.4, 0.05), (0, 0.3, 0.03), (0, 0.5, 0.15), (0, 0.2, 0.02)]
    specs += [(1, 0.45, 0.03), (1, 0.3, 0.02), (1, 0.5, 0.08)]
    specs += [(2, 0.4, 0.02), (2, 0.3, 0.01), (2, 0.55, 0.05)]
    specs += [(1, 0.35, 0.1)] * 4
    L = np.full((n_items, len(specs)), -1)
    for j, (k, tpr, fpr) in enumerate(specs):
        fires = rng.random_sample(n_items) < np.where(y == k, tpr, fpr)
        if j > 10:  # near-copies of LF 10
            fires = np.where(rng.random_sample(n_items) < rho, L[:, 10] >= 0, fires)
        L[fires, j] = k
    return L, y


def _spam_like(n_items=1836, random_state=0):
    """Keyword LFs on comments, about half of them spam.

    Unipolar LFs of low coverage and mixed accuracy, independent given the
    class except two: "subscribe" often fires with "my" on spam, and the
    keyword "check" fires on every item of the pattern "check.*out" (and on
    some ham).
    """
    rng = np.random.RandomState(random_state)
    y = (rng.random_sample(n_items) < 0.48).astype(int)
    specs = [  # class voted, P(fires | spam), P(fires | ham)
        (SPAM, 0.35, 0.05),  # "my"
        (SPAM, 0.20, 0.01),  # "subscribe"
        (SPAM, 0.25, 0.01),  # "http"
        (SPAM, 0.20, 0.02),  # "please"
        (HAM, 0.04, 0.25),  # "song"
        (SPAM, 0.30, 0.01),  # "check.*out"
        (HAM, 0.12, 0.35),  # short comment
        (HAM, 0.01, 0.07),  # very positive
        (SPAM, 0.45, 0.30),  # subjective
    ]
    L = np.full((n_items, len(specs) + 1), -1)
    for j, (k, tpr, fpr) in enumerate(specs):
        fires = rng.random_sample(n_items) < np.where(y == SPAM, tpr, fpr)
        if j == 1:
            fires |= (L[:, 0] >= 0) & (y == SPAM) & (rng.random_sample(n_items) < 0.4)
        L[fires, j] = k
    check = rng.random_sample(n_items) < np.where(y == SPAM, 0.05, 0.12)
    L[(L[:, 5] >= 0) | check, -1] = SPAM
    return L, y


# Vote patterns of nine LFs on YouTube comments, with the true class and how
# many of 1,587 comments had each (patterns seen at least 5 times): keywords
# "my", "subscribe", "http", "please" (spam), "song" (ham), the pattern
# "check.*out" (spam), fewer than 5 words (ham), very positive (ham),
# subjective (spam); "." is an abstain. "my", "subscribe" and "please" often
# fire together on self-promotion spam: accurate LFs, mildly dependent.
_YOUTUBE_PATTERNS = [
    ("........1", 0, 182),
    (".....1...", 1, 169),
    (".........", 0, 163),
    ("......0..", 0, 100),
    ("......0.1", 0, 71),
    ("..1...0..", 1, 58),
    ("....0...1", 0, 48),
    ("....0....", 0, 47),
    (".........", 1, 42),
    (".....1..1", 1, 39),
    ("1....1...", 1, 34),
    (".1.......", 1, 30),
    ("..1......", 1, 28),
    (".1......1", 1, 23),
    ("..1.....1", 1, 22),
    ("........1", 1, 19),
    ("1....1..1", 1, 19),
    ("1..1.1...", 1, 18),
    ("....0.0.1", 0, 18),
    ("......001", 0, 17),
    ("11.1.....", 1, 16),
    ("11.1.1...", 1, 16),
    ("11.......", 1, 15),
    ("1.......1", 0, 14),
    ("1.11.....", 1, 13),
    (".1....0..", 1, 13),
    ("11.1....1", 1, 12),
    ("1........", 1, 11),
    ("....0.00.", 0, 11),
    ("1........", 0, 9),
    ("1.......1", 1, 9),
    (".1.1.....", 1, 8),
    ("11....0..", 1, 8),
    ("......0..", 1, 8),
    ("1..1.1..1", 1, 8),
    ("....0.0..", 0, 7),
    ("1..1....1", 1, 7),
    (".......01", 0, 7),
    ("11......1", 1, 7),
    ("....0.001", 0, 7),
    (".1.1..0..", 1, 6),
    ("..11..0..", 1, 6),
    ("1...01...", 1, 6),
    ("...1....1", 1, 6),
    ("1...0...1", 0, 6),
    ("....0..0.", 0, 6),
    ("11...1..1", 1, 6),
    ("......00.", 0, 6),
    (".1.1....1", 1, 5),
    ("....0....", 1, 5),
    ("..1......", 0, 5),
    ("1.....0..", 1, 5),
    ("..11.....", 1, 5),
    ("1.1...0..", 1, 5),
    ("....0..01", 0, 5),
    (".......0.", 0, 5),
    ("....01...", 1, 5),
    ("...1.....", 1, 5),
    ("1..101...", 1, 5),
    ("....01..1", 1, 5),
]


def _youtube_like(n_items=1600, random_state=0):
    """Items drawn from the vote patterns of keyword LFs on YouTube comments."""
    patterns = np.array(
        [[-1 if c == "." else int(c) for c in p] for p, _, _ in _YOUTUBE_PATTERNS]
    )
    labels = np.array([label for _, label, _ in _YOUTUBE_PATTERNS])
    counts = np.array([n for _, _, n in _YOUTUBE_PATTERNS], dtype=float)
    rng = np.random.RandomState(random_state)
    drawn = rng.choice(len(counts), size=n_items, p=counts / counts.sum())
    return patterns[drawn], labels[drawn]


def test_label_model_default_keeps_accurate_independent_lfs():
    """Accurate LFs agree because they are right: that is no dependency."""
    L, y = _independent(coverage=1.0)
    default = LabelModel().fit(L)
    ignore = LabelModel(dependencies="ignore").fit(L)
    np.testing.assert_array_equal(default.source_weights_, 1.0)
    np.testing.assert_array_equal(default.dependencies_, 0.0)
    np.testing.assert_allclose(
        default.source_accuracies_, [0.95, 0.6, 0.7, 0.55, 0.8], atol=0.02
    )
    ours = _accuracy(default, L, y)
    assert ours >= 0.94
    assert ours >= _accuracy(ignore, L, y) - 0.005
    assert ours > _accuracy(MajorityVote(random_state=0), L, y) + 0.05


@pytest.mark.parametrize("coverage", [0.2, 0.4, 0.6, 0.8, 1.0])
def test_label_model_default_never_below_ignore_on_independent_lfs(coverage):
    L, y = _independent(coverage)
    default = _accuracy(LabelModel(), L, y)
    ignore = _accuracy(LabelModel(dependencies="ignore"), L, y)
    assert default >= ignore - 0.005


@pytest.mark.parametrize("rho", [0.5, 0.9])
def test_label_model_default_downweights_correlated_block(rho):
    L, y = _block(rho)
    default = LabelModel().fit(L)
    ignore = LabelModel(dependencies="ignore").fit(L)
    assert default.source_weights_[10:].max() < 0.6
    np.testing.assert_array_equal(default.source_weights_[:10], 1.0)
    assert default.dependencies_[10, 11:].min() > 0.3
    assert _accuracy(default, L, y) > _accuracy(ignore, L, y) + 0.1
    np.testing.assert_allclose(default.class_priors_, [0.7, 0.2, 0.1], atol=0.04)


@pytest.mark.parametrize("random_state", [0, 1, 2])
def test_label_model_default_on_unipolar_keyword_lfs(random_state):
    """Low-coverage one-class LFs with an overlapping pair: the pair is
    found, the class balance is close (the milder "my" / "subscribe"
    dependency, not down-weighted, pulls it by up to 0.1; the independent
    model is off by up to 0.35 here) and the default beats majority vote."""
    L, y = _spam_like(random_state=random_state)
    model = LabelModel().fit(L)
    ours = _accuracy(model, L, y)
    assert ours >= _accuracy(MajorityVote(random_state=0), L, y)
    ignore = LabelModel(dependencies="ignore", max_iter=1000)
    assert ours >= _accuracy(ignore, L, y) - 0.005
    truth = np.bincount(y) / y.size
    np.testing.assert_allclose(model.class_priors_, truth, atol=0.1)
    off = np.abs(ignore.fit(L).class_priors_ - truth).max()
    assert np.abs(model.class_priors_ - truth).max() < off
    assert model.dependencies_[5, -1] > 0.5  # "check.*out" inside "check"
    assert model.source_weights_[[2, 4, 6, 7]].min() == 1.0


@pytest.mark.parametrize(
    ("n_classes", "prior_accuracy"), [(2, 0.5), (2, 0.3), (3, 0.2), (3, 1 / 3)]
)
def test_label_model_refuses_prior_accuracy_at_or_below_chance(
    n_classes, prior_accuracy
):
    y = np.random.RandomState(0).randint(n_classes, size=200)
    L = make_weak_labels(y, n_lfs=4, coverage=0.8, accuracy=0.9, random_state=0)
    message = rf"prior_accuracy={prior_accuracy!r}.*{1 / n_classes:.4g}"
    with pytest.raises(ValueError, match=message):
        LabelModel(prior_accuracy=prior_accuracy).fit(L)


def test_label_model_prior_accuracy_bound_follows_data_classes():
    """0.4 is above 1/3 but not above 1/2: the bound is 1/K of the data."""
    y = np.random.RandomState(0).randint(3, size=300)
    L = make_weak_labels(y, n_lfs=4, coverage=0.8, accuracy=0.9, random_state=0)
    LabelModel(prior_accuracy=0.4).fit(L)
    with pytest.raises(ValueError, match="K=2"):
        LabelModel(prior_accuracy=0.4).fit(np.minimum(L, 1))


@pytest.mark.parametrize("random_state", [0, 1, 2, 3])
def test_label_model_default_keeps_mildly_dependent_accurate_keywords(random_state):
    """Accurate keywords that often fire together are no near-copies: the
    pair is reported, but down-weighting it drove the fit to a worse optimum
    (0.72 accuracy where the independent model reaches 0.86)."""
    L, y = _youtube_like(random_state=random_state)
    model = LabelModel().fit(L)
    ours = _accuracy(model, L, y)
    assert ours >= _accuracy(LabelModel(dependencies="ignore"), L, y) - 0.01
    assert ours > _accuracy(MajorityVote(random_state=0), L, y)
    assert ours >= 0.8
    assert model.dependencies_[[0, 0, 1], [1, 3, 3]].max() > 0  # reported
    np.testing.assert_array_equal(model.source_weights_, 1.0)


@pytest.mark.parametrize("random_state", range(8))
def test_label_model_default_keyword_fit_does_not_hinge_on_where_em_stops(
    random_state,
):
    """Rarely firing keyword LFs: with the default priors, EM stopped at the
    default tol and EM run to convergence agree, and both stay accurate (with
    the former priors, prior_accuracy=0.7 and prior_strength=10, seed 4 fell
    to 0.812 / 0.798, and the real YouTube fit lost 2 points between the
    two)."""
    L, y = _spam_like(random_state=random_state)
    default = LabelModel().fit(L)
    converged = LabelModel(max_iter=10_000, tol=1e-10).fit(L)
    assert abs(_accuracy(default, L, y) - _accuracy(converged, L, y)) <= 0.005
    assert _accuracy(converged, L, y) >= 0.84
