"""RankedBatch: a batch ranked by uncertainty and distance to the labeled rows.

Ranked batch-mode active learning (Cardoso, Silva, Canuto, Moro & Gonçalves
2017): the batch is built greedily; each next row maximises

    alpha * (1 - similarity to the nearest labeled or picked row)
    + (1 - alpha) * uncertainty,

with ``alpha = |U| / (|U| + |D|)`` (``U`` the pool rows not picked yet, ``D``
the labeled rows and the rows picked so far) and the similarity
``1 / (1 + distance)``. Only one distance per pool row is kept (to its
nearest labeled or picked row) and updated after each pick: no
``n_pool x n_pool`` matrix, ``O(n_pool)`` memory and work per pick.
"""

import numpy as np
from scipy import sparse
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.metrics.pairwise import distance_metrics

from sklabels.active._strategies import (
    _UNCERTAINTY,
    _check_option,
    _check_table,
    _feature_blocks,
    _fill_doc,
    _first_bad_row,
    _greedy_picks,
    _n_features,
    _proba_blocks_t,
    _Strategy,
    check_n_instances,
)
from sklabels.utils._compat import _num_samples

__all__ = ["RankedBatch"]

# metrics of sklearn.metrics.pairwise_distances that compare two rows
_METRICS = sorted(set(distance_metrics()) - {"precomputed", "haversine"})


def _normalized_entropy(proba_t):
    """Entropy divided by ``log(n_classes)``: in [0, 1] like the distance term.

    ``proba_t`` is class-major, (n_classes, n_rows), as the kernels take it.
    """
    n_classes = proba_t.shape[0]
    if n_classes < 2:
        return np.zeros(proba_t.shape[1])
    return _UNCERTAINTY["entropy"](proba_t) / np.log(n_classes)


_MEASURES = {
    "least_confident": _UNCERTAINTY["least_confident"],
    "margin": _UNCERTAINTY["margin"],
    "entropy": _normalized_entropy,
}


def _ranked_scores(distance, uncertainty, alpha):
    """The score of every row: ``alpha (1 - 1 / (1 + d)) + (1 - alpha) u``."""
    similarity = 1 / (1 + distance)
    return alpha * (1 - similarity) + (1 - alpha) * uncertainty


def _alpha(n_pool, n_labeled, n_picked):
    """Weight of diversity once ``n_picked`` rows are picked: |U| / (|U| + |D|)."""
    n_left = n_pool - n_picked
    return n_left / (n_left + n_labeled + n_picked)


def _ranked_batch(features, uncertainty, distance, n_labeled, k, metric):
    """Greedy ranked batch: ``k`` positions of rows of ``features``.

    ``distance`` holds each row's distance to its nearest labeled row
    (``None`` when there is no labeled row: the first pick is then the most
    uncertain row). Ties go to the earlier row. Trusts its input.
    """
    n = uncertainty.shape[0]
    if distance is None:
        first = int(np.argmax(uncertainty))
    else:
        scores = _ranked_scores(distance, uncertainty, _alpha(n, n_labeled, 0))
        first = int(np.argmax(scores))
    return _greedy_picks(
        first,
        k,
        distance,
        lambda row: _distances_to(features, row, metric),
        lambda d, n_picked: _ranked_scores(
            d, uncertainty, _alpha(n, n_labeled, n_picked)
        ),
    )


def _distances_to(features, row, metric):
    """Distance of every row of ``features`` to its row ``row``."""
    _, distance = pairwise_distances_argmin_min(
        features, features[row : row + 1], metric=metric
    )
    return np.asarray(distance, dtype=float)


def _check_finite_rows(features, input_name):
    """Refuse NaN or infinite values, which no distance but nan_euclidean takes."""
    row = _first_bad_row(features, lambda values: ~np.isfinite(values))
    if row is not None:
        raise ValueError(
            f"{input_name} contains NaN or infinity (first in row {row}, as the "
            "classifier's last step sees it), so distances between rows cannot "
            "be measured. Impute the missing values (e.g. a SimpleImputer first "
            'in a Pipeline), drop those rows, or pass metric="nan_euclidean".'
        )


