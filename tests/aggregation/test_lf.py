"""labeling_function, LFApplier and lf_summary."""

import pickle
import re
from functools import partial

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.pipeline import make_pipeline

from sklabels.aggregation import (
    LabelModel,
    LFApplier,
    labeling_function,
    lf_summary,
)
from sklabels.aggregation._lf import LabelingFunction

SPAM, HAM, ABSTAIN = 1, 0, -1

TEXTS = [
    "WIN a free prize now http://spam.example",
    "see you at lunch",
    "free entry, reply WIN",
    "meeting moved to 3pm",
    "click http://x.example for cash",
    "thanks, see you",
]


# Module-level LFs: picklable, so they can run in worker processes.
@labeling_function(resources={"words": ("free", "win", "cash")})
def lf_words(text, words):
    return SPAM if any(w in text.lower() for w in words) else ABSTAIN


@labeling_function(name="lf_link")
def lf_url(text):
    return SPAM if re.search(r"https?://", text) else ABSTAIN


@labeling_function(vectorized=True)
def lf_short(texts):
    lengths = np.array([len(t) for t in texts])
    return np.where(lengths <= 20, HAM, ABSTAIN)


@labeling_function()
def lf_greeting(text):
    return HAM if "see you" in text else None  # None abstains too


LFS = [lf_words, lf_url, lf_short, lf_greeting]
EXPECTED = np.array(
    [
        [1, 1, -1, -1],
        [-1, -1, 0, 0],
        [1, -1, -1, -1],
        [-1, -1, 0, -1],
        [1, 1, -1, -1],
        [-1, -1, 0, 0],
    ]
)


# ---------------------------------------------------------------------------
# labeling_function
# ---------------------------------------------------------------------------


def test_labeling_function_attributes_and_call():
    assert lf_words.name == "lf_words"
    assert lf_url.name == "lf_link"
    assert lf_short.vectorized and not lf_words.vectorized
    assert lf_words.resources == {"words": ("free", "win", "cash")}
    assert lf_words("FREE stuff") == SPAM
    assert lf_words.__doc__ is None and lf_words.__wrapped__ is lf_words.func
    assert repr(lf_short) == "LabelingFunction('lf_short', vectorized=True)"


def test_labeling_function_pickles_by_reference_and_by_value():
    assert pickle.loads(pickle.dumps(lf_words)) is lf_words
    made = labeling_function(name="argmax", vectorized=True)(partial(np.argmax, axis=1))
    again = pickle.loads(pickle.dumps(made))
    assert again.name == "argmax" and again.vectorized
    np.testing.assert_array_equal(again(np.eye(3)), [0, 1, 2])


def test_labeling_function_errors():
    with pytest.raises(TypeError, match="with parentheses"):
        labeling_function(lambda x: 1)
    with pytest.raises(TypeError, match="give the labeling function a name"):
        labeling_function()(partial(np.argmax, axis=1))
    with pytest.raises(TypeError, match="resources must be a mapping"):
        labeling_function(resources=[1, 2])(len)
    with pytest.raises(TypeError, match="name must be a str"):
        labeling_function(name=3)


# ---------------------------------------------------------------------------
# LFApplier
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "container",
    [list, np.array, pd.Series, lambda t: np.asarray(t, dtype=object)],
    ids=["list", "str-array", "Series", "object-array"],
)
def test_lf_applier_row_wise_and_vectorized(container):
    L = LFApplier(LFS).fit_transform(container(TEXTS))
    np.testing.assert_array_equal(L, EXPECTED)
    assert L.dtype == np.int64


def test_lf_applier_dataframe_rows_allow_attribute_and_key_access():
    df = pd.DataFrame({"text": TEXTS, "n": range(6)})

    @labeling_function()
    def by_attribute(x):
        return SPAM if "http" in x.text else ABSTAIN

    @labeling_function()
    def by_key(x):
        return HAM if x["n"] % 2 else ABSTAIN

    @labeling_function(vectorized=True)
    def on_frame(frame):
        return frame.text.str.contains("free").map({True: SPAM, False: ABSTAIN})

    L = LFApplier([by_attribute, by_key, on_frame]).fit_transform(df)
    np.testing.assert_array_equal(L[:, 0], [1, -1, -1, -1, 1, -1])
    np.testing.assert_array_equal(L[:, 1], [-1, 0, -1, 0, -1, 0])
    np.testing.assert_array_equal(L[:, 2], [1, -1, 1, -1, -1, -1])

    @labeling_function()
    def typo(x):
        return x.txt

    with pytest.raises(AttributeError, match="no field 'txt'"):
        LFApplier([typo]).fit_transform(df)


