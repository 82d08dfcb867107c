"""multiannotator_label_quality: CROWDLAB, cleanlab 2.9 as the oracle."""

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from sklabels.aggregation import to_label_matrix
from sklabels.noise import multiannotator_label_quality

cleanlab_multiannotator = pytest.importorskip("cleanlab.multiannotator")

ITEM_COLUMNS = [
    "consensus_label",
    "consensus_quality_score",
    "annotator_agreement",
    "num_annotations",
]
ANNOTATOR_COLUMNS = [
    "annotator_quality",
    "agreement_with_consensus",
    "worst_class",
    "num_examples_labeled",
]


def _crowd(seed, n=150, M=6, K=4, cover=0.5, accuracy=0.7, rounded=False):
    """A label matrix (every item and annotator with a label) and pred_probs."""
    rng = np.random.RandomState(seed)
    y = rng.randint(K, size=n)
    L = np.where(rng.rand(n, M) < accuracy, y[:, None], rng.randint(K, size=(n, M)))
    L[rng.rand(n, M) > cover] = -1
    L[np.arange(n), rng.randint(M, size=n)] = y  # at least one label per item
    L[0] = y[0]  # every annotator labels something, and one item has M labels
    P = rng.dirichlet(np.ones(K), size=n)
    if rounded:  # coarse probabilities: many exact ties, in votes and in P
        P = np.round(P, 1)
        P[::3] = 1.0
        P /= P.sum(axis=1, keepdims=True)
    return L, P


def _cleanlab(L, P, **kwargs):
    """cleanlab's result, or None where it broke a tie at random."""
    frame = pd.DataFrame(np.where(L < 0, np.nan, L))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with contextlib.redirect_stdout(io.StringIO()):
            result = cleanlab_multiannotator.get_label_quality_multiannotator(
                frame, P, verbose=False, **kwargs
            )
    if any("random" in str(w.message) for w in caught):
        return None
    return result


def _assert_same(ours, theirs):
    items, annotators = ours[:2]
    ref_items = theirs["label_quality"]
    ref_annotators = theirs["annotator_stats"].sort_index()
    assert list(items.columns) == ITEM_COLUMNS == list(ref_items.columns)
    assert list(annotators.columns) == ANNOTATOR_COLUMNS
    assert set(ref_annotators.columns) == set(ANNOTATOR_COLUMNS)
    for column in ["consensus_label", "num_annotations"]:
        np.testing.assert_array_equal(items[column], ref_items[column])
    for column in ["consensus_quality_score", "annotator_agreement"]:
        np.testing.assert_allclose(items[column], ref_items[column], rtol=0, atol=1e-6)
    for column in ["annotator_quality", "agreement_with_consensus"]:
        np.testing.assert_allclose(
            annotators[column], ref_annotators[column], rtol=0, atol=1e-6
        )
    for column in ["worst_class", "num_examples_labeled"]:
        np.testing.assert_array_equal(annotators[column], ref_annotators[column])


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    "shape",
    [
        {},
        {"cover": 0.15, "M": 10},  # sparse coverage: many single-label items
        {"K": 2, "M": 3, "cover": 0.8},
        {"K": 3, "M": 4, "rounded": True},  # exact ties in votes and in P
        {"K": 2, "M": 2, "cover": 0.6, "rounded": True},
    ],
    ids=["dense", "sparse-coverage", "binary", "ties", "two-annotators"],
)
def test_multiannotator_label_quality_matches_cleanlab(seed, shape):
    L, P = _crowd(seed, **shape)
    theirs = _cleanlab(L, P)
    if theirs is None:
        pytest.skip("cleanlab broke a tie at random")
    _assert_same(multiannotator_label_quality(L, P), theirs)


@pytest.mark.parametrize("seed", range(40))
def test_multiannotator_label_quality_majority_vote_tie_rules_match_cleanlab(seed):
    # uniform pred_probs leave every tie of the vote to the class frequencies,
    # then to the annotators' agreement with the untied votes
    rng = np.random.RandomState(seed)
    n, M, K = rng.randint(5, 30), rng.randint(2, 6), rng.randint(2, 4)
    L = rng.randint(-1, K, size=(n, M))
    L[np.arange(n), rng.randint(M, size=n)] = rng.randint(K, size=n)
    L[0] = 0
    P = np.full((n, K), 1.0 / K)
    theirs = _cleanlab(L, P)
    if theirs is None:
        pytest.skip("cleanlab broke a tie at random")
    _assert_same(multiannotator_label_quality(L, P), theirs)