@_fill_doc
class RankedBatch(_Strategy):
    """A batch of uncertain rows, far from the labeled rows and from each other.

    Ranked batch-mode sampling (Cardoso et al. 2017) builds the batch one row
    at a time. Each next row is the one with the highest score

    .. math::

        \\alpha \\, (1 - s(x)) + (1 - \\alpha) \\, u(x),

    where ``u(x)`` is the classifier's uncertainty on the row, ``s(x) = 1 /
    (1 + d(x))`` its similarity to the nearest row among the labeled rows and
    the rows already picked (``d`` a distance, Euclidean by default), and
    ``alpha = |U| / (|U| + |D|)`` weighs diversity against uncertainty by the
    number of pool rows not yet picked (``|U|``) and of labeled plus picked
    rows (``|D|``). ``alpha`` is recomputed after each pick. While few rows
    are labeled, ``alpha`` is close to 1 and the batch spreads out over the
    pool; as labels accumulate, uncertainty weighs more. The rows come out
    ranked: the first is the one to label first if the batch is cut short.

    Without labeled rows (``X_labeled`` None or empty), every row is equally
    far from the (empty) labeled set, so the first pick is the most
    uncertain row; the following picks move away from it.

    Distances are measured where the classifier looks: for a Pipeline, on
    the output of its transformers (``pipeline[:-1]``), otherwise on the rows
    as given, which must then be numeric.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    method : {"least_confident", "margin", "entropy"}, default="least_confident"
        The uncertainty ``u``: ``1 - max_k p_k``, ``1 - (p_(1) - p_(2))``, or
        the entropy of ``p`` divided by ``log(n_classes)`` (so that, like the
        diversity term, it lies in [0, 1]).

    metric : str or callable, default="euclidean"
        The distance ``d`` between rows, as
        :func:`sklearn.metrics.pairwise_distances` takes it: one of
        "cityblock", "cosine", "euclidean", "l1", "l2", "manhattan",
        "nan_euclidean", or a callable of two 1-d rows.

    %(chunk_size)s

    See Also
    --------
    DiverseBatch : k-center greedy among the most uncertain rows.
    UncertaintySampling : The top rows of one uncertainty measure.

    Notes
    -----
    Cost of a query: one pass of the classifier over the pool, one
    nearest-labeled-row search (in blocks, as
    :func:`sklearn.metrics.pairwise_distances_argmin_min` does), then per
    pick ``O(n_pool)`` distances and scores; memory ``O(n_pool)`` besides the
    pool's features. With labeled rows and the default parameters, the batch
    is the one modAL's ``uncertainty_batch_sampling`` picks on the same
    fitted model (modAL measures distances on the raw input, a Pipeline's
    transformers aside, unless its learner has ``on_transformed=True``).
    Without labeled rows modAL starts from the row of least mean distance to
    the pool instead, which needs all pairwise distances.

    :meth:`utility` is the score of the first pick; its diversity term does
    not shrink as the model grows confident, so ``ActiveLearner``'s
    ``utility_floor`` rarely triggers with this strategy.

    References
    ----------
    .. [1] T. N. Cardoso, R. M. Silva, S. Canuto, M. M. Moro and M. A.
       Gonçalves, "Ranked batch-mode active learning", Information Sciences
       379, 2017.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.active import RankedBatch
    >>> X, y = load_iris(return_X_y=True)
    >>> labeled = [0, 1, 50, 51, 100, 101]
    >>> clf = LogisticRegression().fit(X[labeled], y[labeled])
    >>> RankedBatch().query(clf, X, n_instances=3, X_labeled=X[labeled])
    array([ 60, 118, 131])
    """

    def __init__(
        self, method="least_confident", metric="euclidean", *, chunk_size=None
    ):
        self.method = method
        self.metric = metric
        self.chunk_size = chunk_size

    def _validate(self):
        super()._validate()
        _check_option("method", self.method, _MEASURES)
        if not callable(self.metric):
            _check_option("metric", self.metric, _METRICS)

    @_fill_doc
    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        """The score of each row for the first pick of a batch.

        ``alpha (1 - 1 / (1 + d)) + (1 - alpha) u`` with ``d`` the distance
        to the nearest labeled row; without labeled rows, the uncertainty
        ``u`` alone.

        %(utility)s
        """
        return super().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    @_fill_doc
    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        """Positions of a ranked batch of uncertain, spread-out rows.

        %(query)s
        """
        return super().query(estimator, X_pool, n_instances, X_labeled, y_labeled)

    # -- the pieces ----------------------------------------------------------

    def _uncertainty(self, estimator, X_pool, n_pool):
        kernel = _MEASURES[self.method]
        out = np.empty(n_pool)
        blocks = _proba_blocks_t(estimator, X_pool, n_pool, self.chunk_size)
        for batch, proba_t in blocks:
            out[batch] = kernel(proba_t)
        return out

    def _features(self, estimator, X, n_rows, input_name):
        """Rows as the classifier's last step sees them, numeric, in blocks."""
        blocks = [
            block
            for _, block in _feature_blocks(
                estimator, X, n_rows, self.chunk_size, input_name
            )
        ]
        if len(blocks) == 1:
            features = blocks[0]
        elif sparse.issparse(blocks[0]):
            features = sparse.vstack(blocks).tocsr()
        else:
            features = np.concatenate(blocks)
        if self.metric != "nan_euclidean":
            _check_finite_rows(features, input_name)
        return features

    def _labeled(self, estimator, X_pool, X_labeled):
        """``X_labeled`` checked; None when there is no labeled row."""
        if X_labeled is None:
            return None
        X_labeled = _check_table(X_labeled, "X_labeled")
        n_labeled = _num_samples(X_labeled)
        if n_labeled == 0:
            return None
        got, expected = _n_features(X_labeled), _n_features(X_pool)
        if got is not None and expected is not None and got != expected:
            raise ValueError(
                f"X_labeled has {got} features per row but X_pool has {expected}; "
                "pass labeled rows with the same columns as the pool."
            )
        return X_labeled

    def _state(self, estimator, X_pool, n_pool, X_labeled):
        """``(features, uncertainty, distance to labeled or None, n_labeled)``."""
        X_labeled = self._labeled(estimator, X_pool, X_labeled)
        uncertainty = self._uncertainty(estimator, X_pool, n_pool)
        features = self._features(estimator, X_pool, n_pool, "X_pool")
        if X_labeled is None:
            return features, uncertainty, None, 0
        n_labeled = _num_samples(X_labeled)
        labeled = self._features(estimator, X_labeled, n_labeled, "X_labeled")
        _, distance = pairwise_distances_argmin_min(
            features, labeled, metric=self.metric
        )
        return features, uncertainty, np.asarray(distance, dtype=float), n_labeled

    def _utility(self, estimator, X_pool, n_pool, X_labeled, y_labeled):
        _, uncertainty, distance, n_labeled = self._state(
            estimator, X_pool, n_pool, X_labeled
        )
        if distance is None:
            return uncertainty
        return _ranked_scores(distance, uncertainty, _alpha(n_pool, n_labeled, 0))

    def _query(self, estimator, X_pool, n_instances, X_labeled, y_labeled):
        self._validate()
        X_pool, n_pool = self._check_inputs(estimator, X_pool)
        check_n_instances(n_instances, n_pool)
        features, uncertainty, distance, n_labeled = self._state(
            estimator, X_pool, n_pool, X_labeled
        )
        if distance is None:
            best = float(uncertainty.max())
        else:
            alpha = _alpha(n_pool, n_labeled, 0)
            best = float(_ranked_scores(distance, uncertainty, alpha).max())
        picked = _ranked_batch(
            features, uncertainty, distance, n_labeled, n_instances, self.metric
        )
        return picked, best
