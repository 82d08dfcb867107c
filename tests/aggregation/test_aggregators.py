"""Behaviour of the aggregators on simulated crowds and labeling functions."""

import pickle
import warnings
from functools import partial

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from sklabels.aggregation import (
    GLAD,
    MACE,
    DawidSkene,
    LabelModel,
    MajorityVote,
    WeightedMajorityVote,
)
from sklabels.datasets import make_crowd_labels, make_weak_labels

AGGREGATORS = [
    partial(MajorityVote, random_state=0),
    WeightedMajorityVote,
    DawidSkene,
    GLAD,
    partial(MACE, random_state=0, n_restarts=3),
    LabelModel,
]
IDS = [
    "MajorityVote",
    "WeightedMajorityVote",
    "DawidSkene",
    "GLAD",
    "MACE",
    "LabelModel",
]


def _accuracy(pred, y):
    return float(np.mean(pred == y))


@pytest.fixture(scope="module")
def crowd():
    """600 items, K = 3, 8 sources: 4 good, 2 spammers, 2 mediocre."""
    y = np.random.RandomState(0).randint(0, 3, 600)
    accuracy = [0.9, 0.85, 0.8, 0.75, 1 / 3, 1 / 3, 0.55, 0.5]
    L = make_crowd_labels(
        y, n_sources=8, accuracy=accuracy, labels_per_item=4, random_state=1
    )
    return L, y, np.asarray(accuracy)


