"""OneCoinDawidSkene, ZeroBasedSkill, Wawa, KOS and MMSR: crowd-kit's answers
on crowd-kit's own test fixtures and on simulated crowds, and their behaviour.

The crowd-kit comparisons run where crowd-kit is installed (they are skipped
elsewhere); the fixtures are the "toy" and "simple" answer tables of
crowd-kit's test suite (ids shortened).
"""

import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning

from sklabels.aggregation import (
    KOS,
    MMSR,
    OneCoinDawidSkene,
    Wawa,
    ZeroBasedSkill,
    to_label_matrix,
)
from sklabels.datasets import make_crowd_labels

TOY = pd.DataFrame(
    [
        ["w1", "t1", "no"], ["w1", "t2", "yes"], ["w1", "t3", "yes"],
        ["w1", "t4", "yes"], ["w1", "t5", "yes"], ["w2", "t1", "yes"],
        ["w2", "t2", "yes"], ["w2", "t3", "no"], ["w2", "t4", "yes"],
        ["w2", "t5", "no"], ["w3", "t2", "yes"], ["w3", "t3", "no"],
        ["w3", "t4", "yes"], ["w3", "t5", "no"], ["w4", "t1", "yes"],
        ["w4", "t2", "no"], ["w4", "t3", "yes"], ["w4", "t4", "yes"],
        ["w4", "t5", "no"], ["w5", "t1", "no"], ["w5", "t2", "no"],
        ["w5", "t3", "no"], ["w5", "t4", "yes"], ["w5", "t5", "no"],
    ],
    columns=["worker", "task", "label"],
)  # fmt: skip

SIMPLE = pd.DataFrame(
    [
        # good workers
        ["bde3", "eec", "goose"], ["bde3", "efb", "parrot"],
        ["bde3", "f03", "goose"], ["bde3", "f05", "goose"],
        ["bde3", "f02", "parrot"], ["bde3", "f08", "parrot"],
        ["b17c", "efb", "parrot"], ["b17c", "ee8", "chicken"],
        ["b17c", "f07", "parrot"], ["b17c", "efd", "chicken"],
        ["b17c", "ee4", "chicken"], ["b17c", "f03", "goose"],
        ["a452", "ee8", "chicken"], ["a452", "eec", "goose"],
        ["a452", "f05", "goose"], ["a452", "f02", "parrot"],
        ["a452", "f08", "parrot"], ["0f65", "eec", "goose"],
        ["0f65", "ee8", "chicken"], ["0f65", "f03", "goose"],
        ["0f65", "ee4", "chicken"],
        # a fraudster who always answers "parrot"
        ["0c3e", "eec", "parrot"], ["0c3e", "efb", "parrot"],
        ["0c3e", "f07", "parrot"], ["0c3e", "efd", "parrot"],
        ["0c3e", "ee4", "parrot"], ["0c3e", "f05", "parrot"],
        # a careless worker
        ["e563", "efb", "parrot"], ["e563", "ee8", "goose"],
        ["e563", "f02", "parrot"], ["e563", "f08", "parrot"],
        ["e563", "f07", "parrot"], ["e563", "efd", "goose"],
    ],
    columns=["worker", "task", "label"],
)  # fmt: skip


def _as_matrix(data):
    """Label matrix (a DataFrame named by the workers), items, classes."""
    L, items, sources, classes = to_label_matrix(data, "task", "worker", "label")
    return pd.DataFrame(np.asarray(L), columns=list(sources)), items, classes


def _crowd(n_items, n_classes, accuracy, labels_per_item, seed):
    """A simulated crowd as a long table, listed in row-major order."""
    y = np.random.RandomState(seed).randint(0, n_classes, n_items)
    L = make_crowd_labels(
        y,
        n_sources=len(accuracy),
        accuracy=accuracy,
        labels_per_item=labels_per_item,
        random_state=seed,
    )
    items, sources = np.nonzero(L >= 0)
    return pd.DataFrame(
        {
            "task": items,
            "worker": [f"w{s}" for s in sources],
            "label": L[items, sources],
        }
    )


