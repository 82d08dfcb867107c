"""Query strategies: which rows of an unlabeled pool to label next.

A strategy is a small stateless object with two methods over a *fitted*
classifier (or a Pipeline ending in one) and a pool of unlabeled rows:
``utility(estimator, X_pool)`` scores every row (higher = more informative)
and ``query(estimator, X_pool, n_instances)`` returns the positions of the
``n_instances`` best rows, most informative first. The pool is passed in,
never stored; strategies compose (``DensityWeighted(UncertaintySampling())``).

The pool is read in blocks of rows (``sklearn.utils.gen_batches``), so that a
pool of millions of rows never holds more than one block of class
probabilities at a time; only one float per row is kept.

The numerical kernels (``_least_confident`` ...) trust their input; the
public methods validate once and call them.
"""

import inspect
from collections.abc import Mapping
from numbers import Integral, Real

import numpy as np
from scipy import sparse
from scipy.special import entr
from sklearn import get_config
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.metrics import pairwise_distances_argmin_min
from sklearn.metrics.pairwise import euclidean_distances
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize
from sklearn.utils import check_random_state, gen_batches
from sklearn.utils.parallel import Parallel, delayed

from sklabels.utils._compat import _num_samples, _safe_indexing, check_is_fitted
from sklabels.utils._docstrings import SHARED_DOC, make_fill_doc
from sklabels.utils._fast_proba import linear_proba_t
from sklabels.utils._rows import is_table_of_rows
from sklabels.utils._validation import check_finite_proba

__all__ = [
    "DensityWeighted",
    "DiverseBatch",
    "QueryByCommittee",
    "RandomSampling",
    "UncertaintySampling",
]

_fill_doc = make_fill_doc(
    {
        **SHARED_DOC,
        "chunk_size": """\
chunk_size : int or None, default=None
    Rows of the pool passed to the classifier at once; at most
    ``chunk_size`` rows of class probabilities exist at any time. None
    picks it from scikit-learn's ``working_memory`` setting
    (:func:`sklearn.set_config`), so that a block takes about that many
    megabytes.""",
        "query": """\
Parameters
----------
estimator : estimator object
    A fitted classifier with ``predict_proba``, or a Pipeline ending in
    one.

X_pool : {array-like, sparse matrix} of shape (n_pool, n_features)
    The unlabeled rows to choose from, in the form ``estimator`` takes.

n_instances : int, default=1
    Number of rows to propose; between 1 and ``n_pool``.

X_labeled : {array-like, sparse matrix} of shape (n_labeled, n_features), \
default=None
    The rows labeled so far (used by strategies that need them).

y_labeled : array-like of shape (n_labeled,), default=None
    Their labels (used by strategies that need them).

Returns
-------
positions : ndarray of shape (n_instances,)
    Positions of the proposed rows in ``X_pool`` (integers from 0), most
    informative first.""",
        "utility": """\
Parameters
----------
estimator : estimator object
    A fitted classifier with ``predict_proba``, or a Pipeline ending in
    one.

X_pool : {array-like, sparse matrix} of shape (n_pool, n_features)
    The unlabeled rows to score, in the form ``estimator`` takes.

X_labeled : {array-like, sparse matrix} of shape (n_labeled, n_features), \
default=None
    The rows labeled so far (used by strategies that need them).

y_labeled : array-like of shape (n_labeled,), default=None
    Their labels (used by strategies that need them).

Returns
-------
utility : ndarray of shape (n_pool,)
    One score per row of ``X_pool``; higher means more informative.""",
    }
)

_NO_RANKING = "the pool rows cannot be ranked with them"


# ---------------------------------------------------------------------------
# kernels (trust their input: class probabilities, class-major)
# ---------------------------------------------------------------------------
# The uncertainty kernels take the probabilities as (n_classes, n_rows): numpy
# reduces along the first axis of a C-ordered array far faster than along a
# short last axis, and these reductions are the whole of a kernel's work.

_TOP2_LOOP_CLASSES = 64


def _least_confident(proba_t):
    """1 - the largest class probability (Lewis & Gale 1994)."""
    return 1.0 - proba_t.max(axis=0)


def _top_two(proba_t):
    """Largest and second largest value of each column."""
    n_classes = proba_t.shape[0]
    if n_classes > _TOP2_LOOP_CLASSES:
        top2 = np.partition(proba_t, n_classes - 2, axis=0)[n_classes - 2 :]
        return top2[1], top2[0]
    first = proba_t[0].copy()
    second = np.full_like(first, -np.inf)
    for row in proba_t[1:]:
        np.maximum(second, np.minimum(first, row), out=second)
        np.maximum(first, row, out=first)
    return first, second


def _margin(proba_t):
    """1 - (largest - second largest probability) (Scheffer et al. 2001)."""
    if proba_t.shape[0] < 2:
        return np.zeros(proba_t.shape[1])
    first, second = _top_two(proba_t)
    return 1.0 - (first - second)


def _entropy(proba_t):
    """Shannon entropy of the class probabilities, in nats (Settles 2009)."""
    return entr(proba_t).sum(axis=0)


_UNCERTAINTY = {
    "least_confident": _least_confident,
    "margin": _margin,
    "entropy": _entropy,
}


def _vote_entropy(votes, n_members):
    """Entropy of the members' votes (Dagan & Engelson 1995); votes: counts."""
    return entr(votes / n_members).sum(axis=1)


