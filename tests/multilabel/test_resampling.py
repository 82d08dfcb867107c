"""MLROS, MLRUS and MLSMOTE: the papers' algorithms, containers, pipelines."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from imblearn.pipeline import make_pipeline
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.neighbors import NearestNeighbors

import sklabels.multilabel._resampling as resampling
from sklabels.multilabel import (
    MLROS,
    MLRUS,
    MLSMOTE,
    BinaryRelevance,
    MultilabelStratifiedKFold,
    imbalance_ratio_per_label,
    mean_imbalance_ratio,
)
from sklabels.multilabel._imbalance import check_present_labels

SAMPLERS = [MLROS, MLRUS, MLSMOTE]


def _imbalanced(n_samples=300, n_features=6, n_labels=6, random_state=0):
    """Labels of decreasing frequency, each a thresholded linear score of X."""
    rng = np.random.RandomState(random_state)
    X = rng.normal(size=(n_samples, n_features))
    scores = X @ rng.normal(size=(n_features, n_labels))
    rates = 0.6 ** np.arange(1, n_labels + 1)  # 60 %, 36 %, 22 %, ...
    thresholds = np.diagonal(np.quantile(scores, 1 - rates, axis=0))
    Y = (scores > thresholds).astype(int)
    return X, Y


def _state(Y):
    return check_present_labels(Y)[2]


def _replay(Y, rows, turns, budget, over):
    """The papers' loop (Algorithms 1 and 2), checked event by event.

    The labels must take turns in index order; a label leaves right after
    the event where its ratio crosses the input's MeanIR; each event's row
    holds the label whose turn it is (and, deleting, is still in the data).
    """
    Y = np.asarray(Y)
    counts = Y.sum(axis=0).astype(float)
    irlbl = counts.max() / counts
    mean_ir = irlbl.mean()
    active = list(np.flatnonzero(irlbl > mean_ir if over else irlbl < mean_ir))
    deleted = set()
    position = 0
    for row, label in zip(rows, turns, strict=True):
        assert active, "an event after every label had left"
        index = position % len(active)
        assert label == active[index]
        assert Y[row, label] == 1
        if over:
            counts += Y[row]
        else:
            assert row not in deleted
            deleted.add(row)
            counts -= Y[row]
        with np.errstate(divide="ignore"):
            ratio = counts.max() / counts[label]
        if (ratio <= mean_ir) if over else (ratio >= mean_ir):
            active.pop(index)
            position = index
        else:
            position = index + 1
    assert len(rows) == budget or not active


@pytest.mark.parametrize("block_entries", [7, 60, 2**21])
@pytest.mark.parametrize("seed", range(4))
def test_mlros_follows_paper_round_robin(seed, block_entries, monkeypatch):
    monkeypatch.setattr(resampling, "_BLOCK_ENTRIES", block_entries)
    _, Y = _imbalanced(n_samples=120, random_state=seed)
    for budget in (1, 5, 40, 500):
        rows, turns = resampling._mlros_clones(
            _state(Y), budget, np.random.RandomState(seed)
        )
        _replay(Y, rows, turns, budget, over=True)


@pytest.mark.parametrize("block_entries", [7, 60, 2**21])
@pytest.mark.parametrize("seed", range(4))
def test_mlrus_follows_paper_round_robin(seed, block_entries, monkeypatch):
    monkeypatch.setattr(resampling, "_BLOCK_ENTRIES", block_entries)
    _, Y = _imbalanced(n_samples=120, random_state=seed)
    Y[:, 1] |= Y[:, 0]  # two majority labels sharing rows: repeated draws
    for budget in (1, 5, 40, 119):
        rows, turns = resampling._mlrus_deleted(
            _state(Y), budget, np.random.RandomState(seed)
        )
        _replay(Y, rows, turns, budget, over=False)


def test_mlrus_draws_rows_uniformly_within_a_bag():
    # one majority label (rows 0-9) and a rare one: the first deletion is a
    # uniform draw among the ten rows
    Y = np.zeros((12, 2), dtype=int)
    Y[:10, 0] = 1
    Y[10:, 1] = 1
    first = [
        resampling._mlrus_deleted(_state(Y), 1, np.random.RandomState(s))[0][0]
        for s in range(2000)
    ]
    freq = np.bincount(first, minlength=10)[:10] / 2000
    assert_allclose(freq, 0.1, atol=0.03)


@pytest.mark.parametrize("Sampler", [MLROS, MLSMOTE])
@pytest.mark.parametrize("seed", range(3))
def test_oversamplers_lower_mean_imbalance_ratio(Sampler, seed):
    X, Y = _imbalanced(random_state=seed)
    _, Y_res = Sampler(random_state=seed).fit_resample(X, Y)
    assert mean_imbalance_ratio(Y_res) < mean_imbalance_ratio(Y)
    # the rarest label gained rows
    assert Y_res[:, -1].sum() > Y[:, -1].sum()


def test_mlrus_lowers_mean_imbalance_ratio_when_labels_do_not_overlap():
    rng = np.random.RandomState(0)
    y = rng.choice(4, size=400, p=[0.7, 0.2, 0.07, 0.03])
    Y = np.eye(4, dtype=int)[y]
    X = rng.normal(size=(400, 3))
    _, Y_res = MLRUS(percentage=30, random_state=0).fit_resample(X, Y)
    assert mean_imbalance_ratio(Y_res) < mean_imbalance_ratio(Y)
    # the minority labels (IRLbl above MeanIR) keep all their rows
    irlbl = imbalance_ratio_per_label(Y)
    minority = irlbl > irlbl.mean()
    assert minority.any()
    assert_array_equal(Y_res[:, minority].sum(axis=0), Y[:, minority].sum(axis=0))


@pytest.mark.parametrize("percentage", [2, 5, 10])
def test_mlros_clones_percentage_of_rows(percentage):
    # the minority labels are far from MeanIR: the budget binds
    X, Y = _imbalanced(n_samples=200)
    ros = MLROS(percentage=percentage, random_state=0)
    X_res, _ = ros.fit_resample(X, Y)
    assert ros.n_synthetic_ == int(np.ceil(200 * percentage / 100))
    assert X_res.shape[0] == 200 + ros.n_synthetic_


@pytest.mark.parametrize("percentage", [10, 25])
def test_mlrus_deletes_percentage_of_rows(percentage):
    X, Y = _imbalanced(n_samples=200)
    rus = MLRUS(percentage=percentage, random_state=0)
    X_res, _ = rus.fit_resample(X, Y)
    assert X_res.shape[0] == 200 - int(np.ceil(200 * percentage / 100))
    assert rus.n_synthetic_ == 0 and not rus.synthetic_mask_.any()


def test_mlros_stops_when_every_minority_label_is_balanced():
    X = np.arange(16).reshape(8, 2)
    Y = np.array([[1, 0, 0]] * 5 + [[1, 1, 0], [0, 1, 0], [0, 0, 1]])
    ros = MLROS(percentage=100, random_state=0).fit(X, Y)
    # IRLbl [1, 3, 6], MeanIR 10/3: one clone of row 7 brings label 2 to 3
    assert_array_equal(ros.sample_indices_, np.r_[np.arange(8), 7])


@pytest.mark.parametrize("Sampler", [MLROS, MLRUS])
def test_random_samplers_sample_indices_give_the_output(Sampler):
    X, Y = _imbalanced()
    sampler = Sampler(random_state=0)
    X_res, Y_res = sampler.fit_resample(X, Y)
    assert_array_equal(X_res, X[sampler.sample_indices_])
    assert_array_equal(Y_res, Y[sampler.sample_indices_])
    assert sampler.synthetic_mask_.shape == (X_res.shape[0],)
    assert sampler.n_synthetic_ == sampler.synthetic_mask_.sum()


def test_mlros_synthetic_mask_marks_the_clones():
    X, Y = _imbalanced()
    ros = MLROS(random_state=0).fit(X, Y)
    assert not ros.synthetic_mask_[:300].any() and ros.synthetic_mask_[300:].all()
    assert_array_equal(ros.sample_indices_[:300], np.arange(300))


def test_mlsmote_sample_indices_seed_and_reference():
    X, Y = _imbalanced()
    smote = MLSMOTE(k_neighbors=3, random_state=0)
    X_res, Y_res = smote.fit_resample(X, Y)
    n = X.shape[0]
    assert_array_equal(X_res[:n], X)
    assert_array_equal(Y_res[:n], Y)
    assert_array_equal(smote.synthetic_mask_, np.arange(X_res.shape[0]) >= n)
    seeds = smote.sample_indices_[smote.synthetic_mask_]
    refs = smote.reference_indices_
    new = X_res[n:]
    low, high = np.minimum(X[seeds], X[refs]), np.maximum(X[seeds], X[refs])
    assert ((new >= low - 1e-12) & (new <= high + 1e-12)).all()
    # one block per minority label, every seed and reference holds it
    irlbl = imbalance_ratio_per_label(Y)
    assert_array_equal(smote.minority_labels_, np.flatnonzero(irlbl > irlbl.mean()))
    block_label = np.repeat(smote.minority_labels_, Y[:, smote.minority_labels_].sum(0))
    assert (Y[seeds, block_label] == 1).all() and (Y[refs, block_label] == 1).all()
    assert (Y_res[n:][np.arange(len(seeds)), block_label] == 1).all()
    assert smote.n_synthetic_ == Y[:, smote.minority_labels_].sum()


@pytest.mark.parametrize("rule", ["ranking", "union", "intersection"])
@pytest.mark.parametrize("k", [4, 5])  # 5: a label with exactly half the votes
def test_mlsmote_label_combination_rules(rule, k):
    X, Y = _imbalanced(n_samples=200)
    smote = MLSMOTE(k_neighbors=k, label_combination=rule, random_state=0)
    _, Y_res = smote.fit_resample(X, Y)
    new = Y_res[200:]
    seeds = smote.sample_indices_[smote.synthetic_mask_]
    expected, start = [], 0
    for j in smote.minority_labels_:  # the paper's loop, label by label
        rows = np.flatnonzero(Y[:, j])
        nn = NearestNeighbors(n_neighbors=k).fit(X[rows])
        neighbors = rows[nn.kneighbors(return_distance=False)]
        assert_array_equal(seeds[start : start + rows.size], rows)
        votes = Y[rows] + Y[neighbors].sum(axis=1)
        expected.append(
            {
                "ranking": votes > (k + 1) / 2,
                "union": votes >= 1,
                "intersection": votes == k + 1,
            }[rule]
        )
        start += rows.size
    assert_array_equal(new, np.vstack(expected).astype(int))


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_seeded_reproducible(Sampler):
    X, Y = _imbalanced()
    a = Sampler(random_state=3).fit_resample(X, Y)
    b = Sampler(random_state=3).fit_resample(X, Y)
    c = Sampler(random_state=np.random.RandomState(3)).fit_resample(X, Y)
    for one, other in ((a, b), (a, c)):
        assert_array_equal(one[0], other[0])
        assert_array_equal(one[1], other[1])
    d = Sampler(random_state=4).fit_resample(X, Y)
    assert not np.array_equal(a[0], d[0])


@pytest.mark.parametrize("Sampler", SAMPLERS)
@pytest.mark.parametrize("fmt", ["csr", "csc"])
def test_samplers_sparse_X_stays_sparse(Sampler, fmt):
    _, Y = _imbalanced()
    X_sp = sparse.random(300, 40, density=0.1, format=fmt, random_state=0)
    X_dense = X_sp.toarray()
    sampler = Sampler(random_state=0)
    X_res, Y_res = sampler.fit_resample(X_sp, Y)
    assert sparse.issparse(X_res) and X_res.format == fmt
    dense = clone(sampler).fit(X_dense, Y)
    assert_array_equal(sampler.sample_indices_, dense.sample_indices_)
    _, Y_dense = clone(sampler).fit_resample(X_dense, Y)
    assert_array_equal(Y_res, Y_dense)  # the same labels from sparse and dense
    if Sampler is MLSMOTE:
        assert_array_equal(sampler.reference_indices_, dense.reference_indices_)
        n = 300
        seeds = sampler.sample_indices_[n:]
        refs = sampler.reference_indices_
        new = X_res[n:].toarray()
        low = np.minimum(X_dense[seeds], X_dense[refs])
        high = np.maximum(X_dense[seeds], X_dense[refs])
        assert ((new >= low - 1e-12) & (new <= high + 1e-12)).all()
    else:
        assert_array_equal(X_res.toarray(), X_dense[sampler.sample_indices_])


@pytest.mark.parametrize("Sampler", SAMPLERS)
@pytest.mark.parametrize("container", [sparse.csr_matrix, sparse.csc_array])
def test_samplers_sparse_y_stays_sparse(Sampler, container):
    X, Y = _imbalanced()
    _, Y_res = Sampler(random_state=0).fit_resample(X, container(Y))
    _, Y_dense = Sampler(random_state=0).fit_resample(X, Y)
    assert type(Y_res) is type(container(Y))
    assert Y_res.format == container(Y).format
    assert_array_equal(Y_res.toarray(), Y_dense)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_keep_pandas_containers(Sampler):
    X, Y = _imbalanced()
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    Y_df = pd.DataFrame(Y, columns=[f"tag{j}" for j in range(Y.shape[1])])
    sampler = Sampler(random_state=0)
    X_res, Y_res = sampler.fit_resample(X_df, Y_df)
    X_arr, Y_arr = Sampler(random_state=0).fit_resample(X, Y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(Y_res, pd.DataFrame)
    assert list(X_res.columns) == list(X_df.columns)
    assert list(Y_res.columns) == list(Y_df.columns)
    assert_array_equal(X_res.index, Y_res.index)
    assert_allclose(X_res.to_numpy(), X_arr)
    assert_array_equal(Y_res.to_numpy(), Y_arr)
    assert_array_equal(sampler.feature_names_in_, X_df.columns)
    assert_array_equal(sampler.get_feature_names_out(), X_df.columns)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_keep_lists_and_dtypes(Sampler):
    X, Y = _imbalanced()
    X_list, Y_list = Sampler(random_state=0).fit_resample(X.tolist(), Y.tolist())
    X_arr, Y_arr = Sampler(random_state=0).fit_resample(X, Y)
    assert isinstance(X_list, list) and isinstance(Y_list, list)
    assert_allclose(X_list, X_arr)
    assert_array_equal(Y_list, Y_arr)
    X32, Ybool = X.astype(np.float32), Y.astype(bool)
    X_res, Y_res = Sampler(random_state=0).fit_resample(X32, Ybool)
    assert X_res.dtype == np.float32 and Y_res.dtype == bool


def test_mlsmote_two_valued_y_keeps_its_values():
    X, Y = _imbalanced()
    Y_pm = np.where(Y == 1, 1, -1)  # the larger value means "present"
    _, Y_res = MLSMOTE(random_state=0).fit_resample(X, Y_pm)
    _, Y01 = MLSMOTE(random_state=0).fit_resample(X, Y)
    assert_array_equal(Y_res, np.where(Y01 == 1, 1, -1))


@pytest.mark.parametrize("Sampler", [MLROS, MLRUS])
def test_random_samplers_copy_strings_and_nan(Sampler):
    X, Y = _imbalanced()
    X_obj = np.array(["a", "b", "c"], dtype=object)[np.arange(300) % 3].reshape(-1, 1)
    sampler = Sampler(random_state=0)
    X_res, _ = sampler.fit_resample(X_obj, Y)
    assert X_res.dtype == object
    assert_array_equal(X_res, X_obj[sampler.sample_indices_])
    X_nan = X.copy()
    X_nan[::7, 0] = np.nan
    X_res, _ = sampler.fit_resample(X_nan, Y)
    assert_array_equal(X_res, X_nan[sampler.sample_indices_])


def test_mlsmote_no_minority_label_returns_input():
    X = np.arange(12.0).reshape(6, 2)
    Y = np.array([[1, 0], [0, 1]] * 3)
    smote = MLSMOTE(k_neighbors=2, random_state=0)
    X_res, Y_res = smote.fit_resample(X, Y)
    assert_array_equal(X_res, X) and smote.n_synthetic_ == 0
    assert_array_equal(Y_res, Y)


def test_mlsmote_n_jobs_same_result():
    X, Y = _imbalanced()
    a = MLSMOTE(random_state=0, n_jobs=1).fit_resample(X, Y)
    b = MLSMOTE(random_state=0, n_jobs=2).fit_resample(X, Y)
    assert_array_equal(a[0], b[0])
    assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_in_pipeline_with_binary_relevance(Sampler):
    X, Y = _imbalanced(n_samples=240)
    model = make_pipeline(
        Sampler(random_state=0), BinaryRelevance(LogisticRegression(max_iter=500))
    )
    cv = MultilabelStratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    scores = cross_val_score(model, X, Y, cv=cv, scoring="f1_macro")
    assert scores.shape == (3,) and np.isfinite(scores).all()
    # resampling happens at fit only: predictions have one row per test row
    model.fit(X[:200], Y[:200])
    assert model.predict(X[200:]).shape == (40, Y.shape[1])


def test_mlsmote_label_combination_tuned_by_grid_search_in_pipeline():
    X, Y = _imbalanced(n_samples=240)
    model = make_pipeline(
        MLSMOTE(random_state=0), BinaryRelevance(LogisticRegression(max_iter=500))
    )
    rules = ["ranking", "union", "intersection"]
    inner = MultilabelStratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    search = GridSearchCV(
        model, {"mlsmote__label_combination": rules}, cv=inner, scoring="f1_macro"
    ).fit(X, Y)
    assert search.best_params_["mlsmote__label_combination"] in rules
    # each candidate's score is that of the same pipeline scored by hand
    for rule, score in zip(
        search.cv_results_["param_mlsmote__label_combination"],
        search.cv_results_["mean_test_score"],
        strict=True,
    ):
        by_hand = cross_val_score(
            clone(model).set_params(mlsmote__label_combination=rule),
            X,
            Y,
            cv=inner,
            scoring="f1_macro",
        )
        assert_allclose(score, by_hand.mean())
    assert search.predict(X).shape == Y.shape


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_refuse_1d_y(Sampler):
    X, Y = _imbalanced()
    with pytest.raises(ValueError, match=r"y must be a 2-D indicator matrix.*\(300,\)"):
        Sampler().fit_resample(X, Y[:, 0])


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_refuse_non_binary_y(Sampler):
    X, Y = _imbalanced()
    Y = Y.copy()
    Y[0, 0] = 2
    with pytest.raises(ValueError, match=r"got 3 distinct values \[0, 1, 2\]"):
        Sampler().fit_resample(X, Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_refuse_label_in_no_row(Sampler):
    X, Y = _imbalanced()
    Y = np.column_stack([Y, np.zeros(300, dtype=int)])
    with pytest.raises(
        ValueError, match=r"y has label column\(s\) \[6\] present in no"
    ):
        Sampler().fit_resample(X, Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_refuse_rows_mismatch(Sampler):
    X, Y = _imbalanced()
    with pytest.raises(ValueError, match="X has 299 rows but y has 300"):
        Sampler().fit_resample(X[:-1], Y)


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_refuse_string_y(Sampler):
    X, _ = _imbalanced()
    with pytest.raises(TypeError, match="y must be a binary indicator matrix"):
        Sampler().fit_resample(X, "tags")


def test_mlsmote_refuses_k_neighbors_above_support():
    X, Y = _imbalanced()
    support = Y[:, -1].sum()
    with pytest.raises(
        ValueError,
        match=rf"k_neighbors={support}.*label column\(s\) \[5\] of y are held by "
        rf"\[{support}\]",
    ):
        MLSMOTE(k_neighbors=int(support)).fit_resample(X, Y)


def test_mlsmote_refuses_nan_in_X():
    X, Y = _imbalanced()
    X[3, 2] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        MLSMOTE().fit_resample(X, Y)


@pytest.mark.parametrize(
    "sampler, match",
    [
        (MLROS(percentage=0), "'percentage' parameter of MLROS must be"),
        (MLRUS(percentage=100), "'percentage' parameter of MLRUS must be"),
        (MLSMOTE(k_neighbors=0), "'k_neighbors' parameter of MLSMOTE must be"),
        (
            MLSMOTE(label_combination="vote"),
            "'label_combination' parameter of MLSMOTE must be",
        ),
    ],
)
def test_samplers_refuse_bad_parameters(sampler, match):
    X, Y = _imbalanced()
    with pytest.raises(ValueError, match=match):
        sampler.fit_resample(X, Y)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@st.composite
def _data(draw):
    n = draw(st.integers(8, 60))
    n_labels = draw(st.integers(1, 5))
    seed = draw(st.integers(0, 2**16))
    rng = np.random.RandomState(seed)
    rates = rng.uniform(0.05, 0.8, size=n_labels)
    Y = (rng.random_sample((n, n_labels)) < rates).astype(int)
    Y[rng.randint(n, size=n_labels), np.arange(n_labels)] = 1
    Y[rng.randint(n, size=n_labels), np.arange(n_labels)] = 1
    X = rng.normal(size=(n, 3))
    return X, Y, seed


@settings(max_examples=40, deadline=None)
@given(_data(), st.sampled_from([10, 25, 60]))
def test_random_samplers_properties(data, percentage):
    X, Y, seed = data
    n = len(Y)
    budget = int(np.ceil(n * percentage / 100))
    ros = MLROS(percentage=percentage, random_state=seed)
    X_res, Y_res = ros.fit_resample(X, Y)
    assert n <= X_res.shape[0] <= n + budget
    assert_array_equal(Y_res, Y[ros.sample_indices_])
    rus = MLRUS(percentage=percentage, random_state=seed)
    X_res, Y_res = rus.fit_resample(X, Y)
    assert n - budget <= X_res.shape[0] <= n
    assert np.all(np.diff(rus.sample_indices_) > 0)
    assert_array_equal(X_res, X[rus.sample_indices_])


@settings(max_examples=40, deadline=None)
@given(_data(), st.sampled_from(["ranking", "union", "intersection"]))
def test_mlsmote_properties(data, rule):
    X, Y, seed = data
    counts = Y.sum(axis=0)
    irlbl = counts.max() / counts
    minority = np.flatnonzero(irlbl > irlbl.mean())
    k = 1
    if minority.size and counts[minority].min() <= k:
        with pytest.raises(ValueError, match="k_neighbors=1 is too large"):
            MLSMOTE(k_neighbors=k, random_state=seed).fit_resample(X, Y)
        return
    smote = MLSMOTE(k_neighbors=k, label_combination=rule, random_state=seed)
    X_res, Y_res = smote.fit_resample(X, Y)
    assert X_res.shape[0] == len(Y) + counts[minority].sum()
    assert (Y_res[len(Y) :].sum(axis=1) >= 1).all()  # each keeps its label
    assert Y_res.sum(axis=0)[minority].tolist() >= counts[minority].tolist()


@pytest.mark.parametrize("Sampler", SAMPLERS)
def test_samplers_keep_sparse_dataframe(Sampler):
    X, Y = _imbalanced()
    X_df = pd.DataFrame(
        X, columns=[f"f{i}" for i in range(X.shape[1])], dtype=pd.SparseDtype(float, 0)
    )
    X_res, _ = Sampler(random_state=0).fit_resample(X_df, Y)
    X_arr, _ = Sampler(random_state=0).fit_resample(X, Y)
    assert isinstance(X_res, pd.DataFrame)
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in X_res.dtypes)
    assert list(X_res.columns) == list(X_df.columns)
    assert_allclose(X_res.to_numpy(), X_arr)