# ---------------------------------------------------------------------------
# Our own common checks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
def test_aggregator_predict_proba_rows_sum_to_one(make, crowd):
    L, _, _ = crowd
    L = L.copy()
    L[:5] = -1  # items with no vote get the class priors
    model = make().fit(L)
    proba = model.predict_proba(L)
    assert proba.shape == (L.shape[0], 3)
    assert np.all(proba >= 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_allclose(proba[:5], np.tile(model.class_priors_, (5, 1)))
    np.testing.assert_allclose(model.class_priors_.sum(), 1.0)
    pred = model.predict(L)
    np.testing.assert_array_equal(pred[:5], -1)
    assert pred.dtype == np.int64 and set(np.unique(pred[5:])) <= {0, 1, 2}


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
def test_aggregator_abstains_are_ignored(make, crowd):
    """An all-abstain source changes nothing, wherever it is inserted.

    (Random draws are the exception: ties of MajorityVote and the random
    starts of MACE are drawn per source, so they are switched off here.)
    """
    L, _, _ = crowd
    if getattr(make, "func", None) is MajorityVote:
        make = partial(MajorityVote, tie_break="first")
    if getattr(make, "func", None) is MACE:
        make = partial(MACE, n_restarts=1)
    base = make().fit(L)
    for where in (0, 3, L.shape[1]):
        L2 = np.insert(L, where, -1, axis=1)
        model = make().fit(L2)
        np.testing.assert_allclose(
            model.predict_proba(L2), base.predict_proba(L), atol=1e-8
        )
        np.testing.assert_array_equal(model.predict(L2), base.predict(L))


@pytest.mark.parametrize("make", AGGREGATORS, ids=IDS)
def test_aggregator_beats_or_matches_chance_and_is_cloneable(make, crowd):
    L, y, _ = crowd
    model = make().fit(L)
    assert _accuracy(model.predict(L), y) > 0.75
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_allclose(again.predict_proba(L), model.predict_proba(L))
    np.testing.assert_allclose(
        clone(model).fit(L).predict_proba(L), model.predict_proba(L)
    )


@pytest.mark.parametrize(
    "make", [DawidSkene, GLAD, partial(MACE, random_state=0), LabelModel], ids=IDS[2:]
)
def test_aggregator_em_attributes(make, crowd):
    L, _, _ = crowd
    model = make().fit(L)
    assert model.n_iter_ >= 1
    assert len(model.loss_history_) == model.n_iter_
    assert np.all(np.isfinite(model.loss_history_))
    with pytest.warns(ConvergenceWarning, match="did not converge in max_iter=1 "):
        model = make(max_iter=1).fit(L)
    assert model.n_iter_ == 1


@pytest.mark.parametrize("make", AGGREGATORS[1:], ids=IDS[1:])
def test_aggregator_gold_labels_anchor_the_estimates(make):
    """Most sources are adversarial: without gold, EM follows them."""
    y = np.arange(300) % 2
    accuracy = [0.1, 0.15, 0.1, 0.9, 0.85]
    L = make_crowd_labels(
        y, n_sources=5, accuracy=accuracy, labels_per_item=5, random_state=0
    )
    gold = np.full(y.size, -1)
    gold[:30] = y[:30]
    unsupervised = _accuracy(make().fit(L).predict(L), y)
    anchored = _accuracy(make().fit(L, gold).predict(L), y)
    assert unsupervised < 0.5
    # MACE has no way to describe a source that picks the wrong class on
    # purpose (its spammers ignore the truth), so it recovers less.
    assert anchored > (0.8 if getattr(make, "func", None) is MACE else 0.9)


# ---------------------------------------------------------------------------
# MajorityVote and WeightedMajorityVote
# ---------------------------------------------------------------------------


def test_majority_vote_tie_policies():
    L = np.array([[0, 1, -1], [1, 1, 0], [2, 0, -1], [-1, -1, -1]])
    assert list(MajorityVote(tie_break="first").fit(L).predict(L)) == [0, 1, 0, -1]
    assert list(MajorityVote(tie_break="abstain").fit(L).predict(L)) == [-1, 1, -1, -1]
    np.testing.assert_allclose(
        MajorityVote().fit(L).predict_proba(L)[:3],
        [[0.5, 0.5, 0], [1 / 3, 2 / 3, 0], [0.5, 0, 0.5]],
    )


def test_majority_vote_random_ties_are_random_but_reproducible():
    rng = np.random.RandomState(0)
    L = rng.randint(0, 2, size=(2000, 6))
    L[:, 2:] = rng.randint(-1, 2, size=(2000, 4))
    counts = np.stack([(L == k).sum(axis=1) for k in (0, 1)], axis=1)
    tied = counts[:, 0] == counts[:, 1]
    pred = MajorityVote(random_state=0).fit(L).predict(L)
    # Both classes win some ties; a given seed always gives the same labels,
    # whatever other rows are predicted along.
    assert 0.35 < pred[tied].mean() < 0.65
    model = MajorityVote(random_state=3).fit(L)
    np.testing.assert_array_equal(model.predict(L)[500:], model.predict(L[500:]))
    np.testing.assert_array_equal(
        model.predict(L), MajorityVote(random_state=3).fit(L).predict(L)
    )


def test_weighted_majority_vote_downweights_spammers(crowd):
    L, y, accuracy = crowd
    model = WeightedMajorityVote().fit(L)
    good, spam = model.weights_[:4], model.weights_[4:6]
    assert good.min() > 2 * np.abs(spam).max()
    assert np.corrcoef(model.accuracies_, accuracy)[0, 1] > 0.95
    mv = _accuracy(MajorityVote(random_state=0).fit(L).predict(L), y)
    assert _accuracy(model.predict(L), y) > mv


def test_weighted_majority_vote_adversary_gets_negative_weight():
    y = np.arange(400) % 3
    L = make_crowd_labels(
        y,
        n_sources=5,
        accuracy=[0.9, 0.85, 0.8, 0.75, 0.05],
        labels_per_item=5,
        random_state=0,
    )
    assert WeightedMajorityVote().fit(L).weights_[-1] < 0


# ---------------------------------------------------------------------------
# DawidSkene
# ---------------------------------------------------------------------------


def test_dawid_skene_recovers_simulated_confusion_matrices():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 4000)
    accuracy = np.array([0.95, 0.85, 0.75, 0.6, 0.45, 1 / 3])
    L = make_crowd_labels(
        y, n_sources=6, accuracy=accuracy, labels_per_item=3, random_state=0
    )
    model = DawidSkene().fit(L)
    truth = np.empty((6, 3, 3))
    for s, a in enumerate(accuracy):
        truth[s] = (1 - a) / 2
        np.fill_diagonal(truth[s], a)
    np.testing.assert_allclose(model.confusion_matrices_, truth, atol=0.05)
    np.testing.assert_allclose(model.class_priors_, np.bincount(y) / y.size, atol=0.02)
    np.testing.assert_allclose(model.confusion_matrices_.sum(axis=2), 1.0)
    assert np.all(np.diff(model.loss_history_) <= 1e-9)  # EM never goes uphill


def test_dawid_skene_learns_a_systematic_confusion():
    """A source that always swaps classes 0 and 1 is as useful as a good one."""
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 3000)
    L = make_crowd_labels(
        y, n_sources=4, accuracy=0.7, labels_per_item=3, random_state=0
    )
    swapper = np.array([1, 0, 2])[y]
    L = np.column_stack([L, swapper])
    model = DawidSkene().fit(L)
    np.testing.assert_allclose(
        model.confusion_matrices_[-1], np.eye(3)[[1, 0, 2]], atol=0.02
    )
    assert _accuracy(model.predict(L), y) > 0.99