def _crowd_kit(name, data):
    """crowd-kit's labels (a Series by task) and per-worker numbers.

    Wawa and ZeroBasedSkill's own ``predict`` fails under scikit-learn >=
    1.6 (their ``check_is_fitted`` call); their ``_apply`` is a majority
    vote weighted by ``skills_``, run here directly. MMSR's labels are the
    same weighted vote.
    """
    ck = pytest.importorskip("crowdkit.aggregation")
    with warnings.catch_warnings():  # crowd-kit's own pandas deprecations
        warnings.simplefilter("ignore")
        model = getattr(ck, name)()
        model.fit(data)
        if name in ("Wawa", "ZeroBasedSkill", "MMSR"):
            labels = ck.MajorityVote().fit(data, skills=model.skills_).labels_
        else:
            labels = model.labels_
    return model, labels


OURS = {
    "OneCoinDawidSkene": lambda: OneCoinDawidSkene(),
    "ZeroBasedSkill": lambda: ZeroBasedSkill(),
    "Wawa": lambda: Wawa(),
    "KOS": lambda: KOS(random_state=0),  # crowd-kit's default seed
    "MMSR": lambda: MMSR(random_state=0),
}


def _compare(name, data):
    """Fit ours and crowd-kit's on ``data``; assert the same answers."""
    theirs, their_labels = _crowd_kit(name, data)
    L, items, classes = _as_matrix(data)
    ours = OURS[name]().set_params(classes=list(classes))
    pred = ours.fit_predict(L)
    expected = their_labels.reindex(items).to_numpy()
    if name == "MMSR":
        # Same weights (crowd-kit's skills_ are the log-odds weights).
        np.testing.assert_allclose(
            ours.weights_, theirs.skills_.reindex(L.columns), rtol=1e-9, atol=1e-12
        )
        # crowd-kit divides the weighted votes by their sum before taking the
        # largest: the same label where the sum is positive (see MMSR Notes).
        weights = ours.weights_
        scores = np.stack(
            [((L.to_numpy() == k) * weights).sum(axis=1) for k in range(len(classes))],
            axis=1,
        )
        positive = scores.sum(axis=1) > 0
        assert positive.mean() > 0.5
        np.testing.assert_array_equal(pred[positive], expected[positive])
        np.testing.assert_array_equal(
            pred, np.asarray(classes, dtype=object)[scores.argmax(axis=1)]
        )
        return ours, theirs
    np.testing.assert_array_equal(pred, expected)
    if name != "KOS":
        np.testing.assert_allclose(
            np.asarray(ours.source_quality_),
            theirs.skills_.reindex(L.columns).to_numpy(),
            rtol=1e-9,
            atol=1e-12,
        )
    return ours, theirs


# ---------------------------------------------------------------------------
# crowd-kit's answers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(OURS))
def test_breadth_aggregators_match_crowd_kit_on_toy(name):
    _compare(name, TOY)


# Wawa's first step, the plain majority vote, has a three-way tie on item
# "efd" of SIMPLE, which crowd-kit breaks in the order of its count table
# (pandas-version dependent): Wawa is checked against the answers of
# crowd-kit's own test suite below instead.
@pytest.mark.parametrize("name", ["OneCoinDawidSkene", "ZeroBasedSkill", "MMSR"])
def test_breadth_aggregators_match_crowd_kit_on_simple(name):
    ours, _ = _compare(name, SIMPLE)
    # the fraudster who always answers "parrot" is found by all of them
    quality = ours.source_quality_
    assert quality.idxmin() == "0c3e"


