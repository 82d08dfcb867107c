"""Tests for make_crowd_labels and make_weak_labels."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sklabels.datasets import make_crowd_labels, make_weak_labels

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

GENERATORS = [
    pytest.param(make_crowd_labels, "n_sources", id="crowd"),
    pytest.param(make_weak_labels, "n_lfs", id="weak"),
]


@pytest.fixture(scope="module")
def y_large():
    return np.random.RandomState(0).randint(4, size=20_000)


def _empirical_accuracy(L, y):
    labeled = L != -1
    correct = (L == y[:, None]) & labeled
    return correct.sum(axis=0) / labeled.sum(axis=0)


# --------------------------------------------------------------------------
# make_crowd_labels


def test_make_crowd_labels_format():
    y = np.array([0, 1, 2, 1, 0])
    L = make_crowd_labels(y, n_sources=4, labels_per_item=2, random_state=0)
    assert L.shape == (5, 4)
    assert L.dtype == np.int64
    assert set(np.unique(L)) <= {-1, 0, 1, 2}


@PROPERTY_SETTINGS
@given(
    n_items=st.integers(1, 40),
    n_sources=st.integers(1, 8),
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
)
def test_make_crowd_labels_labels_per_item_property(n_items, n_sources, data, seed):
    labels_per_item = data.draw(st.integers(1, n_sources))
    n_classes = data.draw(st.integers(2, 5))
    y = np.random.RandomState(seed).randint(n_classes, size=n_items)
    L = make_crowd_labels(
        y,
        n_sources=n_sources,
        labels_per_item=labels_per_item,
        random_state=seed,
        n_classes=n_classes,
    )
    assert L.shape == (n_items, n_sources)
    np.testing.assert_array_equal((L != -1).sum(axis=1), labels_per_item)
    assert ((L >= -1) & (L < n_classes)).all()


def test_make_crowd_labels_all_sources_label_everything():
    L = make_crowd_labels([0, 1, 1], n_sources=3, labels_per_item=3, random_state=0)
    assert (L != -1).all()


def test_make_crowd_labels_empirical_accuracy(y_large):
    accuracy = np.array([0.3, 0.6, 0.75, 0.9, 1.0])
    L = make_crowd_labels(y_large, accuracy=accuracy, random_state=0)
    np.testing.assert_allclose(_empirical_accuracy(L, y_large), accuracy, atol=0.02)
    assert (L[:, 4][L[:, 4] != -1] == y_large[L[:, 4] != -1]).all()


def test_make_crowd_labels_scalar_accuracy(y_large):
    L = make_crowd_labels(y_large, accuracy=0.7, random_state=1)
    np.testing.assert_allclose(_empirical_accuracy(L, y_large), 0.7, atol=0.02)


def test_make_crowd_labels_errors_uniform_over_other_classes(y_large):
    L = make_crowd_labels(y_large, accuracy=0.0, labels_per_item=5, random_state=0)
    assert (L != y_large[:, None]).all()
    # Given true class 0, wrong labels spread evenly over classes 1, 2, 3.
    wrong = L[y_large == 0].ravel()
    shares = np.bincount(wrong, minlength=4)[1:] / wrong.size
    np.testing.assert_allclose(shares, 1 / 3, atol=0.02)


def test_make_crowd_labels_sources_share_the_load(y_large):
    L = make_crowd_labels(y_large, n_sources=5, labels_per_item=2, random_state=0)
    load = (L != -1).mean(axis=0)
    np.testing.assert_allclose(load, 2 / 5, atol=0.02)


def test_make_crowd_labels_n_classes_allows_absent_classes():
    y = np.zeros(2000, dtype=int)
    L = make_crowd_labels(y, accuracy=0.0, random_state=0, n_classes=3)
    assert set(np.unique(L)) == {-1, 1, 2}


def test_make_crowd_labels_reproducible_and_seed_dependent():
    y = np.arange(50) % 3
    first = make_crowd_labels(y, random_state=3)
    np.testing.assert_array_equal(first, make_crowd_labels(y, random_state=3))
    assert not np.array_equal(first, make_crowd_labels(y, random_state=4))


@pytest.mark.parametrize(
    "container",
    [list, np.array, pd.Series, lambda v: np.asarray(v, dtype=float)],
    ids=["list", "ndarray", "series", "integral-floats"],
)
def test_make_crowd_labels_containers(container):
    values = [0, 1, 2, 2, 1, 0]
    expected = make_crowd_labels(np.array(values), random_state=0)
    np.testing.assert_array_equal(
        make_crowd_labels(container(values), random_state=0), expected
    )


# --------------------------------------------------------------------------
# make_weak_labels


def test_make_weak_labels_format():
    L = make_weak_labels([0, 1, 1, 2], n_lfs=6, random_state=0)
    assert L.shape == (4, 6)
    assert L.dtype == np.int64
    assert set(np.unique(L)) <= {-1, 0, 1, 2}


def test_make_weak_labels_empirical_coverage_and_accuracy(y_large):
    coverage = np.array([0.1, 0.3, 0.5, 0.9])
    accuracy = np.array([0.9, 0.8, 0.6, 0.4])
    L = make_weak_labels(
        y_large, n_lfs=4, coverage=coverage, accuracy=accuracy, random_state=0
    )
    np.testing.assert_allclose((L != -1).mean(axis=0), coverage, atol=0.015)
    np.testing.assert_allclose(_empirical_accuracy(L, y_large), accuracy, atol=0.03)


def test_make_weak_labels_scalar_parameters(y_large):
    L = make_weak_labels(y_large, random_state=0)
    assert L.shape == (y_large.size, 10)
    np.testing.assert_allclose((L != -1).mean(), 0.3, atol=0.01)
    np.testing.assert_allclose(_empirical_accuracy(L, y_large), 0.75, atol=0.03)


def test_make_weak_labels_extreme_coverage_and_accuracy():
    y = np.arange(30) % 3
    assert (make_weak_labels(y, coverage=0.0, random_state=0) == -1).all()
    L = make_weak_labels(y, coverage=1.0, accuracy=1.0, random_state=0)
    np.testing.assert_array_equal(L, np.repeat(y[:, None], 10, axis=1))
    L = make_weak_labels(y, coverage=1.0, accuracy=0.0, random_state=0)
    assert (L != y[:, None]).all()


@PROPERTY_SETTINGS
@given(
    n_items=st.integers(1, 40),
    n_lfs=st.integers(1, 8),
    coverage=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_make_weak_labels_property(n_items, n_lfs, coverage, seed):
    y = np.random.RandomState(seed).randint(3, size=n_items)
    L = make_weak_labels(
        y, n_lfs=n_lfs, coverage=coverage, random_state=seed, n_classes=3
    )
    assert L.shape == (n_items, n_lfs)
    assert ((L >= -1) & (L < 3)).all()


def test_make_weak_labels_reproducible_and_seed_dependent():
    y = np.arange(60) % 2
    first = make_weak_labels(y, random_state=3)
    np.testing.assert_array_equal(first, make_weak_labels(y, random_state=3))
    assert not np.array_equal(first, make_weak_labels(y, random_state=4))


# --------------------------------------------------------------------------
# shared behaviour


@pytest.mark.parametrize(("make", "count_name"), GENERATORS)
def test_generators_leave_global_random_state_alone(make, count_name):
    state = np.random.get_state()
    make([0, 1, 2], random_state=0)
    np.testing.assert_array_equal(state[1], np.random.get_state()[1])


@pytest.mark.parametrize(("make", "count_name"), GENERATORS)
@pytest.mark.parametrize(
    ("y", "kwargs", "match"),
    [
        (
            ["a", "b"],
            {},
            r"integer class codes.*(<U1|object) such as 'a'.*LabelEncoder",
        ),
        ([0, 1.5], {}, r"integer class codes.*float64 such as 1.5"),
        ([True, False], {}, r"integer class codes.*dtype bool"),
        ([-1, 1], {}, r"class codes >= 0, got -1 in row 0"),
        ([0, 0], {}, r"single class.*pass n_classes"),
        ([0, 3], {"n_classes": 3}, r"class code 3 but n_classes=3"),
        ([0, 1], {"n_classes": 1}, r"'n_classes' parameter.*Got 1"),
        ([0, None], {}, "y contains missing labels"),
        ("01", {}, r"'y' parameter.*array-like"),
        ([0, 1], {"accuracy": 1.2}, r"'accuracy' parameter.*Got 1.2"),
        ([0, 1], {"accuracy": [0.5, 0.5]}, r"accuracy must be a float or an array"),
        ([0, 1], {"accuracy": "high"}, r"'accuracy' parameter.*'high'"),
        ([0, 1], {"random_state": "x"}, r"'random_state' parameter"),
    ],
)
def test_generators_errors(make, count_name, y, kwargs, match):
    with pytest.raises(ValueError, match=match):
        make(y, **kwargs)


@pytest.mark.parametrize(("make", "count_name"), GENERATORS)
def test_generators_per_source_array_errors(make, count_name):
    with pytest.raises(
        ValueError,
        match=rf"accuracy must be a float or an array of length {count_name}=3",
    ):
        make([0, 1], accuracy=[0.5, 0.5], **{count_name: 3})
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\], got \[0.5, 1.5"):
        make([0, 1], accuracy=[0.5, 1.5, 0.5], **{count_name: 3})
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\], got \[nan"):
        make([0, 1], accuracy=[np.nan, 0.5, 0.5], **{count_name: 3})
    with pytest.raises(
        TypeError, match="accuracy must be a float or an array of floats"
    ):
        make([0, 1], accuracy=["a", "b", "c"], **{count_name: 3})
    with pytest.raises(ValueError, match=rf"'{count_name}' parameter.*Got 0"):
        make([0, 1], **{count_name: 0})


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"labels_per_item": 6}, r"labels_per_item=6 is larger than n_sources=5"),
        ({"labels_per_item": 0}, r"'labels_per_item' parameter.*Got 0"),
    ],
)
def test_make_crowd_labels_labels_per_item_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_crowd_labels([0, 1], **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"coverage": -0.1}, ValueError, r"'coverage' parameter.*Got -0.1"),
        ({"coverage": [0.5] * 3}, ValueError, r"coverage must be.*n_lfs=10"),
        ({"coverage": [2.0] * 10}, ValueError, r"coverage must hold probabilities"),
        ({"coverage": [[0.5] * 10]}, ValueError, r"got an array of shape \(1, 10\)"),
    ],
)
def test_make_weak_labels_coverage_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_weak_labels([0, 1], **kwargs)