def test_multiannotator_label_quality_last_tie_takes_smallest_class():
    # two annotators, perfectly symmetric: cleanlab draws at random, we take 0
    L = np.array([[0, 1], [1, 0], [0, 1], [1, 0], [0, 0], [1, 1]])
    P = np.full((6, 2), 0.5)
    items, _ = multiannotator_label_quality(L, P)
    assert items["consensus_label"].tolist() == [0, 0, 0, 0, 0, 1]


@pytest.mark.parametrize("seed", range(4))
def test_multiannotator_label_quality_detailed_quality_matches_cleanlab(seed):
    L, P = _crowd(seed, cover=0.4)
    theirs = _cleanlab(L, P)
    detailed = multiannotator_label_quality(L, P, return_detailed_quality=True)[2]
    ref = theirs["detailed_label_quality"]
    assert list(detailed.columns) == list(ref.columns)
    np.testing.assert_allclose(detailed, ref, rtol=0, atol=1e-6)


@pytest.mark.parametrize("seed", range(4))
def test_multiannotator_label_quality_agreement_method_matches_cleanlab(seed):
    # cleanlab's "agreement" counts votes right only for an integer matrix
    # without missing labels (its value_counts misplaces the counts of float
    # labels), so it is compared there
    rng = np.random.RandomState(seed)
    L = rng.randint(0, 3, size=(40, 4))
    P = rng.dirichlet(np.ones(3), size=40)
    with contextlib.redirect_stdout(io.StringIO()):
        theirs = cleanlab_multiannotator.get_label_quality_multiannotator(
            L, P, quality_method="agreement", verbose=False
        )
    ours = multiannotator_label_quality(L, P, quality_method="agreement")
    _assert_same(ours, theirs)
    np.testing.assert_array_equal(
        ours[0]["consensus_quality_score"], ours[0]["annotator_agreement"]
    )


def test_multiannotator_label_quality_agreement_method_counts_votes_by_class():
    # the item labeled [1, 1] has a consensus of 1, agreement 1 (cleanlab's
    # float path would say 0 here)
    L = np.array([[0, 0, -1], [1, 1, -1], [0, 1, 0]])
    P = np.array([[0.6, 0.4], [0.4, 0.6], [0.5, 0.5]])
    items, _ = multiannotator_label_quality(L, P, quality_method="agreement")
    assert items["consensus_label"].tolist() == [0, 1, 0]
    np.testing.assert_allclose(items["consensus_quality_score"], [1.0, 1.0, 2 / 3])


def _containers(L):
    frame = pd.DataFrame(np.where(L < 0, np.nan, L), columns=list("abcdef"))
    return {
        "ndarray": L,
        "list": L.tolist(),
        "int32": L.astype(np.int32),
        "float": L.astype(float),
        "dataframe-nan": frame,
        "dataframe-nullable": frame.astype("Int64"),
        "dataframe-minus-one": pd.DataFrame(L, columns=list("abcdef")),
        "sparse": sparse.csr_matrix(L + 1),
        "sparse-coo": sparse.coo_matrix(L + 1),
    }


@pytest.mark.parametrize("kind", list(_containers(np.zeros((1, 6), dtype=int)).keys()))
def test_multiannotator_label_quality_containers_agree(kind):
    L, P = _crowd(0, M=6)
    expected = multiannotator_label_quality(L, P)
    got = multiannotator_label_quality(_containers(L)[kind], P)
    for ours, ref in zip(got, expected, strict=True):
        np.testing.assert_array_equal(ours.to_numpy(), ref.to_numpy())
    if kind.startswith("dataframe"):
        assert got[1].index.tolist() == list("abcdef")


def test_multiannotator_label_quality_dataframe_index_kept():
    L, P = _crowd(1, n=20, M=3)
    frame = pd.DataFrame(
        np.where(L < 0, np.nan, L),
        index=[f"item{i}" for i in range(20)],
        columns=["ann", "bob", "cy"],
    )
    items, annotators, detailed = multiannotator_label_quality(
        frame, P, return_detailed_quality=True
    )
    assert items.index.tolist() == frame.index.tolist()
    assert annotators.index.tolist() == ["ann", "bob", "cy"]
    assert detailed.columns.tolist() == [
        "quality_annotator_ann",
        "quality_annotator_bob",
        "quality_annotator_cy",
    ]


def test_multiannotator_label_quality_classes_name_the_labels():
    L, P = _crowd(2, n=30, K=3)
    codes = multiannotator_label_quality(L, P)
    named = multiannotator_label_quality(L, P, classes=["cat", "dog", "owl"])
    names = np.array(["cat", "dog", "owl"])
    assert (named[0]["consensus_label"] == names[codes[0]["consensus_label"]]).all()
    assert (named[1]["worst_class"] == names[codes[1]["worst_class"]]).all()
    np.testing.assert_array_equal(
        named[0]["consensus_quality_score"], codes[0]["consensus_quality_score"]
    )