def test_dawid_skene_beats_majority_vote_with_spammers():
    rng = np.random.RandomState(0)
    y = rng.randint(0, 4, 2000)
    accuracy = [0.85, 0.8, 0.75] + [0.25] * 5  # five random spammers
    L = make_crowd_labels(
        y, n_sources=8, accuracy=accuracy, labels_per_item=5, random_state=0
    )
    mv = _accuracy(MajorityVote(random_state=0).fit(L).predict(L), y)
    ds = _accuracy(DawidSkene().fit(L).predict(L), y)
    assert ds > mv + 0.15
    assert ds > 0.8


def test_dawid_skene_matches_crowd_kit():
    pd = pytest.importorskip("pandas")
    ck = pytest.importorskip("crowdkit.aggregation")
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 1500)
    L = make_crowd_labels(
        y,
        n_sources=7,
        accuracy=[0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.34],
        labels_per_item=3,
        random_state=0,
    )
    items, sources = np.nonzero(L >= 0)
    data = pd.DataFrame({"task": items, "worker": sources, "label": L[items, sources]})
    with warnings.catch_warnings():  # crowd-kit's own pandas deprecations
        warnings.simplefilter("ignore")
        theirs = ck.DawidSkene(n_iter=100, tol=1e-5).fit(data)
    # crowd-kit ran all of its 100 iterations here: so do we (tol=0), and the
    # two implementations of the same EM agree.
    with pytest.warns(ConvergenceWarning):
        ours = DawidSkene(tol=0, max_iter=100).fit(L)
    assert len(theirs.loss_history_) == 100
    pred_theirs = theirs.labels_.sort_index().to_numpy()
    assert np.mean(ours.predict(L) == pred_theirs) > 0.995
    proba_theirs = theirs.probas_.sort_index()[[0, 1, 2]].to_numpy()
    assert np.mean(np.abs(ours.predict_proba(L) - proba_theirs)) < 0.005
    # crowd-kit's errors_: rows (worker, given label), columns true label.
    errors = theirs.errors_.sort_index()
    for s in range(L.shape[1]):
        np.testing.assert_allclose(
            ours.confusion_matrices_[s].T,
            errors.loc[s][[0, 1, 2]].to_numpy(),
            atol=0.03,
        )
    np.testing.assert_allclose(ours.class_priors_, theirs.priors_[[0, 1, 2]], atol=0.01)
    # With our default stopping rule (tol on the likelihood) we stop earlier.
    default = DawidSkene().fit(L).predict(L)
    assert _accuracy(default, y) >= _accuracy(pred_theirs, y)


# ---------------------------------------------------------------------------
# GLAD and MACE
# ---------------------------------------------------------------------------


def test_glad_abilities_follow_accuracy_and_difficulties_are_positive(crowd):
    L, _, _ = crowd
    model = GLAD().fit(L)
    good = model.abilities_[:4]
    assert np.all(good > model.abilities_[4:6].max())
    assert np.all(model.inverse_difficulties_ > 0)
    assert model.inverse_difficulties_.shape == (L.shape[0],)
    # predict_proba re-estimates each item's difficulty from its own votes.
    np.testing.assert_allclose(
        model.predict_proba(L[:50]), model.predict_proba(L)[:50], atol=1e-12
    )


def test_glad_priors_option(crowd):
    L, y, _ = crowd
    np.testing.assert_allclose(GLAD().fit(L).class_priors_, 1 / 3)
    est = GLAD(priors="estimate").fit(L).class_priors_
    np.testing.assert_allclose(est, np.bincount(y) / y.size, atol=0.05)
    np.testing.assert_allclose(
        GLAD(priors=[0.2, 0.3, 0.5]).fit(L).class_priors_, [0.2, 0.3, 0.5]
    )
    with pytest.raises(ValueError, match="priors must be"):
        GLAD(priors=[0.5, 0.5]).fit(L)


