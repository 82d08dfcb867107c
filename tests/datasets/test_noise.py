"""Tests for make_noisy_labels and make_noise_matrix."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sklabels.datasets import make_noise_matrix, make_noisy_labels
from sklabels.datasets._noise import _VALID_MARGIN, _round_half_up, _trace_limits

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _count_matrix(true, noisy, classes):
    """counts[i, j] = number of rows with given label i and true label j."""
    true_codes = np.searchsorted(classes, true)
    noisy_codes = np.searchsorted(classes, noisy)
    counts = np.zeros((len(classes), len(classes)), dtype=int)
    np.add.at(counts, (noisy_codes, true_codes), 1)
    return counts


def _expected_flips(n_per_class, keep):
    """round(n_j * (1 - keep_j)), halves up, as documented."""
    return np.floor(np.asarray(n_per_class) * (1 - np.asarray(keep)) + 0.5 + 1e-9)


NOISE_MATRIX_3 = np.array(
    [
        [0.7, 0.1, 0.0],
        [0.2, 0.85, 0.25],
        [0.1, 0.05, 0.75],
    ]
)


# --------------------------------------------------------------------------
# make_noisy_labels


@pytest.mark.parametrize("noise_rate", [0.0, 0.1, 0.25, 0.5, 1.0])
def test_make_noisy_labels_noise_rate_exact_counts(noise_rate):
    y = np.repeat([0, 1, 2, 3], [10, 21, 7, 40])
    noisy, flipped = make_noisy_labels(y, noise_rate=noise_rate, random_state=0)
    counts = _count_matrix(y, noisy, np.arange(4))
    n_flipped = counts.sum(axis=0) - np.diag(counts)
    expected = _expected_flips([10, 21, 7, 40], 1 - noise_rate)
    np.testing.assert_array_equal(n_flipped, expected)
    assert flipped.sum() == expected.sum()
    # Flips of each class are spread evenly over the other classes.
    off = counts + np.diag(np.full(4, -(10**6)))
    for j in range(4):
        col = np.delete(off[:, j], j)
        assert col.max() - col.min() <= 1


def test_make_noisy_labels_noise_matrix_exact_counts():
    y = np.repeat([0, 1, 2], [100, 200, 100])
    noisy, flipped = make_noisy_labels(y, noise_matrix=NOISE_MATRIX_3, random_state=3)
    counts = _count_matrix(y, noisy, np.arange(3))
    expected = NOISE_MATRIX_3 * np.array([100, 200, 100])
    np.testing.assert_array_equal(counts, expected)
    assert flipped.sum() == 30 + 30 + 25


def test_make_noisy_labels_largest_remainder_allocation():
    # Class 0 has 7 rows and loses round(7 * 0.6) = 4 of them, split in
    # proportion 0.35 : 0.25 over classes 1 and 2, i.e. quotas 2.33 : 1.67.
    y = np.repeat([0, 1, 2], [7, 5, 5])
    nm = np.array([[0.4, 0.0, 0.0], [0.35, 1.0, 0.0], [0.25, 0.0, 1.0]])
    noisy, flipped = make_noisy_labels(y, noise_matrix=nm, random_state=0)
    counts = _count_matrix(y, noisy, np.arange(3))
    np.testing.assert_array_equal(counts[:, 0], [3, 2, 2])
    assert not flipped[y != 0].any()


def test_make_noisy_labels_matches_cleanlab_counts():
    # Peer as oracle: where every n_j * N[i, j] is an integer, cleanlab's
    # generate_noisy_labels realises exactly the same count matrix.
    noise_generation = pytest.importorskip("cleanlab.benchmarking.noise_generation")
    y = np.repeat([0, 1, 2], [100, 200, 100])
    state = np.random.get_state()
    try:
        np.random.seed(0)
        theirs = noise_generation.generate_noisy_labels(y, NOISE_MATRIX_3)
    finally:
        np.random.set_state(state)
    ours, _ = make_noisy_labels(y, noise_matrix=NOISE_MATRIX_3, random_state=0)
    classes = np.arange(3)
    np.testing.assert_array_equal(
        _count_matrix(y, ours, classes), _count_matrix(y, theirs, classes)
    )


def test_make_noisy_labels_zero_noise_rate_target_never_used():
    y = np.repeat([0, 1, 2], 50)
    noisy, _ = make_noisy_labels(y, noise_matrix=NOISE_MATRIX_3, random_state=1)
    # NOISE_MATRIX_3[0, 2] = 0: true class 2 never becomes 0.
    assert not ((y == 2) & (noisy == 0)).any()


def test_make_noisy_labels_rounds_halves_up():
    y = np.repeat([0, 1], [5, 5])
    _, flipped = make_noisy_labels(y, noise_rate=0.3, random_state=0)
    # 5 * 0.3 = 1.5 -> 2 flips per class.
    assert flipped[:5].sum() == 2
    assert flipped[5:].sum() == 2


@PROPERTY_SETTINGS
@given(
    counts=st.lists(st.integers(0, 30), min_size=2, max_size=6).filter(
        lambda c: sum(1 for n in c if n > 0) >= 2
    ),
    noise_rate=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_make_noisy_labels_noise_rate_properties(counts, noise_rate, seed):
    rng = np.random.RandomState(seed)
    y = rng.permutation(np.repeat(np.arange(len(counts)) * 10, counts))
    classes = np.unique(y)
    n_per_class = np.array([np.sum(y == c) for c in classes])
    noisy, flipped = make_noisy_labels(y, noise_rate=noise_rate, random_state=seed)
    assert noisy.shape == y.shape == flipped.shape
    assert noisy.dtype == y.dtype
    assert flipped.dtype == bool
    np.testing.assert_array_equal(noisy != y, flipped)
    assert np.isin(noisy, classes).all()
    per_class = np.array([flipped[y == c].sum() for c in classes])
    np.testing.assert_array_equal(
        per_class, _expected_flips(n_per_class, 1 - noise_rate)
    )


@PROPERTY_SETTINGS
@given(
    n_classes=st.integers(2, 5),
    size=st.integers(1, 60),
    seed=st.integers(0, 2**32 - 1),
)
def test_make_noisy_labels_noise_matrix_properties(n_classes, size, seed):
    rng = np.random.RandomState(seed)
    y = np.concatenate([np.arange(n_classes), rng.randint(n_classes, size=size)])
    nm = rng.dirichlet(np.ones(n_classes), size=n_classes).T
    offdiag = ~np.eye(n_classes, dtype=bool)
    nm[offdiag & (rng.random_sample(nm.shape) < 0.3)] = 0.0
    nm /= nm.sum(axis=0)
    noisy, flipped = make_noisy_labels(y, noise_matrix=nm, random_state=seed)
    np.testing.assert_array_equal(noisy != y, flipped)
    counts = _count_matrix(y, noisy, np.arange(n_classes))
    n_per_class = np.bincount(y, minlength=n_classes)
    off = counts.sum(axis=0) - np.diag(counts)
    np.testing.assert_array_equal(off, _expected_flips(n_per_class, np.diag(nm)))
    # Never a flip to a class with zero probability; the allocation is the
    # largest-remainder rounding of the proportional quotas.
    assert not counts[offdiag & (nm == 0)].any()
    weights = nm * offdiag
    with np.errstate(invalid="ignore", divide="ignore"):
        quotas = np.nan_to_num(off * weights / weights.sum(axis=0))
    assert (np.abs(counts[offdiag] - quotas[offdiag]) < 1).all()


def test_make_noisy_labels_reproducible_and_seed_dependent():
    y = np.repeat([0, 1, 2], 100)
    first = make_noisy_labels(y, noise_rate=0.3, random_state=42)
    second = make_noisy_labels(y, noise_rate=0.3, random_state=42)
    other = make_noisy_labels(y, noise_rate=0.3, random_state=43)
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    assert not np.array_equal(first[1], other[1])


def test_make_noisy_labels_accepts_random_state_instance():
    y = np.repeat([0, 1], 50)
    a = make_noisy_labels(y, noise_rate=0.2, random_state=np.random.RandomState(5))
    b = make_noisy_labels(y, noise_rate=0.2, random_state=np.random.RandomState(5))
    np.testing.assert_array_equal(a[0], b[0])


def test_make_noisy_labels_leaves_global_random_state_alone():
    state = np.random.get_state()
    make_noisy_labels(np.repeat([0, 1], 50), noise_rate=0.2, random_state=0)
    after = np.random.get_state()
    assert state[0] == after[0]
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2:] == after[2:]


@pytest.mark.parametrize(
    "container",
    [list, np.array, pd.Series, lambda v: pd.Series(v, dtype="category")],
    ids=["list", "ndarray", "series", "categorical"],
)
def test_make_noisy_labels_string_labels(container):
    values = ["cat", "dog", "bird"] * 20
    y = container(values)
    noisy, flipped = make_noisy_labels(y, noise_rate=0.5, random_state=0)
    assert isinstance(noisy, type(np.asarray(y)) if isinstance(y, list) else type(y))
    assert set(noisy) <= {"cat", "dog", "bird"}
    np.testing.assert_array_equal(noisy != np.asarray(values), flipped)
    assert flipped.sum() == 30


def test_make_noisy_labels_preserves_integer_dtype():
    y = np.array([3, 7, 7, 3, 9, 9], dtype=np.int32)
    noisy, _ = make_noisy_labels(y, noise_rate=0.5, random_state=0)
    assert noisy.dtype == np.int32
    assert set(noisy) <= {3, 7, 9}


def test_make_noisy_labels_series_index_ignored():
    y = pd.Series([0, 1, 0, 1], index=[10, 20, 30, 40])
    noisy, flipped = make_noisy_labels(y, noise_rate=0.5, random_state=0)
    np.testing.assert_array_equal(noisy != y.to_numpy(), flipped)


@pytest.mark.parametrize(
    "values, dtype",
    [
        ([0, 1, 2] * 10, None),
        (["cat", "dog", "bird"] * 10, None),
        (["cat", "dog", "bird"] * 10, "category"),
        ([0, 1, 2] * 10, "Int64"),
        ([0.5, 1.5, 2.5] * 10, None),
    ],
    ids=["int", "str", "categorical", "nullable-int", "float"],
)
def test_make_noisy_labels_series_keeps_index_name_and_dtype(values, dtype):
    index = pd.Index([f"row{i}" for i in range(len(values))], name="id")
    y = pd.Series(values, index=index, name="label", dtype=dtype)
    noisy, flipped = make_noisy_labels(y, noise_rate=0.4, random_state=0)
    assert isinstance(noisy, pd.Series) and isinstance(flipped, pd.Series)
    assert noisy.index.equals(index) and flipped.index.equals(index)
    assert noisy.name == "label" and flipped.name == "flipped"
    assert noisy.dtype == y.dtype and flipped.dtype == bool
    assert flipped.sum() == 12
    np.testing.assert_array_equal(noisy.to_numpy() != y.to_numpy(), flipped)
    # the same flips as for the plain values
    expected, expected_flipped = make_noisy_labels(
        np.asarray(values), noise_rate=0.4, random_state=0
    )
    np.testing.assert_array_equal(noisy.to_numpy(dtype=object), expected)
    np.testing.assert_array_equal(flipped, expected_flipped)


def test_make_noisy_labels_categorical_series_gains_new_classes():
    y = pd.Series(
        pd.Categorical(["a"] * 10, categories=["a"], ordered=True), index=range(5, 15)
    )
    noisy, flipped = make_noisy_labels(
        y, noise_rate=0.5, classes=["a", "b"], random_state=0
    )
    assert list(noisy.cat.categories) == ["a", "b"] and noisy.cat.ordered
    assert (noisy[flipped] == "b").all() and flipped.sum() == 5
    assert noisy.index.equals(y.index)


def test_make_noisy_labels_noise_matrix_follows_sorted_classes():
    y = np.array(["b"] * 10 + ["a"] * 10)
    # Column "a" (first sorted class) keeps everything, column "b" flips all.
    nm = np.array([[1.0, 1.0], [0.0, 0.0]])
    noisy, flipped = make_noisy_labels(y, noise_matrix=nm, random_state=0)
    assert (noisy == "a").all()
    np.testing.assert_array_equal(flipped, y == "b")


def test_make_noisy_labels_label_outside_classes_names_only_real_fix():
    # make_noisy_labels has no handle_unknown: the message must not offer it.
    with pytest.raises(ValueError, match=r"not in classes: \['c'\]") as info:
        make_noisy_labels(["a", "b", "c"], noise_rate=0.1, classes=["a", "b"])
    assert "handle_unknown" not in str(info.value)


def test_make_noisy_labels_classes_sets_order_and_absent_classes():
    y = np.array(["a"] * 10)
    noisy, flipped = make_noisy_labels(
        y, noise_rate=0.6, random_state=0, classes=["a", "long class"]
    )
    assert flipped.sum() == 6
    assert set(noisy[flipped]) == {"long class"}
    # classes fixes the order of the matrix: column "z" first.
    nm = np.array([[1.0, 0.5], [0.0, 0.5]])
    noisy, _ = make_noisy_labels(
        ["a"] * 4, noise_matrix=nm, classes=["z", "a"], random_state=0
    )
    assert sorted(noisy.tolist()) == ["a", "a", "z", "z"]


def test_make_noisy_labels_uniform_ties_broken_at_random():
    y = np.array([0, 1, 2])
    targets = set()
    for seed in range(30):
        noisy, _ = make_noisy_labels(y, noise_rate=0.5, random_state=seed)
        targets.add(int(noisy[0]))
    assert targets == {1, 2}


def test_make_noisy_labels_single_class():
    noisy, flipped = make_noisy_labels([4, 4, 4], noise_rate=0.0)
    np.testing.assert_array_equal(noisy, [4, 4, 4])
    assert not flipped.any()
    with pytest.raises(ValueError, match=r"y holds a single class \[4\]"):
        make_noisy_labels([4, 4, 4], noise_rate=0.5)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({}, ValueError, "Exactly one of noise_rate and noise_matrix.*got neither"),
        (
            {"noise_rate": 0.1, "noise_matrix": np.eye(3)},
            ValueError,
            "got both",
        ),
        ({"noise_rate": 1.5}, ValueError, r"'noise_rate' parameter.*Got 1.5"),
        ({"noise_rate": -0.1}, ValueError, r"'noise_rate' parameter.*Got -0.1"),
        ({"noise_rate": "high"}, TypeError, r"'noise_rate' parameter.*'high'"),
        (
            {"noise_matrix": np.eye(2)},
            ValueError,
            r"noise_matrix has shape \(2, 2\) but y has 3 classes \[0, 1, 2\]",
        ),
        (
            {"noise_matrix": np.ones(3) / 3},
            ValueError,
            r"square array.*got an array of shape \(3,\)",
        ),
        (
            {"noise_matrix": [[0.9, 0.2, 0.0], [0.1, 0.8, 0.0], [0.0, 0.1, 1.0]]},
            ValueError,
            r"column-stochastic.*column sums \[1.0, 1.1, 1.0\]",
        ),
        (
            {"noise_matrix": [[0.9, 0.1, 0.0], [0.2, 0.8, 0.0], [0.0, 0.0, 1.0]]},
            ValueError,
            r"Its rows sum to 1: pass noise_matrix.T",
        ),
        (
            {"noise_matrix": [[1.1, 0.0, 0.0], [-0.1, 1.0, 0.0], [0.0, 0.0, 1.0]]},
            ValueError,
            r"negative probabilities, got noise_matrix\[1, 0\] = -0.1",
        ),
        (
            {"noise_matrix": np.full((3, 3), np.nan)},
            ValueError,
            "noise_matrix must be finite",
        ),
        (
            {"noise_matrix": [["a", "b", "c"]] * 3},
            TypeError,
            "noise_matrix must be a numeric array",
        ),
        ({"noise_rate": 0.1, "random_state": "x"}, ValueError, "'random_state'"),
    ],
)
def test_make_noisy_labels_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_noisy_labels([0, 1, 2, 2], **kwargs)


def test_make_noisy_labels_column_sum_tolerance():
    nm = np.array([[0.9, 0.0], [0.1 + 5e-7, 1.0]])
    make_noisy_labels([0, 1], noise_matrix=nm)
    with pytest.raises(ValueError, match="column-stochastic"):
        make_noisy_labels([0, 1], noise_matrix=[[0.9, 0.0], [0.1 + 5e-6, 1.0]])


@pytest.mark.parametrize(
    ("y", "kwargs", "error", "match"),
    [
        ("abc", {}, ValueError, r"'y' parameter.*must be an array-like"),
        ([0, None, 1], {}, ValueError, "y contains missing labels"),
        ([1, "a"], {}, TypeError, "y must hold labels of one kind"),
        ([[0, 1], [1, 0]], {}, ValueError, r"y should be a 1d array"),
        ([], {}, ValueError, "y is empty"),
        (["a", "c"], {"classes": ["a", "b"]}, ValueError, r"not in classes: \['c'\]"),
        (["a", "b"], {"classes": ["a", "a", "b"]}, ValueError, "duplicates"),
    ],
)
def test_make_noisy_labels_bad_y(y, kwargs, error, match):
    with pytest.raises(error, match=match):
        make_noisy_labels(y, noise_rate=0.1, **kwargs)


# --------------------------------------------------------------------------
# make_noise_matrix


def _assert_valid_noise_matrix(nm, n_classes, avg_trace, n_zero):
    assert nm.shape == (n_classes, n_classes)
    assert (nm >= 0).all()
    np.testing.assert_allclose(nm.sum(axis=0), 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(np.trace(nm), avg_trace * n_classes, rtol=1e-12)
    off = ~np.eye(n_classes, dtype=bool)
    assert (nm[off] == 0).sum() == n_zero
    diag = np.diag(nm)
    # The true class is the most likely given label ...
    assert ((nm * off).max(axis=0) < diag).all()
    # ... and cleanlab's learnability condition holds for a uniform prior.
    assert (nm.sum(axis=1) / n_classes < diag).all()


@pytest.mark.parametrize(
    ("n_classes", "avg_trace", "frac_zero"),
    [(2, 0.6, 0.0), (3, 0.8, 0.0), (5, 0.5, 0.25), (10, 0.3, 0.5), (4, 0.95, 0.9)],
)
def test_make_noise_matrix_valid(n_classes, avg_trace, frac_zero):
    nm = make_noise_matrix(n_classes, avg_trace, frac_zero, random_state=0)
    n_zero = int(np.floor(frac_zero * n_classes * (n_classes - 1) + 0.5))
    _assert_valid_noise_matrix(nm, n_classes, avg_trace, n_zero)


def test_make_noise_matrix_valid_for_cleanlab():
    noise_generation = pytest.importorskip("cleanlab.benchmarking.noise_generation")
    for seed in range(20):
        n_classes = 2 + seed % 6
        nm = make_noise_matrix(n_classes, 0.6, 0.2, random_state=seed)
        prior = np.full(n_classes, 1 / n_classes)
        assert noise_generation.noise_matrix_is_valid(nm, prior)


@PROPERTY_SETTINGS
@given(
    n_classes=st.integers(2, 8),
    avg_trace=st.floats(0.01, 0.999),
    frac_zero=st.floats(0, 1),
    seed=st.integers(0, 2**32 - 1),
)
def test_make_noise_matrix_properties(n_classes, avg_trace, frac_zero, seed):
    n_off = n_classes * (n_classes - 1)
    n_zero = int(_round_half_up(frac_zero * n_off))
    n_nonzero = n_off - n_zero
    assume(n_nonzero > 0)
    lower, guaranteed = _trace_limits(n_classes, n_nonzero)
    # the same comparison as make_noise_matrix (trace, with its safety margin)
    if avg_trace * n_classes <= lower * (1.0 + _VALID_MARGIN):
        with pytest.raises(ValueError, match="No learnable noise matrix"):
            make_noise_matrix(n_classes, avg_trace, frac_zero, random_state=seed)
        return
    try:
        nm = make_noise_matrix(n_classes, avg_trace, frac_zero, random_state=seed)
    except ValueError as exc:
        # Allowed only between the necessary and the guaranteed limits.
        assert "at the edge" in str(exc)
        assert avg_trace <= guaranteed / n_classes + 1e-6
        return
    _assert_valid_noise_matrix(nm, n_classes, avg_trace, n_zero)


def test_make_noise_matrix_guaranteed_limit_is_reached():
    # Just above the limit the deterministic fallback must succeed.
    n_classes, frac_zero = 3, 0.2
    _, guaranteed = _trace_limits(n_classes, 5)
    avg_trace = guaranteed / n_classes + 1e-6
    nm = make_noise_matrix(n_classes, avg_trace, frac_zero, random_state=0)
    _assert_valid_noise_matrix(nm, n_classes, avg_trace, 1)


def test_make_noise_matrix_near_lower_limit_without_zeros():
    # Without zeros the limit 1 / K is exact: just above it must work.
    nm = make_noise_matrix(4, 0.25 + 1e-6, random_state=0)
    _assert_valid_noise_matrix(nm, 4, 0.25 + 1e-6, 0)


def test_make_noise_matrix_identity_at_full_trace():
    np.testing.assert_array_equal(make_noise_matrix(4, 1.0), np.eye(4))
    np.testing.assert_array_equal(make_noise_matrix(4, 1.0, 0.3), np.eye(4))


def test_make_noise_matrix_reproducible_and_seed_dependent():
    first = make_noise_matrix(5, 0.7, 0.2, random_state=7)
    second = make_noise_matrix(5, 0.7, 0.2, random_state=7)
    other = make_noise_matrix(5, 0.7, 0.2, random_state=8)
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, other)


def test_make_noise_matrix_leaves_global_random_state_alone():
    state = np.random.get_state()
    make_noise_matrix(4, 0.7, 0.3, random_state=0)
    np.testing.assert_array_equal(state[1], np.random.get_state()[1])


def test_make_noise_matrix_drives_make_noisy_labels():
    nm = make_noise_matrix(4, 0.75, 0.25, random_state=0)
    y = np.repeat(np.arange(4), 1000)
    noisy, flipped = make_noisy_labels(y, noise_matrix=nm, random_state=0)
    realised = _count_matrix(y, noisy, np.arange(4)) / 1000
    np.testing.assert_allclose(realised, nm, atol=1e-3)
    assert flipped.mean() == pytest.approx(0.25, abs=1e-3)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((1, 0.9), r"'n_classes' parameter.*Got 1 instead"),
        ((2.5, 0.9), r"'n_classes' parameter.*Got 2.5 instead"),
        ((3, 0.0), r"'avg_trace' parameter.*\(0.0, 1.0\].*Got 0.0"),
        ((3, 1.2), r"'avg_trace' parameter.*Got 1.2"),
        ((3, 0.8, -0.1), r"'frac_zero_noise_rates' parameter.*Got -0.1"),
        ((3, 0.8, 1.1), r"'frac_zero_noise_rates' parameter.*Got 1.1"),
        ((3, 0.3), r"avg_trace=0.3.*must be greater than 0.333333"),
        ((3, 1 / 3), r"must be greater than 0.333333"),
        ((3, 0.5, 0.5), r"with 3 of the 6 noise rates zero.*greater than 0.5\b"),
        ((3, 0.9, 1.0), r"every noise rate zero.*avg_trace must be 1"),
        ((3, 0.4, 0.2), r"at the edge.*exceed 0.388889.*above 0.444444"),
    ],
)
def test_make_noise_matrix_errors(args, match):
    with pytest.raises(ValueError, match=match):
        make_noise_matrix(*args, random_state=0)


def test_make_noise_matrix_random_state_error():
    with pytest.raises(ValueError, match="'random_state' parameter"):
        make_noise_matrix(3, 0.8, random_state="seed")
