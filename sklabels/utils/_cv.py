"""Cross-fitting folds shared by every estimator that needs out-of-fold output."""

import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import check_random_state

from sklabels.utils._compat import _check_method_params, _safe_indexing
from sklabels.utils._progress import run_steps

__all__ = ["check_partition", "cross_fit", "fit_predict_fold", "stratified_folds"]


def stratified_folds(n_splits, random_state):
    """The ``StratifiedKFold`` behind an integer ``cv``.

    With ``random_state=None`` the folds are unshuffled, as scikit-learn's
    ``cv=int`` gives them, so two fits on the same data agree. Otherwise the
    rows are shuffled with a seed drawn from ``random_state`` (an int and
    ``RandomState(int)`` give the same folds; an instance is advanced by one
    draw).

    Parameters
    ----------
    n_splits : int
        Number of folds, at least 2.
    random_state : None, int or RandomState instance
        The estimator's ``random_state`` parameter, unchanged.

    Returns
    -------
    cv : StratifiedKFold
    """
    if random_state is None:
        return StratifiedKFold(n_splits=n_splits)
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    return StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=seed)


def check_partition(splits, n_samples, cv, what):
    """Raise unless the test folds of ``splits`` hold each row exactly once.

    ``cv`` is the splitter, named in the message; ``what`` the out-of-fold
    output that needs the partition.
    """
    counts = np.zeros(n_samples, dtype=np.intp)
    for _, test in splits:
        np.add.at(counts, test, 1)
    if not (counts == 1).all():
        never, twice = np.sum(counts == 0), np.sum(counts > 1)
        raise ValueError(
            f"cv={cv!r} must put every row in exactly one test fold to give "
            f"out-of-fold {what}; its test folds miss {never} row(s) and repeat "
            f"{twice}. Use a KFold-like splitter (KFold, StratifiedKFold) or an int."
        )


def fit_predict_fold(estimator, X, y, train, test, fit_params):
    """Fit ``estimator`` on the training rows; probabilities of the test rows.

    ``fit_params`` of one entry per row (``sample_weight``...) are restricted
    to the training rows. Returns the probabilities (float64) and the
    fitted ``classes_``.
    """
    fit_params = _check_method_params(X, fit_params, indices=train)
    estimator.fit(_safe_indexing(X, train), _safe_indexing(y, train), **fit_params)
    proba = estimator.predict_proba(_safe_indexing(X, test))
    return np.asarray(proba, dtype=np.float64), np.asarray(estimator.classes_)


def cross_fit(function, tasks, *, n_jobs, progress):
    """``[function(*args) for args in tasks]`` over the folds, with progress.

    Every cross-fitting estimator runs its folds through here, so that each
    reports them the same way (see :func:`~sklabels.utils._progress.run_steps`):
    under ``verbose >= 1`` a line before and after, under ``verbose >= 2``
    one line per fold as it finishes, for any ``n_jobs``.

    Parameters
    ----------
    function : callable
        Fits one fold (e.g. :func:`fit_predict_fold`).
    tasks : iterable of tuple
        The arguments of each call.
    n_jobs : int or None
        Passed to ``Parallel``.
    progress : Progress
        The estimator's reporter.

    Returns
    -------
    results : list
        The results, in the order of ``tasks``.
    """
    return run_steps(
        function,
        tasks,
        n_jobs=n_jobs,
        progress=progress,
        title="cross-fitting",
        unit="fold",
        verb="fitted",
    )