def test_wawa_matches_crowd_kit_test_suite_on_simple():
    """The skills and labels crowd-kit's test suite expects of Wawa on SIMPLE."""
    L, items, classes = _as_matrix(SIMPLE)
    wawa = Wawa(classes=list(classes)).fit(L)
    expected_skills = {
        "0c3e": 1 / 3, "0f65": 1.0, "a452": 1.0, "b17c": 1.0, "bde3": 1.0,
        "e563": 2 / 3,
    }  # fmt: skip
    np.testing.assert_allclose(
        wawa.source_quality_[list(expected_skills)], list(expected_skills.values())
    )
    truth = {"eec": "goose", "f03": "goose", "f05": "goose", "efb": "parrot",
             "f02": "parrot", "f08": "parrot", "f07": "parrot",
             "ee8": "chicken", "efd": "chicken", "ee4": "chicken"}  # fmt: skip
    np.testing.assert_array_equal(wawa.predict(L), [truth[i] for i in items])


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize(
    "name, n_classes",
    [(name, k) for name in OURS for k in (2, 3) if name != "KOS" or k == 2],
)
def test_breadth_aggregators_match_crowd_kit_on_simulated_crowds(name, n_classes, seed):
    # Wawa's first step is the plain majority vote, whose ties crowd-kit
    # breaks in the order of its count table: 3 votes and 2 classes, or 5
    # votes and 3 classes with ties left out below, avoid them.
    accuracy = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 1 / n_classes]
    data = _crowd(500, n_classes, accuracy, 3, seed)
    if name == "Wawa" and n_classes > 2:
        counts = pd.crosstab(data["task"], data["label"]).to_numpy()
        top = counts == counts.max(axis=1, keepdims=True)
        tied = data["task"].unique()[top.sum(axis=1) > 1]
        data = data[~data["task"].isin(tied)]
    _compare(name, data)


def test_one_coin_dawid_skene_loss_matches_crowd_kit():
    data = _crowd(800, 3, [0.9, 0.8, 0.6, 0.5, 0.4], 3, 0)
    theirs, _ = _crowd_kit("OneCoinDawidSkene", data)
    L, _, _ = _as_matrix(data)
    ours = OneCoinDawidSkene().fit(L)
    assert ours.n_iter_ == len(theirs.loss_history_)
    np.testing.assert_allclose(ours.loss_history_, -np.asarray(theirs.loss_history_))
    np.testing.assert_allclose(
        ours.class_priors_, theirs.priors_.sort_index().to_numpy(), atol=1e-9
    )


# ---------------------------------------------------------------------------
# Behaviour
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def binary_crowd():
    y = np.arange(600) % 2
    accuracy = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.3]
    L = make_crowd_labels(
        y, n_sources=7, accuracy=accuracy, labels_per_item=4, random_state=0
    )
    return L, y, np.asarray(accuracy)


@pytest.fixture(scope="module")
def crowd3():
    y = np.random.RandomState(0).randint(0, 3, 900)
    accuracy = [0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.2]
    L = make_crowd_labels(
        y, n_sources=7, accuracy=accuracy, labels_per_item=4, random_state=1
    )
    return L, y, np.asarray(accuracy)


MULTI = ["OneCoinDawidSkene", "ZeroBasedSkill", "Wawa", "MMSR"]


@pytest.mark.parametrize("name", MULTI)
def test_breadth_aggregators_beat_majority_vote_and_rank_sources(name, crowd3):
    L, y, accuracy = crowd3
    model = OURS[name]().fit(L)
    pred = model.predict(L)
    assert np.mean(pred == y) > 0.85
    quality = np.asarray(model.source_quality_)
    assert np.all((quality >= 0) & (quality <= 1))
    # the estimated accuracies follow the true ones
    assert np.corrcoef(quality, accuracy)[0, 1] > 0.95


def test_one_coin_dawid_skene_skills_are_the_accuracies(crowd3):
    L, y, _ = crowd3
    model = OneCoinDawidSkene().fit(L)
    voted = L >= 0
    empirical = ((L == y[:, None]) & voted).sum(axis=0) / voted.sum(axis=0)
    np.testing.assert_allclose(model.skills_, empirical, atol=0.03)
    np.testing.assert_allclose(
        np.diagonal(model.confusion_matrices_, axis1=1, axis2=2),
        np.repeat(model.skills_[:, None], 3, axis=1),
    )
    np.testing.assert_allclose(model.confusion_matrices_.sum(axis=2), 1.0)