def test_multiannotator_label_quality_label_matrix_carries_classes():
    long = pd.DataFrame(
        {
            "item": [0, 0, 1, 1, 2, 2, 2],
            "source": ["a", "b", "a", "b", "a", "b", "c"],
            "label": ["dog", "dog", "cat", "dog", "cat", "cat", "cat"],
        }
    )
    L = to_label_matrix(long)[0]
    P = np.array([[0.2, 0.8], [0.6, 0.4], [0.9, 0.1]])
    items = multiannotator_label_quality(L, P)[0]
    assert items["consensus_label"].tolist() == ["dog", "cat", "cat"]
    with pytest.raises(ValueError, match=r"the classes L carries .* 3 columns"):
        multiannotator_label_quality(L, np.full((3, 3), 1 / 3))


def test_multiannotator_label_quality_sparse_label_matrix_carries_classes():
    long = pd.DataFrame(
        {
            "item": [0, 0, 1, 1, 2, 2, 2],
            "source": ["a", "b", "a", "b", "a", "b", "c"],
            "label": ["dog", "dog", "cat", "dog", "cat", "cat", "cat"],
        }
    )
    S = to_label_matrix(long, sparse_output=True)[0]
    dense = to_label_matrix(long)[0]
    P = np.array([[0.2, 0.8], [0.6, 0.4], [0.9, 0.1]])
    got = multiannotator_label_quality(S, P)
    expected = multiannotator_label_quality(dense, P)
    for ours, ref in zip(got, expected, strict=True):
        np.testing.assert_array_equal(ours.to_numpy(), ref.to_numpy())
    assert got[0]["consensus_label"].tolist() == ["dog", "cat", "cat"]


def test_multiannotator_label_quality_float32_pred_probs():
    L, P = _crowd(3)
    got = multiannotator_label_quality(L, P.astype(np.float32))
    theirs = _cleanlab(L, P.astype(np.float32))
    _assert_same(got, theirs)


def test_multiannotator_label_quality_all_agree():
    L = np.array([[0, 0, 0], [1, 1, -1], [2, -1, 2], [1, 1, 1]])
    P = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]])
    items, annotators = multiannotator_label_quality(L, P)
    _assert_same((items, annotators), _cleanlab(L, P))
    assert items["consensus_label"].tolist() == [0, 1, 2, 1]
    assert (items["annotator_agreement"] == 1).all()
    assert (annotators["agreement_with_consensus"] == 1).all()


def test_multiannotator_label_quality_one_class_everywhere():
    # every annotator and the model say class 1: the baseline error is 0
    # (clipped at 1e-6 as cleanlab clips it)
    L = np.array([[1, 1, -1], [1, -1, 1], [1, 1, 1]])
    P = np.array([[0.2, 0.8], [0.1, 0.9], [0.3, 0.7]])
    items, annotators = multiannotator_label_quality(L, P)
    _assert_same((items, annotators), _cleanlab(L, P))
    assert items["consensus_label"].tolist() == [1, 1, 1]


def test_multiannotator_label_quality_single_annotation_items():
    # annotator 2 labels only items nobody else labeled: no quality (NaN), as
    # cleanlab; its agreement with the consensus is still defined
    L = np.array([[0, 0, -1], [1, 1, -1], [1, 0, -1], [-1, -1, 1], [-1, -1, 0]])
    P = np.array([[0.8, 0.2], [0.3, 0.7], [0.4, 0.6], [0.5, 0.5], [0.9, 0.1]])
    items, annotators = multiannotator_label_quality(L, P)
    _assert_same((items, annotators), _cleanlab(L, P))
    assert np.isnan(annotators.loc[2, "annotator_quality"])
    assert annotators.loc[2, "agreement_with_consensus"] == 1.0
    assert items["num_annotations"].tolist() == [2, 2, 2, 1, 1]


@pytest.mark.parametrize("seed", range(3))
def test_multiannotator_label_quality_scores_are_probabilities(seed):
    L, P = _crowd(seed, cover=0.3)
    items, annotators = multiannotator_label_quality(L, P)
    for column in ["consensus_quality_score", "annotator_agreement"]:
        assert items[column].between(0, 1).all()
    assert annotators["annotator_quality"].dropna().between(0, 1).all()
    assert items["num_annotations"].sum() == (L >= 0).sum()
    assert annotators["num_examples_labeled"].tolist() == (L >= 0).sum(0).tolist()


