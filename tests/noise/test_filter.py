"""Tests for sklabels.noise.find_label_issues, with cleanlab as the oracle."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from sklabels.noise import _filter, find_label_issues
from tests.noise.test_count import CASES, _noisy_problem

cleanlab_filter = pytest.importorskip("cleanlab.filter")

METHODS = [
    "prune_by_noise_rate",
    "prune_by_class",
    "both",
    "confident_learning",
    "predicted_neq_given",
]
PRUNING = METHODS[:3]
RANKINGS = ["self_confidence", "normalized_margin", "confidence_weighted_entropy"]
# (frac_noise, min_examples_per_class); the other methods ignore them
SETTINGS = [(1.0, 1), (0.5, 0), (0.8, 5)]


def _cleanlab(labels, pred_probs, method, frac_noise=1.0, min_examples=1, rank=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cleanlab_filter.find_label_issues(
            labels,
            pred_probs,
            filter_by=method,
            frac_noise=frac_noise,
            min_examples_per_class=min_examples,
            return_indices_ranked_by=rank,
            n_jobs=1,
        )


def _ours(labels, pred_probs, method, frac_noise=1.0, min_examples=1, rank=None, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return find_label_issues(
            labels,
            pred_probs,
            method=method,
            frac_noise=frac_noise,
            min_examples_per_class=min_examples,
            return_indices_ranked_by=rank,
            **kw,
        )


def _random_problem(seed):
    """A problem of random shape and kind (the cases cleanlab must agree on)."""
    rng = np.random.default_rng(seed)
    n_classes = int(rng.choice([2, 3, 10, 37]))
    n_samples = int(rng.integers(20, 3000))
    kind = seed % 5
    labels = rng.integers(0, n_classes, n_samples)
    if kind == 0:  # pred_probs unrelated to the labels: much noise
        pred_probs = rng.dirichlet(
            np.full(n_classes, rng.choice([0.1, 1.0])), n_samples
        )
    elif kind == 1:  # a class with one example, classes absent from labels
        labels = rng.integers(0, max(2, n_classes // 2), n_samples)
        labels[0] = n_classes - 1
        pred_probs = rng.dirichlet(np.ones(n_classes), n_samples)
        pred_probs += np.eye(n_classes)[labels] * rng.uniform(0, 2, (n_samples, 1))
    elif kind == 2:  # the last class is never predicted
        pred_probs = rng.dirichlet(np.ones(n_classes), n_samples)
        pred_probs[:, -1] *= 0.01
    elif kind == 3:  # probabilities on a grid: many ties
        pred_probs = rng.dirichlet(np.ones(n_classes), n_samples)
        pred_probs += np.eye(n_classes)[labels] * rng.uniform(0, 1, (n_samples, 1))
        step = rng.choice([0.1, 0.25])
        pred_probs = np.round(pred_probs / pred_probs.sum(1, keepdims=True) / step)
        pred_probs[pred_probs.sum(axis=1) == 0, 0] = 1.0
    else:  # noisy labels, correlated float32 pred_probs
        return _noisy_problem(n_samples, n_classes, seed, dtype=np.float32)
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    return labels, pred_probs


EXTRA_CASES = [
    pytest.param({"n_samples": 3000, "n_classes": 10, "seed": 30}, id="n3000-K10"),
    pytest.param(
        {"n_samples": 500, "n_classes": 3, "seed": 31, "ties": 0.1}, id="ties0.1"
    ),
    pytest.param(
        {"n_samples": 900, "n_classes": 37, "seed": 32, "dtype": np.float32},
        id="K37-float32",
    ),
]


@pytest.mark.parametrize("case", CASES + EXTRA_CASES)
@pytest.mark.parametrize("method", METHODS)
def test_find_label_issues_matches_cleanlab(case, method):
    labels, pred_probs = _noisy_problem(**case)
    settings = SETTINGS if method in PRUNING else SETTINGS[:1]
    for frac_noise, min_examples in settings:
        expected = _cleanlab(labels, pred_probs, method, frac_noise, min_examples)
        got = _ours(labels, pred_probs, method, frac_noise, min_examples)
        assert got.dtype == bool
        assert_array_equal(got, expected)


@pytest.mark.parametrize("seed", range(15))
def test_find_label_issues_matches_cleanlab_on_random_problems(seed):
    labels, pred_probs = _random_problem(seed)
    rng = np.random.default_rng(seed)
    for method in METHODS:
        frac_noise, min_examples = SETTINGS[rng.integers(len(SETTINGS))]
        if method not in PRUNING:
            frac_noise, min_examples = 1.0, 1
        expected = _cleanlab(labels, pred_probs, method, frac_noise, min_examples)
        got = _ours(labels, pred_probs, method, frac_noise, min_examples)
        assert_array_equal(got, expected, err_msg=method)


@pytest.mark.parametrize("rank", RANKINGS)
@pytest.mark.parametrize(
    "method", ["prune_by_noise_rate", "both", "confident_learning"]
)
@pytest.mark.parametrize("seed", [3, 8, 40])  # ties, noisy float32, unrelated
def test_find_label_issues_ranked_indices_match_cleanlab(rank, method, seed):
    labels, pred_probs = _random_problem(seed)
    expected = _cleanlab(labels, pred_probs, method, rank=rank)
    got = _ours(labels, pred_probs, method, rank=rank)
    assert_array_equal(got, expected)
    mask = _ours(labels, pred_probs, method)
    assert_array_equal(np.sort(got), np.flatnonzero(mask))


def test_find_label_issues_ties_at_the_cut_follow_argsort():
    # margins on a 0.1 grid: many examples tie at every cut-off, and which of
    # them are flagged is decided by numpy's default argsort, as in cleanlab
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 2000)
    pred_probs = np.round(rng.dirichlet(np.ones(3), 2000), 1)
    pred_probs[pred_probs.sum(axis=1) == 0, 0] = 1.0
    pred_probs /= pred_probs.sum(axis=1, keepdims=True)
    for method in PRUNING:
        expected = _cleanlab(labels, pred_probs, method)
        assert_array_equal(_ours(labels, pred_probs, method), expected)


@pytest.mark.parametrize(
    "setting",
    [
        # sample bounds always above the cut-off: every pair goes to the fallback
        {"_SAFETY_SD": -10.0, "_SAFETY_ADD": -10.0, "_COARSE_SAMPLE": 0},
        # no usable sample bound (-inf): every margin is a candidate, and the
        # buffer is compressed after each chunk
        {"_SAFETY_ADD": 1e9, "_COARSE_SAMPLE": 0, "_BUFFER_SLACK": -(10**9)},
        # bounds from the predicted rows only, tiny selection tables
        {"_SAFETY_ADD": 1e9, "_COARSE_SAMPLE": 1e9, "_TABLE_SIZE": 16},
    ],
)
@pytest.mark.parametrize("seed", [0, 4, 8, 10])
def test_find_label_issues_exact_whatever_the_bounds(monkeypatch, setting, seed):
    for name, value in setting.items():
        monkeypatch.setattr(_filter, name, value)
    labels, pred_probs = _random_problem(seed)
    for method in ("prune_by_noise_rate", "both"):
        expected = _cleanlab(labels, pred_probs, method)
        for n_jobs in (None, 2):
            got = _ours(labels, pred_probs, method, batch_size=97, n_jobs=n_jobs)
            assert_array_equal(got, expected)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_find_label_issues_memmap_batches_match_in_memory(tmp_path, dtype):
    labels, pred_probs = _noisy_problem(2345, 7, 50, dtype=dtype)
    path = tmp_path / "pred_probs.npy"
    np.save(path, pred_probs)
    memmap = np.load(path, mmap_mode="r")
    for method in METHODS:
        expected = _ours(labels, pred_probs, method)
        assert_array_equal(expected, _cleanlab(labels, pred_probs, method))
        for batch_size in (1, 13, 256, 5000):
            got = _ours(labels, memmap, method, batch_size=batch_size)
            assert_array_equal(got, expected, err_msg=f"{method}, {batch_size}")
    ranked = _ours(labels, pred_probs, "both", rank="normalized_margin")
    got = _ours(labels, memmap, "both", rank="normalized_margin", batch_size=100)
    assert_array_equal(got, ranked)


def test_find_label_issues_n_jobs_does_not_change_the_result():
    labels, pred_probs = _random_problem(40)
    for method in METHODS:
        expected = _ours(labels, pred_probs, method)
        for n_jobs, batch_size in [(2, None), (2, 50), (-1, 300)]:
            got = _ours(
                labels, pred_probs, method, n_jobs=n_jobs, batch_size=batch_size
            )
            assert_array_equal(got, expected)


def test_find_label_issues_flags_the_mislabelled_examples():
    labels, pred_probs, y_true = _noisy_problem(1000, 4, 60, return_true=True)
    issues = find_label_issues(labels, pred_probs)
    flipped = labels != y_true
    # most flagged examples were flipped, most flips are flagged
    assert (issues & flipped).sum() > 0.8 * issues.sum()
    assert (issues & flipped).sum() > 0.6 * flipped.sum()


def test_find_label_issues_frac_noise_flags_fewer():
    labels, pred_probs = _random_problem(40)
    counts = [
        find_label_issues(labels, pred_probs, frac_noise=f).sum() for f in (0, 0.5, 1)
    ]
    assert counts[0] == 0 and counts[0] < counts[1] < counts[2]


def test_find_label_issues_warns_about_classes_too_small_to_prune():
    labels = np.array([0, 0, 0, 1, 1, 1, 2])
    pred_probs = np.full((7, 3), 1 / 3)
    pred_probs[:, 2] = 0.0
    pred_probs[:, :2] = 0.5
    with pytest.warns(UserWarning, match=r"Classes \[2\] have at most"):
        mask = find_label_issues(labels, pred_probs)
    assert not mask[6]
    with pytest.warns(UserWarning, match=r"Classes \[0, 1, 2\] have at most"):
        find_label_issues(labels, pred_probs, min_examples_per_class=3)


@pytest.mark.parametrize("method", ["confident_learning", "predicted_neq_given"])
def test_find_label_issues_warns_about_ignored_parameters(method):
    pred_probs = [[0.9, 0.1], [0.2, 0.8], [0.7, 0.3]]
    with pytest.warns(UserWarning, match="frac_noise=0.5 and .* are ignored"):
        find_label_issues([0, 1, 1], pred_probs, method=method, frac_noise=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        find_label_issues([0, 1, 1], pred_probs, method=method)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "prune"}, "method"),
        ({"frac_noise": 1.5}, "frac_noise"),
        ({"min_examples_per_class": -1}, "min_examples_per_class"),
        ({"return_indices_ranked_by": "margin"}, "return_indices_ranked_by"),
        ({"n_jobs": "2"}, "n_jobs"),
        ({"batch_size": 0}, "batch_size"),
    ],
)
def test_find_label_issues_rejects_invalid_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        find_label_issues([0, 1], [[0.9, 0.1], [0.2, 0.8]], **kwargs)


@pytest.mark.parametrize(
    "labels, pred_probs, error, match",
    [
        ([0, 2], [[0.9, 0.1], [0.2, 0.8]], ValueError, r"outside that range \[2\]"),
        ([0, 1], [[0.9, 0.1], [0.2, 0.9]], ValueError, "rows must sum to 1"),
        ([0, 1], [[0.9, 0.1], [-0.2, 1.2]], ValueError, "non-negative"),
        ([0.0, 1.5], [[0.9, 0.1], [0.2, 0.8]], ValueError, "non-integer"),
        ([None, 1], [[0.9, 0.1], [0.2, 0.8]], ValueError, "missing labels"),
        ([0, 1], [["a", "b"], ["c", "d"]], TypeError, "numeric"),
    ],
)
def test_find_label_issues_rejects_invalid_input(labels, pred_probs, error, match):
    with pytest.raises(error, match=match):
        find_label_issues(labels, pred_probs)


def test_find_label_issues_memmap_invalid_chunk(tmp_path):
    pred_probs = np.full((40, 2), 0.5, dtype=np.float32)
    pred_probs[33] = [0.5, np.nan]
    path = tmp_path / "bad.npy"
    np.save(path, pred_probs)
    memmap = np.load(path, mmap_mode="r")
    with pytest.raises(ValueError, match=r"pred_probs\[30:40\] must hold finite"):
        find_label_issues(np.zeros(40, dtype=int), memmap, batch_size=10)


@pytest.mark.parametrize(
    "values, n_select",
    [([0.3, 0.1, 0.1, 0.1, 0.5], 2), ([1.0, 1.0, 1.0], 1), ([0.2, 0.4], 5)],
)
def test_lowest_and_highest_break_ties_as_argsort(values, n_select):
    values = np.array(values)
    assert_array_equal(
        np.sort(_filter._lowest(values, n_select)),
        np.sort(np.argsort(values)[:n_select]),
    )
    assert_array_equal(
        np.sort(_filter._highest(values, n_select)),
        np.sort(np.argsort(-values)[:n_select]),
    )


def test_kth_largest_matches_sorting():
    rng = np.random.default_rng(0)
    values = np.round(rng.normal(size=5000), 2)
    group = rng.integers(0, 40, 5000)
    kth = rng.integers(0, 200, 40)
    keys = _filter._float_keys(values)
    threshold, n_at_least, defined = _filter._kth_largest(group, keys, kth, 40)
    for g in range(40):
        column = np.sort(values[group == g])[::-1]
        assert defined[g] == (1 <= kth[g] <= column.size)
        if defined[g]:
            cut = column[kth[g] - 1]
            assert _filter._keys_to_float(threshold[g : g + 1], float)[0] == cut
            assert n_at_least[g] == np.count_nonzero(column >= cut)