def test_glad_close_to_crowd_kit():
    pd = pytest.importorskip("pandas")
    ck = pytest.importorskip("crowdkit.aggregation")
    y = np.random.RandomState(0).randint(0, 3, 150)
    L = make_crowd_labels(
        y,
        n_sources=5,
        accuracy=[0.9, 0.8, 0.7, 0.5, 0.34],
        labels_per_item=3,
        random_state=0,
    )
    items, sources = np.nonzero(L >= 0)
    data = pd.DataFrame({"task": items, "worker": sources, "label": L[items, sources]})
    with warnings.catch_warnings():  # crowd-kit's own pandas deprecations
        warnings.simplefilter("ignore")
        theirs = ck.GLAD(n_iter=20).fit(data).labels_.sort_index().to_numpy()
    ours = GLAD().fit(L).predict(L)
    assert np.mean(ours == theirs) > 0.93
    assert _accuracy(ours, y) >= _accuracy(theirs, y) - 0.02


def test_mace_finds_spammers():
    y = np.random.RandomState(0).randint(0, 3, 1000)
    L = make_crowd_labels(
        y,
        n_sources=5,
        accuracy=[0.9, 0.85, 0.8, 1 / 3, 1 / 3],
        labels_per_item=4,
        random_state=0,
    )
    L[L[:, 4] >= 0, 4] = 2  # source 4 always answers class 2
    model = MACE(random_state=0).fit(L)
    assert np.all(model.competence_[:3] > 0.6)
    assert np.all(model.competence_[3:] < 0.1)
    assert model.spamming_strategies_[4, 2] > 0.9
    np.testing.assert_allclose(model.confusion_matrices_.sum(axis=2), 1.0)
    ds = _accuracy(DawidSkene().fit(L).predict(L), y)
    assert _accuracy(model.predict(L), y) > ds - 0.01
    em = MACE(method="em", random_state=0).fit(L)
    assert _accuracy(em.predict(L), y) > ds - 0.01


def test_mace_random_state_reproducible(crowd):
    L, _, _ = crowd
    a = MACE(random_state=1).fit(L).predict_proba(L)
    b = MACE(random_state=1).fit(L).predict_proba(L)
    np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------
# LabelModel
# ---------------------------------------------------------------------------


def _imbalanced_lfs(rho, random_state=0, n_items=6000):
    """Unipolar LFs on 3 imbalanced classes; LFs 10-13 are a correlated block."""
    rng = np.random.RandomState(random_state)
    y = rng.choice(3, size=n_items, p=[0.7, 0.2, 0.1])
    specs = [
        (0, 0.4, 0.05),
        (0, 0.3, 0.03),
        (0, 0.5, 0.15),
        (0, 0.2, 0.02),
        (1, 0.45, 0.03),
        (1, 0.3, 0.02),
        (1, 0.5, 0.08),
        (2, 0.4, 0.02),
        (2, 0.3, 0.01),
        (2, 0.55, 0.05),
        (1, 0.35, 0.1),
        (1, 0.35, 0.1),
        (1, 0.35, 0.1),
        (1, 0.35, 0.1),
    ]
    L = np.full((n_items, len(specs)), -1)
    for j, (k, tpr, fpr) in enumerate(specs):
        fires = rng.random_sample(n_items) < np.where(y == k, tpr, fpr)
        if j > 10:  # near-copies of LF 10
            fires = np.where(rng.random_sample(n_items) < rho, L[:, 10] >= 0, fires)
        L[fires, j] = k
    return L, y


def test_label_model_recovers_class_balance_and_accuracies():
    rng = np.random.RandomState(0)
    y = rng.choice(2, size=5000, p=[0.8, 0.2])
    accuracy = np.array([0.95, 0.9, 0.8, 0.7, 0.65, 0.6])
    L = make_weak_labels(y, n_lfs=6, coverage=0.4, accuracy=accuracy, random_state=0)
    model = LabelModel().fit(L)
    # Independent LFs: the default is the independent model (weights 1), whose
    # estimate of the balance on this sample is 0.76 / 0.24.
    np.testing.assert_allclose(model.class_priors_, np.bincount(y) / y.size, atol=0.05)
    np.testing.assert_allclose(model.source_accuracies_, accuracy, atol=0.04)
    np.testing.assert_allclose(model.coverages_, 0.4, atol=0.05)
    np.testing.assert_array_equal(model.source_weights_, 1.0)  # no dependency


@pytest.mark.parametrize("rho", [0.0, 0.5, 0.9])
def test_label_model_robust_to_correlated_lfs_and_imbalance(rho):
    L, y = _imbalanced_lfs(rho)
    covered = (L >= 0).any(axis=1)
    mv = _accuracy(MajorityVote(random_state=0).fit(L).predict(L)[covered], y[covered])
    model = LabelModel().fit(L)
    ours = _accuracy(model.predict(L)[covered], y[covered])
    assert ours > mv + 0.05
    np.testing.assert_allclose(model.class_priors_, np.bincount(y) / y.size, atol=0.04)
    if rho >= 0.5:  # the block is found and counts about once
        assert model.source_weights_[10:].max() < 0.6
        assert model.source_weights_[:10].min() > 0.7
        naive = LabelModel(dependencies="ignore").fit(L)
        assert _accuracy(naive.predict(L)[covered], y[covered]) < ours - 0.05
        np.testing.assert_allclose(naive.source_weights_, 1.0)