def test_mmsr_recovers_accuracies_of_an_adversarial_source(crowd3):
    L, _, accuracy = crowd3
    model = MMSR(random_state=0).fit(L)
    np.testing.assert_allclose(model.source_quality_, accuracy, atol=0.06)
    # the source worse than chance gets a negative weight
    assert model.weights_[-1] < 0
    assert model.weights_[:-1].min() > 0


def test_one_coin_dawid_skene_keeps_gold_labels(crowd3):
    L, y, _ = crowd3
    gold = np.full(y.size, -1)
    gold[:100] = y[:100]
    model = OneCoinDawidSkene().fit(L, gold)
    assert np.mean(model.predict(L) == y) > 0.85


def test_kos_refuses_more_than_two_classes(crowd3):
    L, _, _ = crowd3
    with pytest.raises(ValueError, match=r"KOS is for two classes only.*n_classes_=3"):
        KOS().fit(L)
    with pytest.raises(ValueError, match=r"KOS is for two classes only.*n_classes_=3"):
        KOS(n_classes=3).fit([[0, 1], [1, 0]])


def test_kos_labels_binary_crowd_and_reproduces_them_at_predict(binary_crowd):
    L, y, accuracy = binary_crowd
    kos = KOS(random_state=0).fit(L)
    pred = kos.predict(L)
    assert np.mean(pred == y) > 0.9
    # transductive: predict on the fit matrix reruns the same message passing
    np.testing.assert_array_equal(kos.predict(L), pred)
    np.testing.assert_array_equal(kos.fit_predict(L), pred)
    proba = kos.predict_proba(L)
    assert set(np.unique(proba)) <= {0.0, 0.5, 1.0}
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.corrcoef(kos.source_quality_, accuracy)[0, 1] > 0.95


def test_kos_is_a_scikit_learn_estimator_on_two_classes(binary_crowd):
    """The common checks KOS cannot run (their data has more classes)."""
    L, _, _ = binary_crowd
    kos = KOS(random_state=0)
    params = kos.get_params()
    assert kos.fit(L) is kos  # fit returns self
    assert kos.get_params() == params  # parameters untouched
    assert kos.n_features_in_ == L.shape[1]
    first = kos.predict_proba(L)
    np.testing.assert_array_equal(clone(kos).fit(L).predict_proba(L), first)
    np.testing.assert_array_equal(kos.fit(L).predict_proba(L), first)  # idempotent
    np.testing.assert_array_equal(
        kos.fit(L.astype(np.float64)).predict(L), kos.predict(L)
    )
    restored = pickle.loads(pickle.dumps(kos))
    np.testing.assert_array_equal(restored.predict(L), kos.predict(L))
    assert 0 <= kos.score(L, binary_crowd[1]) <= 1


@pytest.mark.parametrize("name", list(OURS))
def test_breadth_aggregators_accept_sparse_label_matrices(name, binary_crowd):
    L, _, _ = binary_crowd
    dense = OURS[name]().fit(L)
    S = sparse.csr_matrix(L + 1)
    fitted = OURS[name]().fit(S)
    np.testing.assert_allclose(fitted.predict_proba(S), dense.predict_proba(L))
    np.testing.assert_array_equal(fitted.predict(L), dense.predict(L))
    np.testing.assert_allclose(
        np.asarray(fitted.source_quality_), np.asarray(dense.source_quality_)
    )


@pytest.mark.parametrize("name", list(OURS))
def test_breadth_aggregators_ignore_abstains_and_silent_sources(name, binary_crowd):
    L, _, _ = binary_crowd
    wider = np.insert(L, 3, -1, axis=1)
    base = OURS[name]().fit(L)
    model = OURS[name]().fit(wider)
    np.testing.assert_array_equal(model.predict(wider), base.predict(L))
    quality = np.asarray(model.source_quality_)
    assert np.isnan(quality[3])
    np.testing.assert_allclose(np.delete(quality, 3), np.asarray(base.source_quality_))


