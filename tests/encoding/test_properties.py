"""Property-based tests of the label encoders (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from sklabels.encoding import LabelEncoder, MultiLabelEncoder, OneHotLabelEncoder

PROPERTY_SETTINGS = settings(
    max_examples=75,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

TEXT = st.text(max_size=12)
INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)

label_lists = st.one_of(
    st.lists(TEXT, min_size=1, max_size=40),
    st.lists(INT64, min_size=1, max_size=40),
    st.lists(st.integers(-3, 3), min_size=1, max_size=40),  # many repeats
    st.lists(st.sampled_from(["a", "b", "c", "ab", "a "]), min_size=1, max_size=40),
)

containers = st.sampled_from(["list", "ndarray", "object ndarray"])


def _container(y, kind):
    if kind == "list":
        return list(y)
    if kind == "ndarray":
        return np.asarray(y)
    return np.asarray(y, dtype=object)


@PROPERTY_SETTINGS
@given(
    y=label_lists,
    container=containers,
    order=st.sampled_from(["sorted", "appearance", "frequency"]),
)
def test_label_encoder_round_trip_property(y, container, order):
    y = _container(y, container)
    # the labels as given; a '<U' ndarray has already lost trailing NULs
    values = np.asarray(y, dtype=object).tolist()
    enc = LabelEncoder(order=order)
    codes = enc.fit_transform(y)
    n_classes = len(set(values))
    assert enc.classes_.size == n_classes
    assert codes.shape == (len(y),)
    assert codes.min() >= 0
    assert codes.max() <= n_classes - 1
    assert set(codes.tolist()) == set(range(n_classes))
    assert enc.inverse_transform(codes).tolist() == values
    # fit then transform agrees with fit_transform
    assert_array_equal(LabelEncoder(order=order).fit(y).transform(y), codes)


@PROPERTY_SETTINGS
@given(y=label_lists)
def test_label_encoder_sorted_classes_are_sorted_unique(y):
    enc = LabelEncoder().fit(y)
    assert enc.classes_.tolist() == sorted(set(y))


@PROPERTY_SETTINGS
@given(
    y=label_lists,
    order=st.sampled_from(["sorted", "frequency"]),
    data=st.data(),
)
def test_label_encoder_classes_independent_of_row_order(y, order, data):
    shuffled = data.draw(st.permutations(y))
    first = LabelEncoder(order=order).fit(y).classes_
    second = LabelEncoder(order=order).fit(shuffled).classes_
    assert first.tolist() == second.tolist()
    if order == "frequency":
        counts = [y.count(c) for c in first.tolist()]
        assert counts == sorted(counts, reverse=True)


@PROPERTY_SETTINGS
@given(
    y=label_lists,
    smoothing=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_onehot_label_encoder_rows_sum_to_one_property(y, smoothing):
    enc = OneHotLabelEncoder(smoothing=smoothing)
    Y = enc.fit_transform(y)
    codes = LabelEncoder().fit_transform(y)
    n_classes = enc.classes_.size
    assert Y.shape == (len(y), n_classes)
    assert np.all(Y >= 0)
    assert_allclose(Y.sum(axis=1), 1.0, rtol=0, atol=1e-9)
    assert_array_equal(Y.argmax(axis=1), codes)
    assert enc.inverse_transform(Y).tolist() == list(y)


@st.composite
def label_sets(draw):
    label = draw(st.sampled_from(["int", "str"]))
    elements = st.integers(0, 6) if label == "int" else TEXT.filter(bool)
    rows = draw(
        st.lists(st.sets(elements, max_size=5), min_size=1, max_size=25).filter(
            lambda rows: any(rows)
        )
    )
    return rows


@PROPERTY_SETTINGS
@given(rows=label_sets(), sparse_output=st.booleans())
def test_multilabel_encoder_round_trip_property(rows, sparse_output):
    enc = MultiLabelEncoder(sparse_output=sparse_output)
    Y = enc.fit_transform(rows)
    dense = Y.toarray() if sparse_output else Y
    assert dense.shape == (len(rows), len(set().union(*rows)))
    assert_array_equal(dense.sum(axis=1), [len(r) for r in rows])
    decoded = enc.inverse_transform(Y)
    assert [set(r) for r in decoded] == rows
    assert enc.classes_.tolist() == sorted(set().union(*rows))


@PROPERTY_SETTINGS
@given(
    rows=st.lists(
        st.sets(st.sampled_from(["news", "sports", "tech", "a b"]), max_size=4),
        min_size=1,
        max_size=20,
    ).filter(lambda rows: any(rows))
)
def test_multilabel_encoder_sep_round_trip_property(rows):
    strings = ["|".join(sorted(r)) for r in rows]
    enc = MultiLabelEncoder(sep="|")
    decoded = enc.inverse_transform(enc.fit_transform(strings))
    assert decoded == strings
    assert [set(filter(None, s.split("|"))) for s in decoded] == rows