def _kl_to_consensus(probas):
    """Mean KL divergence of each member from the consensus (McCallum & Nigam).

    ``probas`` has shape (n_members, n_rows, n_classes).
    """
    consensus = probas.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(
            probas > 0, probas * (np.log(probas) - np.log(consensus)[None]), 0.0
        )
    return np.maximum(terms.sum(axis=2).mean(axis=0), 0.0)


def _top_k(utility, k):
    """Positions of the ``k`` largest values, largest first, ties by position.

    Linear time for the selection (``np.partition``), a sort of ``k`` values.
    """
    n = utility.shape[0]
    if k >= n:
        return np.argsort(-utility, kind="stable")
    kth = np.partition(utility, n - k)[n - k]  # the k-th largest value
    above = np.flatnonzero(utility > kth)
    equal = np.flatnonzero(utility == kth)[: k - above.size]
    chosen = np.concatenate([above, equal])
    return chosen[np.lexsort((chosen, -utility[chosen]))]


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _shown(value, limit=80):
    text = " ".join(repr(value).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_estimator_proba(estimator, *, fitted=True, method="predict_proba"):
    """Refuse an estimator without ``method``, or (``fitted``) an unfitted one."""
    if isinstance(estimator, type) or not hasattr(estimator, method):
        raise TypeError(
            f"estimator must be a fitted classifier (or a Pipeline ending in "
            f"one) with a {method} method; got {_shown(estimator)}. Wrap a "
            "classifier without probabilities in "
            "sklearn.calibration.CalibratedClassifierCV."
        )
    if fitted:
        try:
            check_is_fitted(estimator)
        except NotFittedError as exc:
            raise NotFittedError(
                f"estimator {_shown(estimator)} is not fitted yet. Fit it on the "
                "labeled rows first; a strategy ranks the pool with a fitted "
                "model. (Before any label exists, use RandomSampling for the "
                "first batch.)"
            ) from exc
        except TypeError:  # not a scikit-learn estimator: let predict_proba tell
            pass


def _check_table(X, input_name):
    """Check that ``X`` is a table of rows; return it (lists as arrays)."""
    if sparse.issparse(X):
        return X.tocsr() if X.format not in ("csr", "csc") else X
    if hasattr(X, "iloc"):
        return X
    if not is_table_of_rows(X):
        raise TypeError(
            f"{input_name} must be an array-like or sparse matrix with one row per "
            f"sample, got {type(X).__name__} {_shown(X)}. Pass a 2-d array (or a "
            "list of rows, or a DataFrame)."
        )
    return X if isinstance(X, np.ndarray) else np.asarray(X)


def _n_features(X):
    shape = getattr(X, "shape", None)
    return shape[1] if shape is not None and len(shape) == 2 else None


def check_pool(estimator, X_pool, input_name="X_pool"):
    """Validate the pool against a fitted ``estimator``; return it and its size."""
    X_pool = _check_table(X_pool, input_name)
    n_pool = _num_samples(X_pool)
    if n_pool == 0:
        raise ValueError(
            f"{input_name} is empty (0 rows, shape {getattr(X_pool, 'shape', None)}"
            "); there is nothing to choose from. Pass the unlabeled rows."
        )
    expected = getattr(estimator, "n_features_in_", None)
    got = _n_features(X_pool)
    if expected is not None and got is not None and got != expected:
        raise ValueError(
            f"{input_name} has {got} features per row but estimator "
            f"{type(estimator).__name__} was fitted on {expected}; pass pool rows "
            "with the same columns as the labeled rows."
        )
    return X_pool, n_pool


def _check_int(name, value, low, *, none=False, why=""):
    """Refuse a ``value`` that is not an int (bool excluded) of at least
    ``low``; None passes when ``none``. ``why`` follows the bound."""
    if none and value is None:
        return
    if not isinstance(value, Integral) or isinstance(value, bool):
        kind = "a positive int or None" if none else "an int"
        raise TypeError(f"{name} must be {kind}, got {type(value).__name__} {value!r}.")
    if value < low:
        bound = f"at least {low}" + (" or None" if none else "") + why
        raise ValueError(f"{name} must be {bound}, got {value!r}.")


def check_n_instances(n_instances, n_pool, input_name="n_instances"):
    _check_int(input_name, n_instances, 1)
    if n_instances > n_pool:
        raise ValueError(
            f"{input_name}={n_instances!r} is larger than the pool, which has "
            f"{n_pool} rows; ask for at most {n_pool}."
        )


def _first_bad_row(block, is_bad):
    """First row of ``block`` (array, DataFrame or sparse) holding a value
    for which ``is_bad`` is true; None when none does or it is not float."""
    if sparse.issparse(block):
        block = block.tocsr()
        values = block.data
    else:
        values = block.to_numpy() if hasattr(block, "iloc") else block
    if not (isinstance(values, np.ndarray) and values.dtype.kind == "f"):
        return None
    bad = is_bad(values)
    if not bad.any():
        return None
    if sparse.issparse(block):
        first = np.flatnonzero(bad)[0]
        return int(np.searchsorted(block.indptr, first, side="right") - 1)
    return int(np.flatnonzero(bad.reshape(bad.shape[0], -1).any(axis=1))[0])


def _check_nan(block, estimator, start, input_name):
    """Raise the pool's NaN error if ``block`` holds NaN (after ``estimator``
    refused it)."""
    row = _first_bad_row(block, np.isnan)
    if row is not None:
        raise ValueError(
            f"{input_name} contains NaN (first in row {start + row}), which "
            f"{type(estimator).__name__} cannot take. Impute the missing values "
            "(e.g. a SimpleImputer first in a Pipeline) or drop those rows."
        )


def _block_rows(estimator, X_pool, n_pool, chunk_size, n_floats=None):
    if chunk_size is not None:
        return chunk_size
    if n_floats is None:
        n_classes = len(getattr(estimator, "classes_", ())) or 2
        n_floats = 2 * n_classes + (_n_features(X_pool) or 1)
    budget = get_config()["working_memory"] * 2**20  # megabytes
    return int(min(n_pool, max(1, budget // (8 * n_floats))))


def _predict_block(estimator, method, block, start, input_name="X_pool"):
    """``estimator.<method>(block)``; a refusal caused by NaN names the pool row.

    Whether NaN is acceptable is the estimator's to say (a Pipeline may impute
    it), so the pool is only searched for NaN once the estimator refused it.
    """
    try:
        return getattr(estimator, method)(block)
    except ValueError:
        _check_nan(block, estimator, start, input_name)
        raise


def _block_proba(estimator, block, batch, input_name="X_pool"):
    """``estimator.predict_proba(block)`` of the pool rows ``batch``, checked."""
    return check_finite_proba(
        _predict_block(estimator, "predict_proba", block, batch.start, input_name),
        estimator,
        np.arange(batch.start, batch.stop),
        purpose=_NO_RANKING,
    )


def _proba_blocks_t(estimator, X_pool, n_pool, chunk_size, input_name="X_pool"):
    """Yield ``(slice, proba_t)`` of the pool, block by block, class-major.

    A scikit-learn ``LogisticRegression`` (or a Pipeline ending in one) is
    asked through :func:`~sklabels.utils._fast_proba.linear_proba_t`, which
    computes the same probabilities from its coefficients without
    ``predict_proba``'s overhead; any block it cannot do goes to the model.
    """
    rows = _block_rows(estimator, X_pool, n_pool, chunk_size)
    fast = linear_proba_t(estimator, X_pool)
    for batch in gen_batches(n_pool, rows):
        block = _safe_indexing(X_pool, batch)
        proba_t = None if fast is None else fast(block)
        if proba_t is None:
            proba = _block_proba(estimator, block, batch, input_name)
            proba_t = np.ascontiguousarray(proba.T)
        yield batch, proba_t


def _check_chunk_size(chunk_size):
    _check_int("chunk_size", chunk_size, 1, none=True)


def _check_option(name, value, options):
    if not isinstance(value, str) or value not in options:
        raise ValueError(f"{name} must be one of {sorted(options)}, got {value!r}.")


def _check_strategy(strategy, name="strategy"):
    if not (hasattr(strategy, "utility") and hasattr(strategy, "query")):
        raise TypeError(
            f"{name} must be a query strategy with utility and query methods "
            f"(e.g. UncertaintySampling()), got {_shown(strategy)}."
        )


def _transformed(estimator, X):
    """Rows as the final step of a Pipeline sees them; X itself otherwise."""
    if isinstance(estimator, Pipeline) and len(estimator.steps) > 1:
        return estimator[:-1].transform(X)
    return X


def _numeric(X, input_name):
    if sparse.issparse(X):
        return X.astype(float)
    try:
        return np.asarray(X, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{input_name} must be numeric to measure similarity between rows "
            "(after the Pipeline's transformers, if any); got values that are "
            "not numbers. Put the encoding steps in the Pipeline."
        ) from exc


# ---------------------------------------------------------------------------
# the strategies
# ---------------------------------------------------------------------------


class _Strategy:
    """get_params / set_params / repr, so that strategies nest in GridSearchCV."""

    @classmethod
    def _param_names(cls):
        signature = inspect.signature(cls.__init__)
        return [p for p in signature.parameters if p != "self"]

    def get_params(self, deep=True):
        """Parameters of this strategy (and of its sub-strategy when deep).

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of sub-strategies, as
            ``strategy__<name>``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        out = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and isinstance(value, _Strategy):
                out.update(
                    (f"{name}__{key}", val) for key, val in value.get_params().items()
                )
            out[name] = value
        return out

    def set_params(self, **params):
        """Set parameters (``strategy__<name>`` for a sub-strategy's).

        Parameters
        ----------
        **params : dict
            Parameter names and their new values.

        Returns
        -------
        self : object
            This strategy.
        """
        valid = self._param_names()
        nested = {}
        for key, value in params.items():
            name, _, sub = key.partition("__")
            if name not in valid:
                raise ValueError(
                    f"Invalid parameter {name!r} for {type(self).__name__}; valid "
                    f"parameters are {valid}."
                )
            if sub:
                nested.setdefault(name, {})[sub] = value
            else:
                setattr(self, name, value)
        for name, sub_params in nested.items():
            getattr(self, name).set_params(**sub_params)
        return self

    def __repr__(self):
        signature = inspect.signature(type(self).__init__)
        shown = []
        for name in self._param_names():
            value = getattr(self, name)
            default = signature.parameters[name].default
            if value is default or (
                isinstance(value, (str, Real)) and value == default
            ):
                continue
            shown.append(f"{name}={value!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        self._validate()
        X_pool, n_pool = self._check_inputs(estimator, X_pool)
        return self._utility(estimator, X_pool, n_pool, X_labeled, y_labeled)

    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        positions, _ = self._query(estimator, X_pool, n_instances, X_labeled, y_labeled)
        return positions

    def _query(self, estimator, X_pool, n_instances, X_labeled, y_labeled):
        """``(positions, largest utility in the pool)``."""
        _, _, utility = self._pool_utility(
            estimator, X_pool, n_instances, X_labeled, y_labeled
        )
        return _top_k(utility, n_instances), float(utility.max())

    def _pool_utility(self, estimator, X_pool, n_instances, X_labeled, y_labeled):
        """Validate everything; ``(X_pool, n_pool, utility)``."""
        self._validate()
        X_pool, n_pool = self._check_inputs(estimator, X_pool)
        check_n_instances(n_instances, n_pool)
        utility = self._utility(estimator, X_pool, n_pool, X_labeled, y_labeled)
        return X_pool, n_pool, utility

    def _check_inputs(self, estimator, X_pool):
        check_estimator_proba(estimator)
        return check_pool(estimator, X_pool)

    def _validate(self):
        _check_chunk_size(getattr(self, "chunk_size", None))


@_fill_doc
class UncertaintySampling(_Strategy):
    """Query the rows the classifier is least sure of.

    Three measures of uncertainty of the predicted class probabilities ``p``
    of a row, each higher for a less certain row:

    - ``"least_confident"``: ``1 - max_k p_k`` (Lewis & Gale 1994);
    - ``"margin"``: ``1 - (p_(1) - p_(2))``, one minus the gap between the
      two most probable classes (Scheffer et al. 2001);
    - ``"entropy"``: ``-sum_k p_k log p_k`` (Settles 2009).

    A batch is the ``n_instances`` rows of highest uncertainty; ties are
    broken by row order (the earlier row first), so the same pool always
    gives the same batch.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    method : {"least_confident", "margin", "entropy"}, default="margin"
        The measure of uncertainty. For two classes the three rank rows
        alike.

    %(chunk_size)s

    See Also
    --------
    QueryByCommittee : Disagreement of several models instead of one
        model's uncertainty.
    DensityWeighted : Uncertainty weighted by how typical a row is.
    DiverseBatch : Uncertain rows that are also spread out.

    Notes
    -----
    The rows a model is unsure of are not a random sample: a model trained on
    them sees the hard cases more often than they occur (sampling bias), and
    a model trained on very few labels can be confidently wrong on whole
    regions it has never seen (cold start). Starting from a random labeled
    set and mixing in some :class:`RandomSampling` helps.

    References
    ----------
    .. [1] D. D. Lewis and W. A. Gale, "A sequential algorithm for training
       text classifiers", SIGIR 1994.
    .. [2] T. Scheffer, C. Decomain and S. Wrobel, "Active hidden Markov
       models for information extraction", IDA 2001.
    .. [3] B. Settles, "Active learning literature survey", Computer Sciences
       Technical Report 1648, University of Wisconsin-Madison, 2009.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.active import UncertaintySampling
    >>> X, y = load_iris(return_X_y=True)
    >>> labeled = [0, 1, 50, 51, 100, 101]
    >>> clf = LogisticRegression().fit(X[labeled], y[labeled])
    >>> UncertaintySampling(method="margin").query(clf, X, n_instances=3)
    array([ 72, 133,  88])
    """

    def __init__(self, method="margin", *, chunk_size=None):
        self.method = method
        self.chunk_size = chunk_size

    def _validate(self):
        super()._validate()
        _check_option("method", self.method, _UNCERTAINTY)

    @_fill_doc
    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        """Uncertainty of each row of the pool.

        %(utility)s
        """
        return super().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    @_fill_doc
    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        """Positions of the ``n_instances`` most uncertain rows of the pool.

        %(query)s
        """
        return super().query(estimator, X_pool, n_instances, X_labeled, y_labeled)

    def _utility(self, estimator, X_pool, n_pool, X_labeled, y_labeled):
        kernel = _UNCERTAINTY[self.method]
        out = np.empty(n_pool)
        blocks = _proba_blocks_t(estimator, X_pool, n_pool, self.chunk_size)
        for batch, proba_t in blocks:
            out[batch] = kernel(proba_t)
        return out


class RandomSampling(_Strategy):
    """Query rows uniformly at random: the baseline every strategy must beat.

    The estimator is not used (it may be None or unfitted), so this is also
    the strategy for the first batch, before any label exists.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    random_state : int, RandomState instance or None, default=None
        Draws the rows. An int gives the same permutation for pools of the
        same size; a RandomState instance moves on at each call (pass one
        when querying the same pool repeatedly).

    See Also
    --------
    UncertaintySampling : The usual first choice once a model exists.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.active import RandomSampling
    >>> X_pool = np.arange(20).reshape(10, 2)
    >>> RandomSampling(random_state=0).query(None, X_pool, n_instances=3)
    array([2, 8, 4])
    """

    def __init__(self, random_state=None):
        self.random_state = random_state

    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        """A uniform random score per row of the pool.

        Parameters
        ----------
        estimator : object
            Ignored (may be None).

        X_pool : {array-like, sparse matrix} of shape (n_pool, n_features)
            The unlabeled rows.

        X_labeled, y_labeled : ignored
            Present for a common signature.

        Returns
        -------
        utility : ndarray of shape (n_pool,)
            The ranks of a random permutation of the rows, scaled to
            (0, 1]: the queried rows are the first of the permutation.
        """
        return super().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        """Positions of ``n_instances`` rows drawn at random without replacement.

        Parameters
        ----------
        estimator : object
            Ignored (may be None).

        X_pool : {array-like, sparse matrix} of shape (n_pool, n_features)
            The unlabeled rows.

        n_instances : int, default=1
            Number of rows to draw; between 1 and ``n_pool``.

        X_labeled, y_labeled : ignored
            Present for a common signature.

        Returns
        -------
        positions : ndarray of shape (n_instances,)
            Positions in ``X_pool``.
        """
        return super().query(estimator, X_pool, n_instances, X_labeled, y_labeled)

    def _check_inputs(self, estimator, X_pool):
        return check_pool(None, X_pool)  # any estimator, even None

    def _utility(self, estimator, X_pool, n_pool, X_labeled, y_labeled):
        # a random permutation's ranks: with an int seed, pools of other sizes
        # (a pool that shrank by the last batch) are shuffled differently
        order = check_random_state(self.random_state).permutation(n_pool)
        utility = np.empty(n_pool)
        utility[order] = np.arange(n_pool, 0, -1) / n_pool
        return utility


class _WrappingStrategy(_Strategy):
    """A strategy built on another one, ``strategy`` (None: uncertainty)."""

    def _validate(self):
        super()._validate()
        if self.strategy is not None:
            _check_strategy(self.strategy)

    def _base(self):
        if self.strategy is None:
            return UncertaintySampling(chunk_size=self.chunk_size)
        return self.strategy

    def _check_inputs(self, estimator, X_pool):
        base = self._base()
        if isinstance(base, _Strategy):
            return base._check_inputs(estimator, X_pool)
        return super()._check_inputs(estimator, X_pool)


def _fit_member(estimator, X, y, rows):
    return estimator.fit(_safe_indexing(X, rows), _safe_indexing(y, rows))


def _stratified_bootstrap(codes, rng):
    """Rows drawn with replacement within each class (every class kept)."""
    order = np.argsort(codes, kind="stable")
    counts = np.bincount(codes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    per_row_class = codes[order]
    offsets = np.floor(rng.random_sample(codes.size) * counts[per_row_class])
    return order[starts[per_row_class] + offsets.astype(np.intp)]


@_fill_doc
class QueryByCommittee(_Strategy):
    """Query the rows on which a committee of models disagrees most.

    Each member of the committee predicts every pool row; the rows with the
    most disagreement are queried (Seung et al. 1992):

    - ``"vote_entropy"``: entropy of the members' votes (hard predictions);
    - ``"kl_divergence"``: mean Kullback-Leibler divergence of each member's
      class probabilities from the committee's average (McCallum & Nigam
      1998).

    Without a committee, one is built by bagging (query by bagging, Abe &
    Mamitsuka 1998): ``n_members`` clones of ``estimator`` fitted on
    bootstrap samples of the labeled rows, drawn within each class so that
    every member sees every class. These fits run in parallel.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    committee : list of estimators or None, default=None
        Fitted classifiers (``predict`` for vote entropy, ``predict_proba``
        for KL divergence). None builds a bootstrap committee at each query
        from ``X_labeled`` and ``y_labeled``, which must then be given.

    method : {"vote_entropy", "kl_divergence"}, default="vote_entropy"
        The measure of disagreement.

    n_members : int, default=5
        Size of the bootstrap committee (when ``committee`` is None); at
        least 2.

    random_state : int, RandomState instance or None, default=None
        Draws the bootstrap samples. An int gives the same committee on the
        same labeled rows.

    n_jobs : int, default=None
        Members fitted in parallel.
        %(joblib_context)s

    %(chunk_size)s

    See Also
    --------
    UncertaintySampling : One model's uncertainty; cheaper.

    Notes
    -----
    A bootstrap committee costs ``n_members`` fits per query. Its members
    disagree only as much as the labeled rows let them; with very few
    labels it behaves much like uncertainty sampling.

    References
    ----------
    .. [1] H. S. Seung, M. Opper and H. Sompolinsky, "Query by committee",
       COLT 1992.
    .. [2] A. McCallum and K. Nigam, "Employing EM and pool-based active
       learning for text classification", ICML 1998.
    .. [3] N. Abe and H. Mamitsuka, "Query learning strategies using boosting
       and bagging", ICML 1998.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.active import QueryByCommittee
    >>> X, y = load_iris(return_X_y=True)
    >>> labeled = [0, 1, 2, 50, 51, 52, 100, 101, 102]
    >>> clf = LogisticRegression().fit(X[labeled], y[labeled])
    >>> qbc = QueryByCommittee(method="kl_divergence", random_state=0)
    >>> qbc.query(clf, X, n_instances=2,
    ...           X_labeled=X[labeled], y_labeled=y[labeled]).shape
    (2,)
    """

    def __init__(
        self,
        committee=None,
        method="vote_entropy",
        n_members=5,
        random_state=None,
        *,
        n_jobs=None,
        chunk_size=None,
    ):
        self.committee = committee
        self.method = method
        self.n_members = n_members
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.chunk_size = chunk_size

    def _validate(self):
        super()._validate()
        _check_option("method", self.method, {"vote_entropy", "kl_divergence"})
        _check_int("n_members", self.n_members, 2, why=" (a committee)")

    @property
    def _member_method(self):
        return "predict" if self.method == "vote_entropy" else "predict_proba"

    @_fill_doc
    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        """Disagreement of the committee on each row of the pool.

        With ``committee=None``, ``estimator`` may be unfitted: only its
        clones are fitted, on ``X_labeled`` and ``y_labeled``.

        %(utility)s
        """
        return super().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    @_fill_doc
    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        """Positions of the ``n_instances`` rows the committee disagrees most on.

        With ``committee=None``, ``estimator`` may be unfitted: only its
        clones are fitted, on ``X_labeled`` and ``y_labeled``.

        %(query)s
        """
        return super().query(estimator, X_pool, n_instances, X_labeled, y_labeled)

    def _check_inputs(self, estimator, X_pool):
        if self.committee is None:
            check_estimator_proba(estimator, fitted=False, method=self._member_method)
            fitted_on = None
        else:
            members = self._check_committee()
            fitted_on = members[0]
        return check_pool(fitted_on, X_pool)

    def _check_committee(self):
        committee = self.committee
        if isinstance(committee, (str, bytes, Mapping)) or not hasattr(
            committee, "__iter__"
        ):
            raise TypeError(
                f"committee must be a list of fitted classifiers or None, got "
                f"{_shown(committee)}."
            )
        members = list(committee)
        if len(members) < 2:
            raise ValueError(
                f"committee must hold at least 2 fitted classifiers, got "
                f"{len(members)}."
            )
        for member in members:
            check_estimator_proba(member, method=self._member_method)
        return members

    def _build_committee(self, estimator, X_labeled, y_labeled):
        if X_labeled is None or y_labeled is None:
            raise ValueError(
                "QueryByCommittee(committee=None) fits a bootstrap committee on "
                f"the labeled rows, but X_labeled={_shown(X_labeled, 40)} and "
                f"y_labeled={_shown(y_labeled, 40)}. Pass both to query / utility, "
                "or pass a committee of fitted classifiers."
            )
        X_labeled = _check_table(X_labeled, "X_labeled")
        y_labeled = np.asarray(y_labeled)
        if y_labeled.ndim != 1 or y_labeled.shape[0] != _num_samples(X_labeled):
            raise ValueError(
                f"y_labeled must be 1-d with one label per row of X_labeled "
                f"({_num_samples(X_labeled)} rows), got shape {y_labeled.shape}."
            )
        classes, codes = np.unique(y_labeled, return_inverse=True)
        if classes.size < 2:
            raise ValueError(
                f"y_labeled holds one class only ({_shown(classes.tolist())}); a "
                "committee needs labeled rows of at least two classes."
            )
        rng = check_random_state(self.random_state)
        samples = [_stratified_bootstrap(codes, rng) for _ in range(self.n_members)]
        return Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_member)(clone(estimator), X_labeled, y_labeled, rows)
            for rows in samples
        )

    def _utility(self, estimator, X_pool, n_pool, X_labeled, y_labeled):
        if self.committee is None:
            members = self._build_committee(estimator, X_labeled, y_labeled)
        else:
            members = list(self.committee)
        classes = np.unique(np.concatenate([np.asarray(m.classes_) for m in members]))
        columns = [np.searchsorted(classes, m.classes_) for m in members]
        n_classes = classes.size
        n_floats = n_classes * (len(members) + 2) + (_n_features(X_pool) or 1)
        rows = _block_rows(members[0], X_pool, n_pool, self.chunk_size, n_floats)
        out = np.empty(n_pool)
        for batch in gen_batches(n_pool, rows):
            block = _safe_indexing(X_pool, batch)
            n_rows = batch.stop - batch.start
            if self.method == "vote_entropy":
                votes = np.zeros((n_rows, n_classes))
                for member in members:
                    pred = np.searchsorted(
                        classes, _predict_block(member, "predict", block, batch.start)
                    )
                    votes[np.arange(n_rows), pred] += 1
                out[batch] = _vote_entropy(votes, len(members))
            else:
                probas = np.zeros((len(members), n_rows, n_classes))
                for i, (member, cols) in enumerate(zip(members, columns, strict=True)):
                    probas[i][:, cols] = _block_proba(member, block, batch)
                out[batch] = _kl_to_consensus(probas)
        return out


def _feature_blocks(estimator, X_pool, n_pool, chunk_size, input_name="X_pool"):
    """Yield ``(slice, numeric features)`` of the pool, as the model's last
    step sees them, block by block."""
    rows = _block_rows(estimator, X_pool, n_pool, chunk_size)
    for batch in gen_batches(n_pool, rows):
        block = _transformed(estimator, _safe_indexing(X_pool, batch))
        yield batch, _numeric(block, input_name)


def _row_dot(block, vector):
    return np.asarray(block @ vector).ravel()


def _squared_norms(block):
    if sparse.issparse(block):
        return np.asarray(block.multiply(block).sum(axis=1)).ravel()
    return np.einsum("ij,ij->i", block, block)


def _density_cosine(estimator, X_pool, n_pool, chunk_size):
    """Mean cosine similarity of each row to every pool row, clipped at 0.

    ``mean_j cos(x, x_j) = x / |x| . mean_j (x_j / |x_j|)``: exact, in one pass
    for the mean direction and one for the products; no n x n matrix.
    """
    total = None
    for _, block in _feature_blocks(estimator, X_pool, n_pool, chunk_size):
        part = np.asarray(normalize(block).sum(axis=0)).ravel()
        total = part if total is None else total + part
    mean_direction = total / n_pool
    out = np.empty(n_pool)
    for batch, block in _feature_blocks(estimator, X_pool, n_pool, chunk_size):
        out[batch] = _row_dot(normalize(block), mean_direction)
    return np.clip(out, 0.0, 1.0)


def _density_euclidean(estimator, X_pool, n_pool, chunk_size):
    """``1 / (1 + d(x) / mean d)`` with ``d(x) = mean_j |x - x_j|^2``.

    ``d(x) = |x - mu|^2 + mean_j |x_j - mu|^2``: exact, in two passes over the
    pool, no n x n matrix. ``mean d`` (twice the total variance) makes it free
    of the scale of the features; 1/2 for a row at the mean distance.
    """
    total, total_sq = None, 0.0
    for _, block in _feature_blocks(estimator, X_pool, n_pool, chunk_size):
        part = np.asarray(block.sum(axis=0)).ravel()
        total = part if total is None else total + part
        total_sq += _squared_norms(block).sum()
    mean = total / n_pool
    spread = total_sq / n_pool - mean @ mean  # mean_j |x_j - mu|^2
    out = np.empty(n_pool)
    for batch, block in _feature_blocks(estimator, X_pool, n_pool, chunk_size):
        to_mean = _squared_norms(block) - 2 * _row_dot(block, mean) + mean @ mean
        out[batch] = np.maximum(to_mean, 0.0) + spread
    scale = out.mean()
    return 1.0 / (1.0 + out / scale) if scale > 0 else np.ones(n_pool)


_DENSITIES = {"cosine": _density_cosine, "euclidean": _density_euclidean}


def _check_real(name, value, low):
    if not isinstance(value, Real) or isinstance(value, bool) or not value >= low:
        raise ValueError(f"{name} must be a real number >= {low}, got {value!r}.")


@_fill_doc
class DensityWeighted(_WrappingStrategy):
    """Weight a strategy's utility by how typical each row is of the pool.

    Information density (Settles & Craven 2008): the utility of a row ``x``
    under ``strategy`` is multiplied by ``density(x) ** beta``, where the
    density is its average similarity to the rows of the pool (itself
    included). Uncertain rows that are outliers, which teach the model
    little about the rest of the pool, are queried later.

    Similarity is measured where the classifier looks: for a Pipeline, on
    the output of its transformers (``pipeline[:-1]``), otherwise on
    ``X_pool`` itself, which must then be numeric. Both metrics are averaged
    exactly in two passes over the pool, without an ``n x n`` matrix:

    - ``"cosine"``: mean cosine similarity, ``x/|x| . mean_j x_j/|x_j|``,
      clipped at 0 (the paper's choice, for non-negative features such as
      word counts; on centred features most averages are near 0);
    - ``"euclidean"``: ``1 / (1 + d(x) / mean d)``, with ``d(x)`` the mean
      squared Euclidean distance from ``x`` to the pool rows.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    strategy : query strategy or None, default=None
        The strategy whose utility is weighted; None means
        ``UncertaintySampling(chunk_size=chunk_size)`` (margin). Its utility
        must be non-negative.

    beta : float, default=1.0
        Weight of the density; 0 gives ``strategy`` unchanged. At least 0.

    metric : {"cosine", "euclidean"}, default="cosine"
        The similarity between rows.

    %(chunk_size)s

    See Also
    --------
    DiverseBatch : Spread a batch out instead of favouring dense regions.

    Notes
    -----
    Dense regions are favoured only while they remain uncertain; on a pool
    with clusters of very different sizes, small classes may be queried
    late. The density depends on the pool only: it is computed again at
    each query, as the pool shrinks.

    References
    ----------
    .. [1] B. Settles and M. Craven, "An analysis of active learning
       strategies for sequence labeling tasks", EMNLP 2008.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.active import DensityWeighted, UncertaintySampling
    >>> X, y = load_iris(return_X_y=True)
    >>> labeled = [0, 1, 50, 51, 100, 101]
    >>> clf = LogisticRegression().fit(X[labeled], y[labeled])
    >>> strategy = DensityWeighted(UncertaintySampling("entropy"), beta=1.0)
    >>> strategy.query(clf, X, n_instances=3)
    array([81, 64, 80])
    """

    def __init__(self, strategy=None, beta=1.0, metric="cosine", *, chunk_size=None):
        self.strategy = strategy
        self.beta = beta
        self.metric = metric
        self.chunk_size = chunk_size

    def _validate(self):
        super()._validate()
        _check_real("beta", self.beta, 0)
        _check_option("metric", self.metric, _DENSITIES)

    @_fill_doc
    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        """The strategy's utility times the density of each row to the power beta.

        %(utility)s
        """
        return super().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    @_fill_doc
    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        """Positions of the ``n_instances`` rows of highest weighted utility.

        %(query)s
        """
        return super().query(estimator, X_pool, n_instances, X_labeled, y_labeled)

    def density(self, estimator, X_pool):
        """Average similarity of each row of the pool to the pool, in [0, 1].

        Parameters
        ----------
        estimator : estimator object
            A fitted classifier or Pipeline; a Pipeline's transformers give
            the space where similarity is measured.

        X_pool : {array-like, sparse matrix} of shape (n_pool, n_features)
            The unlabeled rows.

        Returns
        -------
        density : ndarray of shape (n_pool,)
            Higher for rows typical of the pool.
        """
        self._validate()
        X_pool, n_pool = self._check_inputs(estimator, X_pool)
        return _DENSITIES[self.metric](estimator, X_pool, n_pool, self.chunk_size)

    def _utility(self, estimator, X_pool, n_pool, X_labeled, y_labeled):
        base = self._base().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )
        if np.any(base < 0):
            raise ValueError(
                f"DensityWeighted needs a non-negative utility, but "
                f"{self._base()!r} gave {float(base.min())!r}; weight a strategy "
                "whose utility is at least 0."
            )
        if self.beta == 0:
            return base
        density = _DENSITIES[self.metric](estimator, X_pool, n_pool, self.chunk_size)
        return base * density**self.beta


@_fill_doc
class DiverseBatch(_WrappingStrategy):
    """A batch of informative rows that are also far from each other.

    The ``candidates * n_instances`` rows of highest utility under
    ``strategy`` are kept; among them, k-center greedy (Sener & Savarese
    2018) picks the batch: each next row is the candidate farthest
    (Euclidean) from every row picked so far and, when ``X_labeled`` is
    given, from every labeled row. Without ``X_labeled`` the first row is the
    most informative one. Top-k batches of one uncertainty measure tend to
    pile up near the same part of the boundary; this spreads them out.

    Distances are measured where the classifier looks: for a Pipeline, on
    the output of its transformers (``pipeline[:-1]``), otherwise on the rows
    as given, which must then be numeric.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    strategy : query strategy or None, default=None
        Ranks the candidates; None means
        ``UncertaintySampling(chunk_size=chunk_size)`` (margin).

    method : {"kcenter"}, default="kcenter"
        How the batch is spread: k-center greedy.

    candidates : int, default=10
        The batch is picked among the ``candidates * n_instances`` most
        informative rows (all rows if fewer). 1 gives ``strategy``'s top
        rows.

    %(chunk_size)s

    See Also
    --------
    DensityWeighted : Favour rows typical of the pool.

    Notes
    -----
    Cost: ``n_instances`` passes over the candidates (``candidates *
    n_instances`` rows), plus one nearest-labeled-row search, in blocks.
    The positions returned are in the order picked, not by utility.

    References
    ----------
    .. [1] O. Sener and S. Savarese, "Active learning for convolutional
       neural networks: a core-set approach", ICLR 2018.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklabels.active import DiverseBatch
    >>> X, y = load_iris(return_X_y=True)
    >>> labeled = [0, 1, 50, 51, 100, 101]
    >>> clf = LogisticRegression().fit(X[labeled], y[labeled])
    >>> DiverseBatch(candidates=5).query(clf, X, n_instances=3)
    array([ 72, 105,  80])
    """

    def __init__(
        self, strategy=None, method="kcenter", candidates=10, *, chunk_size=None
    ):
        self.strategy = strategy
        self.method = method
        self.candidates = candidates
        self.chunk_size = chunk_size

    def _validate(self):
        super()._validate()
        _check_option("method", self.method, {"kcenter"})
        _check_int("candidates", self.candidates, 1)

    @_fill_doc
    def utility(self, estimator, X_pool, *, X_labeled=None, y_labeled=None):
        """The utility of ``strategy`` (diversity is a property of a batch).

        %(utility)s
        """
        return super().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    @_fill_doc
    def query(self, estimator, X_pool, n_instances=1, X_labeled=None, y_labeled=None):
        """Positions of a spread-out batch of informative rows, in picking order.

        %(query)s
        """
        return super().query(estimator, X_pool, n_instances, X_labeled, y_labeled)

    def _utility(self, estimator, X_pool, n_pool, X_labeled, y_labeled):
        return self._base().utility(
            estimator, X_pool, X_labeled=X_labeled, y_labeled=y_labeled
        )

    def _query(self, estimator, X_pool, n_instances, X_labeled, y_labeled):
        X_pool, n_pool, utility = self._pool_utility(
            estimator, X_pool, n_instances, X_labeled, y_labeled
        )
        candidates = _top_k(utility, min(n_pool, self.candidates * n_instances))
        if candidates.size == n_instances and X_labeled is None:
            return candidates, float(utility.max())
        features = _numeric(
            _transformed(estimator, _safe_indexing(X_pool, candidates)), "X_pool"
        )
        if X_labeled is not None and _num_samples(X_labeled) > 0:
            labeled = _numeric(
                _transformed(estimator, _check_table(X_labeled, "X_labeled")),
                "X_labeled",
            )
            _, nearest = pairwise_distances_argmin_min(features, labeled)
            picked = _kcenter_greedy(features, n_instances, nearest)
        else:
            picked = _kcenter_greedy(features, n_instances, None)
        return candidates[picked], float(utility.max())


def _greedy_picks(first, k, distance, distance_to, score=None):
    """A batch built greedily around a running nearest distance.

    ``first``, then ``k - 1`` more rows, each the row not yet picked of
    highest ``score(distance, n_picked)`` (the distance itself when None),
    where ``distance`` is each row's distance to the nearest labeled or
    picked row: None when there is no labeled row, and lowered with
    ``distance_to(row)`` after each pick. Ties go to the earlier row. Only
    one distance per row is kept: no pool-by-pool matrix.
    """
    picked = [first]
    if k == 1:
        return np.asarray(picked, dtype=np.intp)
    to_first = distance_to(first)
    distance = to_first if distance is None else np.minimum(distance, to_first)
    available = np.ones(distance.shape[0], dtype=bool)
    available[first] = False
    while len(picked) < k:
        scores = distance.copy() if score is None else score(distance, len(picked))
        scores[~available] = -np.inf
        best = int(np.argmax(scores))
        picked.append(best)
        available[best] = False
        if len(picked) < k:
            np.minimum(distance, distance_to(best), out=distance)
    return np.asarray(picked, dtype=np.intp)


def _kcenter_greedy(features, k, nearest):
    """k-center greedy: indices of ``k`` rows, each the farthest from those
    picked before (and from the labeled rows, at distances ``nearest``).

    Ties go to the earlier row. With ``nearest=None`` the first pick is row 0.
    """
    if nearest is not None:
        nearest = np.asarray(nearest, dtype=float)
    first = 0 if nearest is None else int(np.argmax(nearest))
    return _greedy_picks(
        first,
        k,
        nearest,
        lambda row: euclidean_distances(features, features[row : row + 1]).ravel(),
    )
