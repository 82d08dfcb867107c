"""Outputs people can read: classes=, fit_predict, source_quality_, aggregate,
LabelModel's tie policy and score, pairwise_cohen_kappa as a DataFrame."""

from functools import partial

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from sklabels.aggregation import (
    GLAD,
    KOS,
    MACE,
    MMSR,
    DawidSkene,
    LabelModel,
    MajorityVote,
    OneCoinDawidSkene,
    Wawa,
    WeightedMajorityVote,
    ZeroBasedSkill,
    aggregate,
    to_label_matrix,
)
from sklabels.datasets import make_crowd_labels
from sklabels.metrics import pairwise_cohen_kappa

ALL = {
    "MajorityVote": partial(MajorityVote, tie_break="first"),
    "WeightedMajorityVote": WeightedMajorityVote,
    "DawidSkene": DawidSkene,
    "GLAD": GLAD,
    "MACE": partial(MACE, random_state=0, n_restarts=3),
    "LabelModel": LabelModel,
    "OneCoinDawidSkene": OneCoinDawidSkene,
    "ZeroBasedSkill": ZeroBasedSkill,
    "Wawa": Wawa,
    "MMSR": partial(MMSR, random_state=0),
    "KOS": partial(KOS, random_state=0),
}
MULTICLASS = [name for name in ALL if name != "KOS"]


@pytest.fixture(scope="module")
def crowd():
    y = np.random.RandomState(0).randint(0, 3, 600)
    accuracy = [0.9, 0.85, 0.8, 0.7, 0.6]
    L = make_crowd_labels(
        y, n_sources=5, accuracy=accuracy, labels_per_item=4, random_state=0
    )
    return L, y, np.asarray(accuracy)


@pytest.fixture(scope="module")
def binary():
    y = np.arange(400) % 2
    L = make_crowd_labels(
        y, n_sources=5, accuracy=[0.9, 0.85, 0.8, 0.7, 0.6], labels_per_item=4,
        random_state=0,
    )  # fmt: skip
    return L, y


def _data(name, crowd, binary):
    return binary if name == "KOS" else crowd[:2]


# ---------------------------------------------------------------------------
# classes=, fit_predict, score
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ALL))
def test_aggregator_classes_names_predictions_and_columns(name, crowd, binary):
    L, y = _data(name, crowd, binary)
    names = ["cat", "dog", "emu"][: int(L.max()) + 1]
    plain = ALL[name]().fit(L)
    named = ALL[name](classes=names).fit(L)
    np.testing.assert_array_equal(named.classes_, names)
    np.testing.assert_array_equal(named.predict(L), np.asarray(names)[plain.predict(L)])
    np.testing.assert_allclose(named.predict_proba(L), plain.predict_proba(L))
    # gold labels and score take the names too
    truth = np.asarray(names, dtype=object)[y]
    assert named.score(L, truth) == pytest.approx(plain.score(L, y))


@pytest.mark.parametrize("name", list(ALL))
def test_aggregator_fit_predict_is_fit_then_predict(name, crowd, binary):
    L, _ = _data(name, crowd, binary)
    np.testing.assert_array_equal(
        ALL[name]().fit_predict(L), ALL[name]().fit(L).predict(L)
    )


def test_aggregator_classes_no_vote_is_none_or_minus_one(crowd):
    L = crowd[0].copy()
    L[0] = -1
    strings = DawidSkene(classes=["a", "b", "c"]).fit(L).predict(L)
    assert strings[0] is None and strings.dtype == object
    ints = DawidSkene(classes=[10, 20, 30]).fit(L).predict(L)
    assert ints[0] == -1 and ints.dtype == np.int64
    assert set(ints[1:]) <= {10, 20, 30}
    # -1 is a class: a missing label cannot be -1, it is None
    with_minus_one = DawidSkene(classes=[-1, 0, 1]).fit(L).predict(L)
    assert with_minus_one[0] is None


