"""Class probabilities of a fitted logistic regression, class-major, fast.

``LogisticRegression.predict_proba`` spends most of its time outside the
arithmetic: input validation, then reductions along the short class axis of
an ``(n_rows, n_classes)`` array (a row-wise max and sum over five numbers is
slower in numpy than the matrix product before it). A strategy that ranks a
pool of rows by their class probabilities calls it on every row of the pool,
so :func:`linear_proba_t` computes the same numbers from ``coef_`` and
``intercept_`` with the classes along the first axis, where the reductions
are fast.

It only answers for a model whose ``predict_proba`` and
``decision_function`` are scikit-learn's own ``LogisticRegression`` methods
(or a Pipeline ending in one), and only after checking on the first rows
that its probabilities equal the model's own ``predict_proba`` (which also
picks the mapping the installed scikit-learn uses: softmax, or one-vs-rest
sigmoids normalised, or the binary sigmoid). Whatever it cannot do the same
way, it leaves to the model (``None``): a DataFrame after the Pipeline's
transformers, a sparse block, a model fitted with feature names, or a block
whose scores are not finite (so that NaN in the pool meets the model's own
error).
"""

import numpy as np
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from sklabels.utils._compat import _safe_indexing

__all__ = ["linear_proba_t"]

_PROBE_ROWS = 8


def _softmax_t(scores):
    scores -= scores.max(axis=0)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=0)
    return scores


def _ovr_t(scores):
    # one-vs-rest: each class's sigmoid, normalised over the classes
    expit(scores, out=scores)
    total = scores.sum(axis=0)
    zero = total == 0
    if zero.any():
        scores[:, zero] = 1.0
        total[zero] = scores.shape[0]
    scores /= total
    return scores


def _binary_t(scores):
    positive = expit(scores[0])
    return np.stack([1.0 - positive, positive])


def _binary_softmax_t(scores):
    # softmax of (-z, z): the multinomial reading of one score
    return _softmax_t(np.concatenate([-scores, scores]))


_MAPPINGS = {
    "multiclass": (_softmax_t, _ovr_t),
    "binary": (_binary_t, _binary_softmax_t),
}


def _is_sklearn_logistic(model):
    kind = type(model)
    return (
        getattr(kind, "predict_proba", None) is LogisticRegression.predict_proba
        and getattr(kind, "decision_function", None)
        is LogisticRegression.decision_function
    )


class _LinearProba:
    """``block -> (n_classes, n_rows)`` probabilities, or None to fall back."""

    def __init__(self, head, coef, intercept, mapping):
        self.head = head
        self.coef = coef
        self.intercept = intercept
        self.mapping = mapping

    def scores_t(self, block):
        if self.head is not None:
            block = self.head.transform(block)
        if not (
            isinstance(block, np.ndarray)
            and block.ndim == 2
            and block.dtype.kind == "f"
            and block.shape[1] == self.coef.shape[1]
        ):
            return None
        scores = self.coef @ block.T
        scores += self.intercept[:, None]
        return scores if np.isfinite(scores).all() else None

    def __call__(self, block):
        scores = self.scores_t(block)
        return None if scores is None else self.mapping(scores)


def linear_proba_t(estimator, X):
    """A fast class-major ``predict_proba`` for ``estimator``, or None.

    Parameters
    ----------
    estimator : estimator
        A fitted classifier, or a Pipeline ending in one.
    X : array-like
        Rows of the kind that will be passed; its first rows are used to
        check the fast probabilities against ``estimator.predict_proba``.

    Returns
    -------
    proba_t : callable or None
        ``proba_t(block)`` returns the class probabilities of the rows of
        ``block`` as an array of shape (n_classes, n_rows), or None for a
        block it cannot compute as the model does (then ask the model).
        None when the model is not one it knows.
    """
    head, model = None, estimator
    if isinstance(estimator, Pipeline):
        model = estimator.steps[-1][1]
        head = estimator[:-1] if len(estimator.steps) > 1 else None
    if not _is_sklearn_logistic(model) or hasattr(model, "feature_names_in_"):
        return None
    coef = getattr(model, "coef_", None)
    intercept = getattr(model, "intercept_", None)
    classes = getattr(model, "classes_", None)
    if not all(isinstance(a, np.ndarray) for a in (coef, intercept, classes)):
        return None
    if coef.ndim != 2 or intercept.shape != (coef.shape[0],):
        return None
    kind = "binary" if classes.size == 2 and coef.shape[0] == 1 else "multiclass"
    if kind == "multiclass" and coef.shape[0] != classes.size:
        return None

    probe = _safe_indexing(X, np.arange(min(_PROBE_ROWS, X.shape[0])))
    try:
        expected = np.asarray(estimator.predict_proba(probe), dtype=float)
    except (TypeError, ValueError):
        return None  # the model's own call will raise the error it should
    fast = _LinearProba(head, coef.astype(float), intercept.astype(float), None)
    scores = fast.scores_t(probe)
    if scores is None:
        return None
    for mapping in _MAPPINGS[kind]:
        got = mapping(scores.copy())
        if got.shape == expected.T.shape and np.allclose(
            got, expected.T, rtol=1e-9, atol=1e-12
        ):
            fast.mapping = mapping
            return fast
    return None
