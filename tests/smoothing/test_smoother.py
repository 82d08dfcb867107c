import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklabels.smoothing import LabelSmoother

Y3 = ["cat", "dog", "fox", "dog"]


@pytest.mark.parametrize(
    "kind, expected_given, expected_other",
    [
        ("uniform", 1 - 0.3 + 0.3 / 3, 0.3 / 3),
        ("others", 1 - 0.3, 0.3 / 2),
    ],
)
def test_label_smoother_kinds(kind, expected_given, expected_other):
    Y = LabelSmoother(alpha=0.3, kind=kind).fit_transform(Y3)
    assert Y.shape == (4, 3)
    codes = [0, 1, 2, 1]
    given = Y[np.arange(4), codes]
    assert_allclose(given, expected_given)
    mask = np.ones_like(Y, dtype=bool)
    mask[np.arange(4), codes] = False
    assert_allclose(Y[mask], expected_other)
    assert_allclose(Y.sum(axis=1), 1.0)


def test_label_smoother_prior_uses_class_frequencies():
    smoother = LabelSmoother(alpha=0.2, kind="prior").fit(Y3)
    assert_allclose(smoother.prior_, [0.25, 0.5, 0.25])
    Y = smoother.transform(["cat"])
    assert_allclose(Y, [[0.8 + 0.2 * 0.25, 0.2 * 0.5, 0.2 * 0.25]])


def test_label_smoother_alpha_zero_is_one_hot():
    Y = LabelSmoother(alpha=0.0).fit_transform(Y3)
    assert_array_equal(Y, np.eye(3)[[0, 1, 2, 1]])


def test_label_smoother_classes_fix_column_order():
    smoother = LabelSmoother(alpha=0.0, classes=["fox", "dog", "cat"]).fit(Y3)
    assert_array_equal(smoother.transform(["cat"]), [[0, 0, 1]])
    assert_array_equal(smoother.get_feature_names_out(), ["fox", "dog", "cat"])


def test_label_smoother_inverse_is_argmax():
    smoother = LabelSmoother(alpha=0.4, kind="others").fit(Y3)
    assert_array_equal(smoother.inverse_transform(smoother.transform(Y3)), Y3)


def test_label_smoother_pandas_output_keeps_index():
    y = pd.Series(Y3, index=[10, 11, 12, 13])
    out = LabelSmoother().set_output(transform="pandas").fit_transform(y)
    assert list(out.columns) == ["cat", "dog", "fox"]
    assert list(out.index) == [10, 11, 12, 13]


@pytest.mark.parametrize("alpha", [-0.1, 1.0, 1.5])
def test_label_smoother_alpha_out_of_range(alpha):
    with pytest.raises(ValueError, match=r"'alpha' parameter.*Got " + str(alpha)):
        LabelSmoother(alpha=alpha).fit(Y3)


def test_label_smoother_single_class_refused():
    with pytest.raises(ValueError, match=r"at least two classes.*\['a'\]"):
        LabelSmoother().fit(["a", "a"])


def test_label_smoother_unknown_label_refused():
    smoother = LabelSmoother().fit(Y3)
    with pytest.raises(ValueError, match=r"unseen labels: \['emu'\]"):
        smoother.transform(["emu"])


@pytest.mark.parametrize(
    "Y, match",
    [
        ([[0.5, 0.5]], "2 columns but there are 3 classes"),
        ([[0.5, 0.6, 0.0]], r"rows must sum to 1.*row 0 sums to 1\.1"),
        ([[1.2, -0.2, 0.0]], "non-negative class probabilities; row 0"),
        ([[np.nan, 0.5, 0.5]], "NaN or infinity"),
    ],
)
def test_label_smoother_inverse_bad_rows(Y, match):
    smoother = LabelSmoother().fit(Y3)
    with pytest.raises(ValueError, match=match):
        smoother.inverse_transform(Y)


labels = st.lists(st.integers(0, 6), min_size=2, max_size=40).filter(
    lambda v: len(set(v)) >= 2
)


@settings(max_examples=80, deadline=None)
@given(labels, st.floats(0, 0.999), st.sampled_from(["uniform", "others", "prior"]))
def test_label_smoother_rows_sum_to_one(y, alpha, kind):
    Y = LabelSmoother(alpha=alpha, kind=kind).fit_transform(y)
    assert Y.shape == (len(y), len(set(y)))
    assert_allclose(Y.sum(axis=1), 1.0)
    assert (Y >= 0).all()


@settings(max_examples=80, deadline=None)
@given(labels, st.sampled_from(["uniform", "others"]), st.data())
def test_label_smoother_argmax_is_given_label(y, kind, data):
    K = len(set(y))
    alpha = data.draw(st.floats(0, (K - 1) / K, exclude_max=True))
    smoother = LabelSmoother(alpha=alpha, kind=kind).fit(y)
    Y = smoother.transform(y)
    assert_array_equal(smoother.classes_[Y.argmax(axis=1)], y)