def test_lf_applier_2d_array_rows_and_plain_callables():
    X = np.array([[0.1, 2.0], [3.0, -1.0], [0.5, 0.4]])
    applier = LFApplier(
        [np.argmax, labeling_function(name="neg")(lambda r: int(r[1] < 0))]
    )
    L = applier.fit_transform(X)
    np.testing.assert_array_equal(L, [[1, 0], [0, 1], [0, 0]])
    assert applier.n_features_in_ == 2
    np.testing.assert_array_equal(applier.get_feature_names_out(), ["argmax", "neg"])


def test_lf_applier_parallel_gives_the_same_matrix():
    texts = TEXTS * 50
    one = LFApplier(LFS, n_jobs=1).fit_transform(texts)
    two = LFApplier(LFS, n_jobs=2).fit_transform(texts)
    np.testing.assert_array_equal(one, two)


def test_lf_applier_set_output_pandas_and_pipeline():
    df = pd.DataFrame({"text": TEXTS}, index=list("abcdef"))

    @labeling_function(vectorized=True)
    def has_free(frame):
        return np.where(frame.text.str.contains("free"), SPAM, ABSTAIN)

    applier = LFApplier([has_free]).set_output(transform="pandas")
    out = applier.fit_transform(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["has_free"] and list(out.index) == list("abcdef")
    summary = lf_summary(out)
    assert list(summary.index) == ["has_free"]
    pipe = make_pipeline(LFApplier(LFS), "passthrough")
    np.testing.assert_array_equal(pipe.fit_transform(TEXTS), EXPECTED)
    assert clone(applier).get_params()["lfs"][0].name == "has_free"


@pytest.mark.parametrize(
    "func, vectorized, error, match",
    [
        (lambda t: True, False, TypeError, "returned the boolean True for record 0"),
        (lambda t: "spam", False, TypeError, r"returned 'spam' of type str"),
        (lambda t: 1.5, False, ValueError, r"returned 1.5 for record 0"),
        (lambda t: -2, False, ValueError, r"returned -2 for record 0"),
        (lambda ts: np.ones(len(ts), dtype=bool), True, TypeError, "booleans"),
        (lambda ts: [1, 0], True, ValueError, r"returned 2 vote\(s\) .* for 6 records"),
        (lambda ts: np.array(["a"] * len(ts)), True, TypeError, "dtype <U1"),
    ],
)
def test_lf_applier_bad_votes_name_the_lf(func, vectorized, error, match):
    lf = labeling_function(name="bad", vectorized=vectorized)(func)
    with pytest.raises(error, match=match) as info:
        LFApplier([lf]).fit_transform(TEXTS)
    assert "'bad'" in str(info.value)


def test_lf_applier_exception_in_lf_is_annotated():
    @labeling_function()
    def fragile(text):
        return {"see you at lunch": 0}[text]

    with pytest.raises(KeyError) as info:
        LFApplier([fragile]).fit_transform(TEXTS)
    notes = getattr(info.value, "__notes__", ["in labeling function 'fragile'"])
    assert "in labeling function 'fragile' on record 0" in notes[0]


def test_lf_applier_input_and_lf_errors():
    with pytest.raises(ValueError, match="named 'lf_words'"):
        LFApplier([lf_words, lf_words]).fit(TEXTS)
    with pytest.raises(ValueError, match="lfs is empty"):
        LFApplier([]).fit(TEXTS)
    with pytest.raises(TypeError, match="must be callable"):
        LFApplier([lf_words, "lf"]).fit(TEXTS)
    with pytest.raises(ValueError, match="X is empty"):
        LFApplier(LFS).fit([])
    with pytest.raises(ValueError, match=r"0 feature\(s\) \(shape=\(3, 0\)\)"):
        LFApplier(LFS).fit(np.empty((3, 0)))
    with pytest.raises(ValueError, match="0 feature"):
        LFApplier(LFS).fit(pd.DataFrame(index=range(3)))
    from scipy import sparse

    with pytest.raises(TypeError, match="sparse"):
        LFApplier(LFS).fit(sparse.csr_matrix(np.eye(3)))
    applier = LFApplier(LFS).fit(TEXTS)
    applier.set_params(lfs=LFS[:2])
    with pytest.raises(ValueError, match="lfs changed since fit"):
        applier.transform(TEXTS)


# ---------------------------------------------------------------------------
# lf_summary
# ---------------------------------------------------------------------------


def _summary_by_loops(L, y):
    """The definitions, written out item by item."""
    rows = []
    for j in range(L.shape[1]):
        cov = ovl = con = right = wrong = 0
        for i in range(L.shape[0]):
            if L[i, j] < 0:
                continue
            cov += 1
            others = [L[i, k] for k in range(L.shape[1]) if k != j and L[i, k] >= 0]
            ovl += bool(others)
            con += any(v != L[i, j] for v in others)
            if y[i] >= 0:
                right += L[i, j] == y[i]
                wrong += L[i, j] != y[i]
        n = L.shape[0]
        rows.append((cov / n, ovl / n, con / n, right, wrong))
    return np.array(rows, dtype=float)


def test_lf_summary_matches_the_definitions():
    rng = np.random.RandomState(0)
    L = rng.randint(-1, 3, size=(200, 6))
    L[:, 5] = np.where(rng.random_sample(200) < 0.3, 2, -1)  # unipolar
    y = rng.randint(-1, 3, size=200)
    summary = lf_summary(L, y)
    expected = _summary_by_loops(L, y)
    cols = ["coverage", "overlaps", "conflicts", "correct", "incorrect"]
    np.testing.assert_allclose(summary[cols].to_numpy(float), expected)
    np.testing.assert_allclose(
        summary["empirical_accuracy"],
        expected[:, 3] / (expected[:, 3] + expected[:, 4]),
    )
    assert summary["polarity"].iloc[5] == [2]
    assert summary["polarity"].iloc[0] == [0, 1, 2]
    assert list(summary.index) == list(range(6))


def test_lf_summary_names_and_edge_cases():
    frame = pd.DataFrame(EXPECTED, columns=[lf.name for lf in LFS])
    summary = lf_summary(frame)
    assert list(summary.columns) == ["polarity", "coverage", "overlaps", "conflicts"]
    assert list(summary.index) == ["lf_words", "lf_link", "lf_short", "lf_greeting"]
    renamed = lf_summary(EXPECTED, names=list("abcd"))
    assert list(renamed.index) == list("abcd")
    silent = lf_summary(np.column_stack([EXPECTED, np.full(6, -1)]), y=[-1] * 6)
    assert silent["polarity"].iloc[-1] == [] and silent["coverage"].iloc[-1] == 0
    assert silent["empirical_accuracy"].isna().all()
    with pytest.raises(ValueError, match="names has 2 entries but L has 4 sources"):
        lf_summary(EXPECTED, names=["a", "b"])
    with pytest.raises(ValueError, match="y has 2 entries but L has 6 items"):
        lf_summary(EXPECTED, y=[0, 1])
    with pytest.raises(ValueError, match=r"holds -5 in row 0"):
        lf_summary([[-5, 0]])


def test_lf_pipeline_end_to_end():
    """Texts -> label matrix -> summary -> label model."""
    texts = TEXTS * 20
    L = LFApplier(LFS).fit_transform(texts)
    y = np.tile([1, 0, 1, 0, 1, 0], 20)
    summary = lf_summary(L, y, names=[lf.name for lf in LFS])
    assert summary.loc["lf_words", "empirical_accuracy"] == 1.0
    model = LabelModel().fit(L)
    covered = (L >= 0).any(axis=1)
    assert np.mean(model.predict(L)[covered] == y[covered]) == 1.0


@pytest.mark.parametrize("vectorized", ["yes", 1, None, "False"])
def test_labeling_function_refuses_non_bool_vectorized(vectorized):
    message = rf"vectorized must be True or False, got {re.escape(repr(vectorized))}"
    with pytest.raises(TypeError, match=message):
        labeling_function(vectorized=vectorized)
    with pytest.raises(TypeError, match=message):
        LabelingFunction(len, vectorized=vectorized)
    assert labeling_function(vectorized=np.True_)(len).vectorized


def test_lf_summary_refuses_duplicate_names():
    with pytest.raises(ValueError, match=r"names must be unique.*\['a'\]"):
        lf_summary(EXPECTED, names=["a", "a", "b", "c"])
    with pytest.raises(ValueError, match=r"\['x', 'y'\] more than once"):
        lf_summary(EXPECTED, names=["x", "y", "x", "y"])