def test_aggregator_classes_refuses_bad_values(crowd):
    L = crowd[0]
    with pytest.raises(ValueError, match=r"classes has 2 labels but n_classes=3"):
        DawidSkene(classes=["a", "b"], n_classes=3).fit(L)
    with pytest.raises(ValueError, match="classes holds 'a' more than once"):
        DawidSkene(classes=["a", "a", "b"]).fit(L)
    with pytest.raises(ValueError, match="at least 2 labels"):
        DawidSkene(classes=["a"]).fit(L)
    with pytest.raises(TypeError, match="'classes' parameter of DawidSkene must be"):
        DawidSkene(classes="abc").fit(L)
    with pytest.raises(ValueError, match="classes holds a missing value"):
        DawidSkene(classes=["a", None, "c"]).fit(L)
    # a code of L beyond the named classes
    with pytest.raises(ValueError, match=r"class code 2 .* n_classes=2"):
        DawidSkene(classes=["a", "b"]).fit(L)
    # gold labels must be names of classes
    y = np.full(L.shape[0], None, dtype=object)
    y[3] = "zebra"
    with pytest.raises(ValueError, match=r"y holds 'zebra' in row 3"):
        DawidSkene(classes=["a", "b", "c"]).fit(L, y)


def test_aggregator_score_refuses_no_known_label(crowd):
    L, _, _ = crowd
    model = MajorityVote().fit(L)
    with pytest.raises(ValueError, match="y holds no known label"):
        model.score(L, np.full(L.shape[0], -1))
    named = MajorityVote(classes=["a", "b", "c"]).fit(L)
    with pytest.raises(ValueError, match="y holds no known label"):
        named.score(L, [None] * L.shape[0])


def test_aggregator_score_is_accuracy_on_known_items(crowd):
    L, y, _ = crowd
    model = DawidSkene().fit(L)
    y_part = y.copy()
    y_part[::2] = -1
    known = y_part >= 0
    expected = np.mean(model.predict(L)[known] == y[known])
    assert model.score(L, y_part) == pytest.approx(expected)


# ---------------------------------------------------------------------------
# source_quality_
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(ALL))
def test_aggregator_source_quality_estimates_accuracy(name, crowd, binary):
    L, y = _data(name, crowd, binary)
    model = ALL[name]().fit(L)
    quality = model.source_quality_
    assert isinstance(quality, np.ndarray) and quality.shape == (L.shape[1],)
    assert np.all((quality >= 0) & (quality <= 1))
    voted = L >= 0
    empirical = ((L == y[:, None]) & voted).sum(axis=0) / voted.sum(axis=0)
    assert np.corrcoef(quality, empirical)[0, 1] > 0.9
    assert np.max(np.abs(quality - empirical)) < 0.2


@pytest.mark.parametrize("name", list(ALL))
def test_aggregator_source_quality_is_indexed_by_source_names(name, crowd, binary):
    L, _ = _data(name, crowd, binary)
    frame = pd.DataFrame(L, columns=[f"ann{j}" for j in range(L.shape[1])])
    quality = ALL[name]().fit(frame).source_quality_
    assert isinstance(quality, pd.Series)
    assert quality.name == "source_quality"
    assert list(quality.index) == list(frame.columns)
    np.testing.assert_allclose(quality, ALL[name]().fit(L).source_quality_)


def test_dawid_skene_source_quality_is_prior_weighted_diagonal(crowd):
    L, _, _ = crowd
    ds = DawidSkene().fit(L)
    expected = np.einsum("k,skk->s", ds.class_priors_, ds.confusion_matrices_)
    np.testing.assert_allclose(ds.source_quality_, expected)


def test_aggregator_old_quality_attributes_still_work(crowd):
    L, _, _ = crowd
    wmv = WeightedMajorityVote().fit(L)
    np.testing.assert_allclose(wmv.source_quality_, wmv.accuracies_)
    glad = GLAD().fit(L)
    assert glad.abilities_.shape == (L.shape[1],)
    mace = MACE(random_state=0, n_restarts=2).fit(L)
    assert mace.competence_.shape == (L.shape[1],)
    lm = LabelModel().fit(L)
    np.testing.assert_allclose(lm.source_quality_, lm.source_accuracies_)


def test_majority_vote_source_quality_shares_ties():
    L = np.array([[0, 1, -1], [0, 0, 1]])
    quality = MajorityVote().fit(L).source_quality_
    # item 0 is a tie: each of its two sources agrees with half of it
    np.testing.assert_allclose(quality, [0.75, 0.75, 0.0])


