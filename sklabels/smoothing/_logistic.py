"""Direct soft-target fitting of logistic regression.

Training a log-loss model on a soft target row ``Y_i`` by giving it every class
``k`` with weight ``Y_ik`` (the expansion that :class:`SoftLabelClassifier`
uses for any classifier) minimises the soft cross-entropy
``-sum_i s_i sum_k Y_ik log p_k(x_i)``. For logistic regression with an L2
penalty (or none) this module minimises that same objective directly, with
L-BFGS on the ``(K, n_features + 1)`` parameters, so that ``X`` is never
copied: the extra memory is a few ``(n_samples, K)`` arrays instead of ``K``
copies of ``X``.

The objective matches scikit-learn's ``LogisticRegression``:
``C * sum_i s_i * loss_i + 0.5 * ||W||^2`` with the intercept not penalised,
symmetric multinomial parametrisation for ``K > 2`` and a single coefficient
vector for ``K = 2``.
"""

import numpy as np
from scipy import optimize
from scipy.special import expit, log_expit
from sklearn.linear_model import LogisticRegression

__all__ = ["fit_soft_logistic", "supports_direct_fit"]


def supports_direct_fit(estimator):
    """Whether ``estimator`` is a logistic regression this module can fit."""
    if type(estimator) is not LogisticRegression:
        return False
    params = estimator.get_params()
    penalty = params.get("penalty", "deprecated")
    l2_or_none = penalty in ("deprecated", "l2", None) and not params.get("l1_ratio")
    return (
        l2_or_none
        and params.get("class_weight") is None
        and params.get("solver")
        in ("lbfgs", "newton-cg", "newton-cholesky", "sag", "saga")
        and not params.get("warm_start")
    )


def _penalty_strength(estimator):
    params = estimator.get_params()
    if params.get("penalty", "deprecated") is None or np.isinf(params["C"]):
        return 0.0
    return 1.0 / params["C"]


def _binary_objective(X, target, sw, sw_sum, alpha, fit_intercept, n_features):
    """Binary log-loss with soft targets ``target = P(class 1)``."""

    def func(w):
        coef = w[:n_features]
        z = X @ coef
        if fit_intercept:
            z += w[-1]
        # s * (log(1 + e^z) - t z) = -s * (t log sigmoid(z) + (1-t) log sigmoid(-z))
        loss = -(sw @ (target * log_expit(z) + (1.0 - target) * log_expit(-z)))
        residual = sw * (expit(z) - target)
        grad = np.empty_like(w)
        grad[:n_features] = X.T @ residual
        if fit_intercept:
            grad[-1] = residual.sum()
        loss /= sw_sum
        grad /= sw_sum
        loss += 0.5 * alpha * coef @ coef
        grad[:n_features] += alpha * coef
        return loss, grad

    return func


def _multinomial_objective(X, A, sw, sw_sum, alpha, fit_intercept, n_features):
    """Multinomial log-loss with soft targets; ``A = s_i * Y_ik``.

    One (n_samples, K) buffer holds the logits, then the probabilities, then
    the gradient of the loss with respect to the logits.
    """
    n_samples, n_classes = A.shape
    buffer = np.empty((n_samples, n_classes), dtype=np.float64)
    unit_weights = bool(np.all(sw == 1.0))

    def func(w):
        W = w.reshape(n_classes, -1)
        coef = W[:, :n_features]
        if hasattr(X, "toarray"):
            buffer[:] = X @ coef.T
        else:
            np.matmul(X, coef.T, out=buffer)
        if fit_intercept:
            np.add(buffer, W[:, -1], out=buffer)
        # loss_i = s_i * logsumexp(z_i) - sum_k A_ik z_ik
        linear = np.vdot(A, buffer)
        zmax = buffer.max(axis=1, keepdims=True)
        np.subtract(buffer, zmax, out=buffer)
        np.exp(buffer, out=buffer)
        norm = buffer.sum(axis=1, keepdims=True)
        lse = np.log(norm[:, 0]) + zmax[:, 0]
        loss = sw @ lse - linear
        np.divide(buffer, norm, out=buffer)  # probabilities
        if not unit_weights:
            np.multiply(buffer, sw[:, None], out=buffer)
        np.subtract(buffer, A, out=buffer)  # d loss / d logits
        grad = np.empty_like(W)
        grad[:, :n_features] = (X.T @ buffer).T
        if fit_intercept:
            grad[:, -1] = buffer.sum(axis=0)
        loss /= sw_sum
        grad /= sw_sum
        loss += 0.5 * alpha * np.vdot(coef, coef)
        grad[:, :n_features] += alpha * coef
        return loss, grad.ravel()

    return func


def fit_soft_logistic(estimator, X, Y, sample_weight):
    """Minimise the soft cross-entropy of ``estimator``'s logistic model.

    Parameters
    ----------
    estimator : LogisticRegression
        Unfitted; its ``C``, ``fit_intercept``, ``max_iter`` and ``tol`` are used.
    X : {ndarray, sparse matrix} of shape (n_samples, n_features)
        Validated float64 data.
    Y : ndarray of shape (n_samples, n_classes)
        Soft targets, rows summing to 1.
    sample_weight : ndarray of shape (n_samples,)
        Non-negative weights.

    Returns
    -------
    coef : ndarray of shape (1, n_features) if K == 2 else (K, n_features)
    intercept : ndarray of shape (1,) or (K,)
    n_iter : int
    result : scipy.optimize.OptimizeResult
    """
    params = estimator.get_params()
    fit_intercept = params["fit_intercept"]
    n_features = X.shape[1]
    n_classes = Y.shape[1]
    sw_sum = float(sample_weight.sum())
    # scikit-learn's objective C * sum(loss) + penalty, divided by C * sw_sum
    alpha = _penalty_strength(estimator) / sw_sum
    width = n_features + int(fit_intercept)
    if n_classes == 2:
        func = _binary_objective(
            X, Y[:, 1], sample_weight, sw_sum, alpha, fit_intercept, n_features
        )
        w0 = np.zeros(width)
    else:
        unit = bool(np.all(sample_weight == 1.0))
        A = Y if unit else Y * sample_weight[:, None]  # no copy for unit weights
        func = _multinomial_objective(
            X, A, sample_weight, sw_sum, alpha, fit_intercept, n_features
        )
        w0 = np.zeros(n_classes * width)
    result = optimize.minimize(
        func,
        w0,
        method="L-BFGS-B",
        jac=True,
        options={
            "maxiter": params["max_iter"],
            "maxls": 50,
            "gtol": params["tol"],
            "ftol": 64 * np.finfo(float).eps,
        },
    )
    W = result.x.reshape(1 if n_classes == 2 else n_classes, width)
    coef = np.ascontiguousarray(W[:, :n_features])
    intercept = W[:, -1].copy() if fit_intercept else np.zeros(W.shape[0])
    return coef, intercept, int(result.nit), result
