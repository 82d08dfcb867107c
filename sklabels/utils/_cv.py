"""Cross-fitting folds shared by every estimator that needs out-of-fold output."""

import numpy as np
from sklearn.model_selection import StratifiedKFold
from sklearn.utils import check_random_state

__all__ = ["stratified_folds"]


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