# ---------------------------------------------------------------------------
# aggregate
# ---------------------------------------------------------------------------


@pytest.fixture
def table():
    return pd.DataFrame(
        {
            "task": ["q1", "q1", "q1", "q2", "q2", "q3", "q3", "q4"],
            "who": ["ann", "bob", "cid", "ann", "cid", "bob", "cid", "ann"],
            "answer": ["cat", "cat", "dog", "dog", "dog", "cat", "emu", None],
        }
    )


def test_aggregate_returns_labels_confidence_and_probabilities(table):
    model = MajorityVote(tie_break="first")
    result = aggregate(table, model, item="task", source="who", label="answer")
    assert list(result.columns) == ["label", "confidence", "cat", "dog", "emu"]
    assert result.index.name == "task"
    assert list(result.index) == ["q1", "q2", "q3", "q4"]
    assert list(result["label"][:3]) == ["cat", "dog", "cat"]
    assert pd.isna(result["label"]["q4"])  # q4 has no label at all
    assert np.isnan(result["confidence"]["q4"])
    np.testing.assert_allclose(
        result.loc["q1", ["cat", "dog", "emu"]], [2 / 3, 1 / 3, 0]
    )
    np.testing.assert_allclose(result[["cat", "dog", "emu"]].sum(axis=1), 1.0)
    np.testing.assert_allclose(result["confidence"][:3], [2 / 3, 1.0, 0.5])
    assert not hasattr(model, "classes_")  # the user's model is not fitted


def test_aggregate_return_model_names_the_sources(table):
    _, fitted = aggregate(
        table, DawidSkene(), "task", "who", "answer", return_model=True
    )
    quality = fitted.source_quality_
    assert list(quality.index) == ["ann", "bob", "cid"]
    assert quality.index.name == "who"
    np.testing.assert_array_equal(fitted.classes_, ["cat", "dog", "emu"])


def test_aggregate_integer_labels_keep_their_dtype():
    data = pd.DataFrame(
        {"item": [1, 1, 2, 2, 3], "source": [7, 8, 7, 8, 8], "label": [5, 5, 9, 9, 5]}
    )
    result = aggregate(data, MajorityVote())
    assert result["label"].dtype == np.int64
    assert list(result["label"]) == [5, 9, 5]
    assert list(result.columns[2:]) == [5, 9]


def test_aggregate_sparse_and_dense_paths_agree():
    # many items and sources with few labels each: the sparse path
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 2000)
    L = make_crowd_labels(
        y, n_sources=60, accuracy=0.8, labels_per_item=3, random_state=0
    )
    items, sources = np.nonzero(L >= 0)
    data = pd.DataFrame({"item": items, "source": sources, "label": L[items, sources]})
    result = aggregate(data, DawidSkene())
    direct = DawidSkene().fit(L)
    order = result.index.to_numpy()
    np.testing.assert_array_equal(result["label"], direct.predict(L)[order])
    np.testing.assert_allclose(
        result[[0, 1, 2]].to_numpy(), direct.predict_proba(L)[order]
    )


def test_aggregate_model_classes_fix_the_order(table):
    result = aggregate(
        table, DawidSkene(classes=["emu", "dog", "cat"]), "task", "who", "answer"
    )
    assert list(result.columns[2:]) == ["emu", "dog", "cat"]


def test_aggregate_refuses_bad_input(table):
    with pytest.raises(ValueError, match="item='item' is not a column"):
        aggregate(table, MajorityVote())
    with pytest.raises(TypeError, match="model must be an aggregator"):
        aggregate(table, _NotAnAggregator(), "task", "who", "answer")
    reserved = table.assign(answer=["label", "cat"] * 4)
    with pytest.raises(ValueError, match="holds the class 'label'"):
        aggregate(reserved, MajorityVote(), "task", "who", "answer")
    one = table.assign(answer="cat")
    with pytest.raises(ValueError, match="a single class"):
        aggregate(one, MajorityVote(), "task", "who", "answer")
    with pytest.raises(ValueError, match="n_classes=5 but data holds 3 classes"):
        aggregate(table, MajorityVote(n_classes=5), "task", "who", "answer")