def test_multiannotator_label_quality_trusts_a_confident_model_on_a_split_vote():
    # a 1-1 split is decided by the model; a 2-1 vote against a very
    # confident model (which agrees with every other consensus, so weighs
    # much) is overruled: one annotator in three agrees with the consensus
    L = np.array([[0, 1, -1], [0, 0, 1], [0, 0, 0], [1, 1, 1]] * 5)
    P = np.tile([[0.1, 0.9], [0.02, 0.98], [0.9, 0.1], [0.1, 0.9]], (5, 1))
    items, _ = multiannotator_label_quality(L, P)
    assert items["consensus_label"].tolist()[:4] == [1, 1, 0, 1]
    np.testing.assert_allclose(items["annotator_agreement"][:4], [0.5, 1 / 3, 1, 1])


def test_multiannotator_label_quality_warns_when_no_annotators_agree():
    L = np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]])
    P = np.array([[0.7, 0.3], [0.4, 0.6], [0.5, 0.5]])
    with pytest.warns(UserWarning, match="No two annotators agree"):
        multiannotator_label_quality(L, P)


# -- bad input ---------------------------------------------------------------

L_OK = np.array([[0, 0, 1], [1, -1, 1], [0, 1, -1]])
P_OK = np.array([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4]])


@pytest.mark.parametrize(
    "L, P, error, match",
    [
        (
            np.array([[0, 2, 1], [1, -1, 1], [0, 1, -1]]),
            P_OK,
            ValueError,
            r"class code 2 in row 0, column 1 but pred_probs has 2 columns",
        ),
        (L_OK, P_OK[:2], ValueError, r"L has 3 items .* pred_probs has 2 rows"),
        (L_OK, P_OK[:, 0], ValueError, r"pred_probs must be a 2d array"),
        (L_OK, np.ones((3, 1)), ValueError, r"pred_probs must have at least 2 columns"),
        (L_OK, P_OK - 0.5, ValueError, r"pred_probs must hold non-negative"),
        (
            L_OK,
            np.array([[1.5, -0.5], [0.2, 0.8], [0.6, 0.4]]),
            ValueError,
            r"pred_probs must hold non-negative",
        ),
        (L_OK, P_OK * 0.9, ValueError, r"pred_probs rows must sum to 1.*row 0"),
        (
            L_OK,
            np.array([[np.nan, 1.0], [0.2, 0.8], [0.6, 0.4]]),
            ValueError,
            r"pred_probs must hold finite",
        ),
        (
            np.array([[0, 0, 1], [-1, -1, -1], [0, 1, -1]]),
            P_OK,
            ValueError,
            r"1 item\(s\) without any label, e.g. rows \[1\]",
        ),
        (
            np.array([[0, -1, 1], [1, -1, 1], [0, -1, -1]]),
            P_OK,
            ValueError,
            r"1 annotator\(s\) \(columns\) without any label: 1",
        ),
        (
            np.array([[0, -1], [-1, 1], [0, -1]]),
            P_OK,
            ValueError,
            r"no item labeled by two or more annotators",
        ),
        (
            np.array([[0, -2, 1], [1, -1, 1], [0, 1, -1]]),
            P_OK,
            ValueError,
            r"L holds -2 in row 0, column 1",
        ),
        (
            np.array([[0, 0.5, 1], [1, -1, 1], [0, 1, -1]]),
            P_OK,
            ValueError,
            r"integer class codes, got 0.5",
        ),
        (
            np.array([["a", "b"], ["b", "b"], ["a", "a"]], dtype=object),
            P_OK,
            ValueError,
            r"non-numeric values such as 'a'",
        ),
        (L_OK, np.array([["x", "y"]] * 3), TypeError, r"pred_probs must hold numeric"),
    ],
    ids=[
        "code>=K",
        "lengths",
        "pred_probs-1d",
        "pred_probs-one-column",
        "pred_probs-negative",
        "pred_probs-above-one",
        "rows-not-summing-to-1",
        "pred_probs-nan",
        "item-without-label",
        "annotator-without-label",
        "no-shared-item",
        "code-below-minus-one",
        "fractional-code",
        "strings",
        "pred_probs-strings",
    ],
)
def test_multiannotator_label_quality_bad_input(L, P, error, match):
    with pytest.raises(error, match=match):
        multiannotator_label_quality(L, P)


def test_multiannotator_label_quality_annotator_without_label_named():
    frame = pd.DataFrame({"ann": [0, 1, 0], "bob": [np.nan] * 3, "cy": [0, 1, 1]})
    with pytest.raises(ValueError, match=r"without any label: 'bob'"):
        multiannotator_label_quality(frame, P_OK)


def test_multiannotator_label_quality_bad_classes():
    with pytest.raises(ValueError, match=r"classes \(\['a', 'b', 'c'\]\) must name"):
        multiannotator_label_quality(L_OK, P_OK, classes=["a", "b", "c"])


def test_multiannotator_label_quality_bad_quality_method():
    with pytest.raises(ValueError, match=r"quality_method.*'best'"):
        multiannotator_label_quality(L_OK, P_OK, quality_method="best")
