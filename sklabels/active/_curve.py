"""active_learning_curve: simulate a labeling campaign with known labels."""

from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.metrics import check_scoring
from sklearn.utils import check_random_state
from sklearn.utils.parallel import Parallel, delayed

from sklabels.active._strategies import _check_strategy, _check_table
from sklabels.semi_supervised._validation import check_n_rows
from sklabels.utils._compat import (
    HasMethods,
    Interval,
    _safe_indexing,
    validate_params,
)
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._validation import check_labels

__all__ = ["active_learning_curve"]


def _strategy_names(strategy):
    """``{name: strategy}`` from one strategy, a list or a dict of them."""
    if isinstance(strategy, Mapping):
        named = dict(strategy)
        if not named:
            raise ValueError("strategy is an empty dict; pass at least one strategy.")
        for name, value in named.items():
            _check_strategy(value, name=f"strategy[{name!r}]")
        return named, True
    if isinstance(strategy, (list, tuple)):
        if not strategy:
            raise ValueError("strategy is an empty list; pass at least one strategy.")
        named = {}
        for value in strategy:
            _check_strategy(value, name="each entry of strategy")
            name, k = repr(value), 2
            while name in named:
                name, k = f"{value!r} #{k}", k + 1
            named[name] = value
        return named, True
    _check_strategy(strategy)
    return {repr(strategy): strategy}, False


def _initial_rows(codes, initial, rng):
    """``initial`` random rows, one per class first (as many classes as fit)."""
    order = rng.permutation(codes.size)
    # in a random order of the rows, the first row of each class is a random
    # row of that class
    _, first = np.unique(codes[order], return_index=True)
    firsts = order[first][rng.permutation(first.size)][:initial]
    rest = order[~np.isin(order, firsts)][: initial - firsts.size]
    return np.sort(np.concatenate([firsts, rest]))


def _seeded(strategy, seed):
    """A copy of ``strategy`` whose ``random_state`` (if it has one) is a
    RandomState seeded with ``seed``, which moves on at each query."""
    copy = clone(strategy, safe=False)
    params = copy.get_params(deep=False) if hasattr(copy, "get_params") else {}
    if "random_state" in params:
        copy.set_params(random_state=np.random.RandomState(seed))
    return copy