class _NotAnAggregator:
    def fit(self, X):
        return self

    def predict(self, X):
        return X

    def predict_proba(self, X):
        return X


# ---------------------------------------------------------------------------
# LabelModel: tie policy
# ---------------------------------------------------------------------------


def _symmetric_lfs():
    """Two LFs of the same estimated accuracy; half the items they split."""
    return np.array([[0, 0], [1, 1], [0, 1], [1, 0]] * 50)


def test_label_model_abstains_on_exact_ties_by_default():
    L = _symmetric_lfs()
    model = LabelModel().fit(L)
    proba = model.predict_proba(L[:4])
    np.testing.assert_allclose(proba[2], [0.5, 0.5], atol=1e-6)
    np.testing.assert_array_equal(model.predict(L[:4]), [0, 1, -1, -1])
    first = LabelModel(tie_break="first").fit(L)
    np.testing.assert_array_equal(first.predict(L[:4]), [0, 1, 0, 0])


def test_label_model_score_leaves_out_unknown_items():
    L = _symmetric_lfs()
    y = np.array([0, 1, -1, -1] * 50)
    assert LabelModel().fit(L).score(L, y) == 1.0
    with pytest.raises(ValueError, match="y holds no known label"):
        LabelModel().fit(L).score(L, np.full(L.shape[0], -1))


# ---------------------------------------------------------------------------
# pairwise_cohen_kappa as a DataFrame
# ---------------------------------------------------------------------------


def test_pairwise_cohen_kappa_as_frame_labels_the_sources():
    rows = [[0, 0, 0], [0, 0, 1], [1, 1, 1], [1, 0, -1], [2, 2, 2], [2, 2, -1]]
    L = pd.DataFrame(rows * 5, columns=["ann", "bob", "cid"])
    frame = pairwise_cohen_kappa(L, min_overlap=4, as_frame=True)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.index) == list(frame.columns) == ["ann", "bob", "cid"]
    np.testing.assert_allclose(frame.to_numpy(), pairwise_cohen_kappa(L, min_overlap=4))
    named = pairwise_cohen_kappa(
        L.to_numpy(), min_overlap=4, as_frame=True, names=list("xyz")
    )
    assert list(named.columns) == ["x", "y", "z"]
    plain = pairwise_cohen_kappa(L.to_numpy(), min_overlap=4, as_frame=True)
    assert list(plain.columns) == [0, 1, 2]
    kappa, (low, high) = pairwise_cohen_kappa(
        L, min_overlap=4, as_frame=True, confidence_level=0.9, n_bootstrap=50,
        random_state=0,
    )  # fmt: skip
    assert all(isinstance(f, pd.DataFrame) for f in (kappa, low, high))
    assert list(low.columns) == ["ann", "bob", "cid"]


def test_pairwise_cohen_kappa_as_frame_accepts_sparse_input():
    L = np.array([[0, 0, 0], [0, 0, 1], [1, 1, 1], [1, 0, -1]] * 5)
    frame = pairwise_cohen_kappa(sparse.csr_matrix(L + 1), as_frame=True)
    np.testing.assert_allclose(frame.to_numpy(), pairwise_cohen_kappa(L))


def test_pairwise_cohen_kappa_names_are_checked():
    L = [[0, 0], [1, 1], [0, 1]]
    with pytest.raises(ValueError, match="names has 3 entries but L has 2 sources"):
        pairwise_cohen_kappa(L, as_frame=True, names=["a", "b", "c"])
    with pytest.raises(ValueError, match="only used with as_frame=True"):
        pairwise_cohen_kappa(L, names=["a", "b"])
    with pytest.raises(ValueError, match="names holds 'a' twice"):
        pairwise_cohen_kappa(L, as_frame=True, names=["a", "a"])


def test_to_label_matrix_duplicate_check_names_the_pair():
    data = pd.DataFrame(
        {"item": [1, 1, 2], "source": ["a", "a", "b"], "label": [0, 1, 0]}
    )
    with pytest.raises(ValueError, match=r"Source 'a' labeled item 1 more than once"):
        to_label_matrix(data)
    with pytest.raises(ValueError, match=r"Source 'a' labeled item 1 more than once"):
        to_label_matrix(data, sparse_output=True)