def test_wawa_item_of_zero_skill_voters_gets_plain_vote_fractions():
    # source 2 never agrees with the majority: skill 0
    L = np.array([[0, 0, 1], [1, 1, 0], [0, 0, 1]])
    wawa = Wawa().fit(L)
    assert wawa.skills_[2] == 0
    new = np.array([[-1, -1, 1], [0, -1, 1]])
    np.testing.assert_allclose(wawa.predict_proba(new), [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_array_equal(wawa.predict(new), [1, 0])


def test_zero_based_skill_runs_every_round_with_a_decaying_step(crowd3):
    L, _, _ = crowd3
    one = ZeroBasedSkill(n_iter=1).fit(L)
    wawa = Wawa().fit(L)
    # one round of step 1 from equal skills: the agreement with the plain
    # majority vote, which is Wawa's skill
    np.testing.assert_allclose(one.skills_, wawa.skills_)
    model = ZeroBasedSkill(n_iter=40, lr_steps_to_reduce=10).fit(L)
    assert model.n_iter_ == 40


def test_one_coin_dawid_skene_warns_when_stopped_by_max_iter(crowd3):
    L, _, _ = crowd3
    with pytest.warns(ConvergenceWarning, match="OneCoinDawidSkene did not converge"):
        OneCoinDawidSkene(max_iter=2, tol=0).fit(L)


def test_mmsr_warns_when_stopped_by_max_iter(crowd3):
    L, _, _ = crowd3
    with pytest.warns(ConvergenceWarning, match="MMSR did not converge"):
        MMSR(max_iter=1, tol=0, random_state=0).fit(L)


def test_mmsr_sources_at_chance_agreement_get_weight_zero_with_a_warning():
    # every pair of sources agrees on exactly half of the items (chance)
    L = np.array(np.meshgrid([0, 1], [0, 1], [0, 1])).reshape(3, -1).T
    L = np.tile(L, (5, 1))
    with pytest.warns(UserWarning, match="MMSR could not estimate the accuracy"):
        model = MMSR(random_state=0).fit(L)
    np.testing.assert_allclose(model.weights_, 0.0)
    np.testing.assert_allclose(model.source_quality_, 0.5)


@pytest.mark.parametrize("name", ["KOS", "MMSR"])
def test_breadth_random_state_fixes_the_result(name, binary_crowd):
    L, _, _ = binary_crowd
    est = OURS[name]().set_params(random_state=None)
    a = clone(est).set_params(random_state=3).fit(L).predict(L)
    b = clone(est).set_params(random_state=3).fit(L).predict(L)
    np.testing.assert_array_equal(a, b)


def test_mmsr_sparse_and_dense_eigen_solvers_agree(monkeypatch):
    """Large sign graphs use shift-invert Lanczos; small ones LAPACK."""
    import sklabels.aggregation._mmsr as mmsr_module

    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 3000)
    accuracy = np.r_[rng.uniform(0.6, 0.95, 30), [0.2] * 5]
    L = make_crowd_labels(
        y, n_sources=35, accuracy=list(accuracy), labels_per_item=4, random_state=0
    )
    sparse_fit = MMSR(random_state=0).fit(L)
    monkeypatch.setattr(mmsr_module, "_DENSE_EIGEN", 10**9)
    dense_fit = MMSR(random_state=0).fit(L)
    np.testing.assert_allclose(sparse_fit.weights_, dense_fit.weights_)
    assert np.all(sparse_fit.weights_[-5:] < 0)
    assert np.all(sparse_fit.weights_[:30] > 0)


@pytest.mark.parametrize("Model", [Wawa, ZeroBasedSkill])
def test_skill_vote_fit_predict_equals_fit_then_predict(Model):
    rng = np.random.default_rng(0)
    L = rng.integers(-1, 3, size=(200, 6))
    L[:3] = -1  # items without a vote
    by_fit_predict = Model()
    labels = by_fit_predict.fit_predict(L)
    model = Model().fit(L)
    np.testing.assert_array_equal(labels, model.predict(L))
    # fit_predict keeps no state beyond what fit keeps
    assert vars(by_fit_predict).keys() == vars(model).keys()