def test_label_model_options():
    L, _ = _imbalanced_lfs(0.0, n_items=3000)
    fixed = LabelModel(class_balance=[0.7, 0.2, 0.1]).fit(L)
    np.testing.assert_allclose(fixed.class_priors_, [0.7, 0.2, 0.1])
    with pytest.raises(ValueError, match="one entry per class"):
        LabelModel(class_balance=[0.5, 0.5]).fit(L)
    with pytest.raises(ValueError, match="sum to 1"):
        LabelModel(class_balance=[0.5, 0.5, 0.5]).fit(L)
    ignored = LabelModel(abstains="ignored").fit(L)
    # Unipolar LFs carry no information once abstains are ignored.
    np.testing.assert_allclose(ignored.coverages_[:, 0], ignored.coverages_[:, 1])
    with pytest.raises(ValueError, match="prior_accuracy"):
        LabelModel(prior_accuracy=1.5).fit(L)


def test_label_model_ignores_lf_silent_in_fit():
    L, _ = _imbalanced_lfs(0.0, n_items=2000)
    L = np.column_stack([L, np.full(len(L), -1)])
    model = LabelModel().fit(L)
    assert np.isnan(model.source_accuracies_[-1])
    L2 = L.copy()
    L2[:, -1] = 2  # it votes at predict time: ignored
    np.testing.assert_allclose(model.predict_proba(L2), model.predict_proba(L))


def test_label_model_runs_em_on_vote_patterns_exactly():
    """EM on the distinct (votes, gold) patterns weighted by their counts
    is EM on the items: the M-step sums and the loss are the same."""
    from sklabels.aggregation._label_model import _e_step, _m_step, _prior_rows
    from sklabels.aggregation._matrix import onehot_votes, vote_patterns

    L, y = _imbalanced_lfs(0.5, n_items=3000)
    gold = np.where(np.arange(y.size) % 7 == 0, y, -1)
    first, inverse, counts = vote_patterns(L, 3, gold)
    assert first.size < L.shape[0] / 2  # LFs repeat their vote patterns
    rng = np.random.RandomState(0)
    T = rng.dirichlet(np.ones(3), size=first.size)
    settings = {
        "coverage": (L >= 0).mean(axis=0),
        "strength": 10.0,
        "prior_rows": _prior_rows(3, 0.7),
        "class_balance": None,
        "abstains": "informative",
    }
    patterns = _m_step(
        T, onehot_votes(L[first], 3), n_rows=counts.astype(float), **settings
    )
    items = _m_step(
        T[inverse], onehot_votes(L, 3), n_rows=np.ones(L.shape[0]), **settings
    )
    for a, b in zip(patterns, items, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    weights = rng.uniform(0.5, 1.0, size=L.shape[1])
    T_p, loss_p = _e_step(
        patterns,
        onehot_votes(L[first], 3),
        (L[first] < 0).astype(float),
        weights,
        gold[first],
        counts.astype(float),
    )
    T_i, loss_i = _e_step(
        items,
        onehot_votes(L, 3),
        (L < 0).astype(float),
        weights,
        gold,
        np.ones(L.shape[0]),
    )
    np.testing.assert_allclose(T_p[inverse], T_i, rtol=1e-12)
    assert loss_p == pytest.approx(loss_i, rel=1e-12)


def test_label_model_does_not_depend_on_row_order():
    L, y = _imbalanced_lfs(0.9, n_items=4000)
    gold = np.where(np.arange(y.size) % 11 == 0, y, -1)
    perm = np.random.RandomState(1).permutation(y.size)
    model = LabelModel().fit(L, gold)
    shuffled = LabelModel().fit(L[perm], gold[perm])
    for name in ["class_priors_", "confusion_matrices_", "source_weights_"]:
        np.testing.assert_allclose(
            getattr(shuffled, name), getattr(model, name), rtol=1e-9, atol=1e-12
        )
    np.testing.assert_allclose(
        shuffled.predict_proba(L[perm]), model.predict_proba(L)[perm], atol=1e-10
    )