def _simulate(estimator, strategy, X, y, X_test, y_test, start, steps, scorer):
    """Scores of the model after each batch; ``steps`` are the batch sizes."""
    n = y.shape[0]
    labeled = np.zeros(n, dtype=bool)
    labeled[start] = True
    scores = []
    for step in [*steps, None]:
        rows = np.flatnonzero(labeled)
        X_labeled, y_labeled = _safe_indexing(X, rows), y[rows]
        model = clone(estimator).fit(X_labeled, y_labeled)
        scores.append(scorer(model, X_test, y_test))
        if step is None:
            break
        pool = np.flatnonzero(~labeled)
        picked = np.asarray(
            strategy.query(model, _safe_indexing(X, pool), step, X_labeled, y_labeled)
        )
        labeled[pool[picked]] = True
    return np.asarray(scores, dtype=float)


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "strategy": "no_validation",
        "X": ["array-like", "sparse matrix"],
        "y": ["array-like"],
        "X_test": ["array-like", "sparse matrix"],
        "y_test": ["array-like"],
        "initial": [Interval(Integral, 1, None, closed="left"), "array-like"],
        "budget": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "scoring": [str, callable, None],
        "random_state": ["random_state"],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=False,
)
@fill_doc
def active_learning_curve(
    estimator,
    strategy,
    X,
    y,
    *,
    X_test,
    y_test,
    initial=10,
    budget=100,
    batch_size=10,
    scoring=None,
    random_state=None,
    n_repeats=1,
    n_jobs=None,
):
    """Simulate labeling with query strategies, the known labels as the oracle.

    Start from ``initial`` labeled rows of ``(X, y)``; at each step fit a
    clone of ``estimator`` on the labeled rows, score it on ``(X_test,
    y_test)``, and let ``strategy`` pick ``batch_size`` more rows of the rest
    of ``X``, whose labels are then read from ``y``; stop when ``budget``
    rows have been added. Several strategies are compared on the same
    initial rows; each repeat draws new initial rows.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    estimator : estimator object
        The classifier (or Pipeline) to train; cloned at each step.

    strategy : query strategy, or list or dict of them
        A strategy (``UncertaintySampling()``, ...), a list of strategies
        (named by their repr) or a dict ``{name: strategy}``.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The pool, with the initial rows.

    y : array-like of shape (n_samples,)
        The labels of every row of ``X``: the oracle.

    X_test : {array-like, sparse matrix} of shape (n_test, n_features)
        Held-out rows the models are scored on.

    y_test : array-like of shape (n_test,)
        Their labels.

    initial : int or array-like of int, default=10
        Number of initial labeled rows, drawn at random for each repeat with
        one row of each class first (so that ``initial >= n_classes`` gives
        every class a labeled row); or the positions of the initial rows,
        the same for every repeat.

    budget : int, default=100
        Number of rows labeled after the initial ones.

    batch_size : int, default=10
        Rows queried per step; the last step takes what is left of
        ``budget``.

    scoring : str, callable or None, default=None
        Scorer (see :func:`sklearn.metrics.check_scoring`); None uses the
        estimator's ``score`` (accuracy).

    random_state : int, RandomState instance or None, default=None
        Draws the initial rows and seeds every strategy that has a
        ``random_state`` parameter (a new seed for each repeat), so that the
        curves are reproducible.

    n_repeats : int, default=1
        Number of simulations per strategy, each from other initial rows.

    n_jobs : int, default=None
        Simulations (one per repeat and strategy) run in parallel.
        %(joblib_context)s

    Returns
    -------
    n_labeled : ndarray of shape (n_steps,)
        Labeled rows at each step: ``initial``, ``initial + batch_size``,
        ..., ``initial + budget``.

    scores : ndarray of shape (n_repeats, n_steps) or dict
        Score at each step of each repeat; with a list or dict of
        strategies, a dict ``{name: array of shape (n_repeats, n_steps)}``.

    See Also
    --------
    ActiveLearningCurveDisplay : Plot these curves.
    ActiveLearner : The same loop with a human oracle.

    Notes
    -----
    The simulation is optimistic about a real campaign in one way: the
    oracle never errs. It is pessimistic in another: a user would start
    from the rows at hand, not a random draw.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import train_test_split
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from sklabels.active import (
    ...     RandomSampling, UncertaintySampling, active_learning_curve)
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X, X_test, y, y_test = train_test_split(X, y, random_state=0)
    >>> model = make_pipeline(StandardScaler(), LogisticRegression())
    >>> n_labeled, scores = active_learning_curve(
    ...     model, {"margin": UncertaintySampling(), "random": RandomSampling()},
    ...     X, y, X_test=X_test, y_test=y_test, initial=4, budget=20,
    ...     batch_size=10, random_state=0)
    >>> n_labeled
    array([ 4, 14, 24])
    >>> scores["margin"].round(3)
    array([[0.846, 0.923, 0.965]])
    """
    named, several = _strategy_names(strategy)
    X = _check_table(X, "X")
    y_values = check_labels(y)[0]
    n = check_n_rows(X, y_values.shape[0])
    X_test = _check_table(X_test, "X_test")
    y_test = check_labels(y_test, input_name="y_test")[0]
    check_n_rows(X_test, y_test.shape[0], input_name="X_test", labels_name="y_test")
    rng = check_random_state(random_state)
    _, codes = np.unique(y_values, return_inverse=True)

    if isinstance(initial, Integral):
        n_initial = int(initial)
        fixed = None
    else:
        fixed = np.asarray(initial)
        if fixed.ndim != 1 or fixed.dtype.kind not in "iu":
            raise TypeError(
                f"initial must be an int or a 1-d array of row positions (ints), "
                f"got {initial!r}."
            )
        if fixed.size == 0 or fixed.min() < 0 or fixed.max() >= n:
            raise ValueError(
                f"initial positions must be between 0 and {n - 1} (X has {n} "
                f"rows), and at least one; got {initial!r}."
            )
        fixed = np.unique(fixed)
        n_initial = fixed.size
    if n_initial + budget > n:
        raise ValueError(
            f"initial ({n_initial} rows) + budget ({budget}) = "
            f"{n_initial + budget} is more than the {n} rows of X; lower budget to "
            f"at most {n - n_initial}."
        )
    steps = [batch_size] * (budget // batch_size)
    if budget % batch_size:
        steps.append(budget % batch_size)
    n_labeled = n_initial + np.concatenate([[0], np.cumsum(steps)]).astype(np.intp)
    scorer = check_scoring(estimator, scoring=scoring)

    jobs = []
    for _ in range(n_repeats):
        start = _initial_rows(codes, n_initial, rng) if fixed is None else fixed
        for name, value in named.items():
            seed = rng.randint(np.iinfo(np.int32).max)
            jobs.append((name, start, _seeded(value, seed)))
    results = Parallel(n_jobs=n_jobs)(
        delayed(_simulate)(estimator, s, X, y_values, X_test, y_test, st, steps, scorer)
        for _, st, s in jobs
    )
    scores = {name: [] for name in named}
    for (name, _, _), result in zip(jobs, results, strict=True):
        scores[name].append(result)
    scores = {name: np.vstack(rows) for name, rows in scores.items()}
    if not several:
        return n_labeled, next(iter(scores.values()))
    return n_labeled, scores


def _curve_area(n_labeled, scores):
    """Mean score over the labeling range: the area under the mean curve
    divided by its width (trapezoid rule); the score itself for one step."""
    mean = np.asarray(scores, dtype=float).reshape(-1, len(n_labeled)).mean(axis=0)
    if len(n_labeled) < 2:
        return float(mean[0])
    width = float(n_labeled[-1] - n_labeled[0])
    return float(np.trapezoid(mean, n_labeled) / width)
