"""CROWDLAB as an aggregator: the annotators' votes weighed against a model.

:class:`CrowdLab` fits a classifier on the items' features against the
majority vote, cross-fitted so that every item gets out-of-fold
probabilities, and combines them with the votes as CROWDLAB does
(:func:`sklabels.noise.multiannotator_label_quality`, the same kernel). The
weights it estimates (one per annotator, one for the model) are kept, so new
items are scored row by row with ``predict`` / ``predict_proba``.
"""

import warnings
from numbers import Integral

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import check_cv

from sklabels.aggregation._base import BaseAggregator, fill_doc
from sklabels.aggregation._matrix import check_gold, infer_n_classes
from sklabels.noise._count import _check_pred_probs
from sklabels.noise._multiannotator import (
    check_coverage,
    crowdlab,
    majority_vote,
    posterior,
    vote_counts,
)
from sklabels.utils._compat import (
    HasMethods,
    _fit_context,
    _safe_indexing,
    check_is_fitted,
)
from sklabels.utils._cv import (
    check_partition,
    cross_fit,
    fit_predict_fold,
    stratified_folds,
)
from sklabels.utils._progress import Progress
from sklabels.utils._validation import check_finite_proba

__all__ = ["CrowdLab"]


def _onehot_votes(L, n_classes):
    """Sparse (n_items, n_sources * K) indicator of "source s voted class k"."""
    items, sources = np.nonzero(L >= 0)
    return sparse.csr_matrix(
        (
            np.ones(items.size),
            (items, sources * n_classes + L[items, sources]),
        ),
        shape=(L.shape[0], L.shape[1] * n_classes),
    )


def _fold_proba(estimator, X, t, train, test, n_classes):
    """Out-of-fold probabilities of ``test``, one column per class 0..K-1."""
    full = np.zeros((len(test), n_classes))
    seen = np.unique(t[train])
    if seen.size == 0:  # no labeled item to learn from: no information
        full[:] = 1.0 / n_classes
        return full
    if seen.size == 1:  # a classifier cannot fit one class: predict it
        full[:, seen[0]] = 1.0
        return full
    proba, classes = fit_predict_fold(estimator, X, t, train, test, {})
    full[:, classes.astype(np.intp)] = proba
    return full


@fill_doc
class CrowdLab(BaseAggregator):
    """CROWDLAB: consensus labels from annotators and a model's out-of-fold output.

    Each item's votes are combined with the probabilities of a classifier
    that never saw the item (cross-fitting), as CROWDLAB does [1]_: the
    posterior of an item is a weighted average of the model's probabilities
    and of one vote distribution per annotator, the weights estimated from
    how often the model and each annotator agree with the consensus. On the
    training items it gives the numbers of
    :func:`sklabels.noise.multiannotator_label_quality`; the fitted weights
    then score new items one by one.

    Read more in the :ref:`User Guide <crowdlab>`.

    Parameters
    ----------
    estimator : classifier, default=None
        The model, with ``fit`` and ``predict_proba``; cloned, never fitted
        itself. It is cross-fitted on the features against the majority vote
        of the annotators (against the gold label where ``y`` gives one).
        None means ``LogisticRegression(max_iter=1000)``.

    cv : int or cross-validation splitter, default=5
        Folds of the cross-fitting. An int gives stratified folds,
        unshuffled unless ``random_state`` is set; a splitter must put every
        item in exactly one test fold.

    classes : array-like of shape (n_classes,), default=None
        Names of the classes ``0..K-1``: ``predict`` and ``fit_predict``
        return them and ``classes_`` holds them. None returns the codes.

    n_classes : int, default=None
        Number of classes ``K``. None takes ``len(classes)``, else the
        columns of ``pred_probs``, else the largest code in ``L`` (and ``y``)
        plus one.

    n_jobs : int, default=None
        Folds fitted in parallel. None means 1.

    random_state : int, RandomState instance or None, default=None
        Shuffles the rows before an integer ``cv`` splits them. None keeps
        the folds unshuffled, so that fitting twice gives the same result.

    verbose : int, default=0
        Progress on stderr: 0 says nothing, 1 the start and end of the
        cross-fitting, 2 also each fold as it is fitted.

    Attributes
    ----------
    estimator_ : classifier or None
        The model refitted on every item, which gives the probabilities of
        new items; None when ``fit`` was given ``pred_probs``.

    features_ : {"X", "votes", "pred_probs"}
        What the model was fitted on, so what ``predict`` needs: the
        features ``X``, the votes of ``L`` themselves (one-hot, when ``fit``
        got neither ``X`` nor ``pred_probs``), or nothing (``pred_probs``).

    pred_probs_ : ndarray of shape (n_items, n_classes)
        The out-of-fold probabilities of the training items.

    label_quality_ : DataFrame of shape (n_items, 4)
        Per training item: ``consensus_label`` (a code), ``consensus_quality_score``,
        ``annotator_agreement``, ``num_annotations``, as
        :func:`~sklabels.noise.multiannotator_label_quality` returns them.

    annotator_stats_ : DataFrame of shape (n_sources, 4)
        Per source: ``annotator_quality``, ``agreement_with_consensus``,
        ``worst_class``, ``num_examples_labeled``.

    source_quality_ : ndarray of shape (n_sources,)
        Estimated accuracy of each source: the share of its labels equal to
        the consensus (``annotator_stats_["agreement_with_consensus"]``),
        an estimate as good as the consensus is.

    model_weight_ : float
        Weight of the model in the posterior. The weights are those CROWDLAB
        estimates against the majority vote, which pick the consensus label;
        ``consensus_quality_score`` in ``label_quality_`` is read, as cleanlab
        reads it, from the posterior re-estimated against that consensus.

    annotator_weights_ : ndarray of shape (n_sources,)
        Weight of each source in the posterior.

    consensus_likelihood_ : float
        Probability that an annotator gives the consensus label, the vote
        distribution of every annotator (the rest spread evenly).

    class_priors_ : ndarray of shape (n_classes,)
        Mean posterior over the training items.

    %(classes_)s

    See Also
    --------
    sklabels.noise.multiannotator_label_quality : The same numbers from
        given out-of-sample probabilities, as DataFrames.
    DawidSkene : One confusion matrix per source, no model.

    Notes
    -----
    ``fit`` takes the label matrix ``L`` like every aggregator, and the
    model's input as keyword arguments: ``X=`` the features of the items
    (the model is cross-fitted on them), or ``pred_probs=`` out-of-fold
    probabilities computed elsewhere. With neither, the model is fitted on
    the votes themselves: it then learns which votes go with which
    consensus (a discriminative counterpart of Dawid-Skene) and adds no
    information beyond ``L``. ``predict`` and ``predict_proba`` need the
    same kind of input as ``fit`` got.

    ``fit_predict`` returns the consensus of the training items, computed
    from out-of-fold probabilities; ``fit(...).predict(...)`` on the same
    items uses the refitted model, which has seen them, so the two can
    differ (as with stacking). Items without any vote (which
    :func:`~sklabels.noise.multiannotator_label_quality` refuses, as cleanlab
    does) are accepted: the model learns from the other items, and they get
    its class and its probability of it as consensus and quality
    (``annotator_agreement`` NaN, ``num_annotations`` 0); they take no part
    in the weights. ``predict`` treats them the same way.
    Ties of the posterior fall to the majority vote, its ties broken by
    cleanlab's rules with the statistics of the training matrix.

    References
    ----------
    .. [1] H. W. Goh, U. Tkachenko and J. Mueller, "CROWDLAB: Supervised
       learning to infer consensus labels and quality scores for data with
       multiple annotators", NeurIPS 2022 Human in the Loop Learning
       Workshop, arXiv:2210.06812.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklabels.aggregation import CrowdLab
    >>> from sklabels.datasets import make_crowd_labels
    >>> X, y = load_iris(return_X_y=True)
    >>> L = make_crowd_labels(y, n_sources=5, accuracy=[0.9, 0.8, 0.6, 0.5, 0.4],
    ...                       labels_per_item=3, random_state=0)
    >>> model = CrowdLab(classes=["setosa", "versicolor", "virginica"])
    >>> labels = model.fit_predict(L, X=X)
    >>> labels[:3]
    array(['setosa', 'setosa', 'setosa'], dtype='<U10')
    >>> model.source_quality_.round(1)
    array([0.8, 0.8, 0.6, 0.5, 0.4])
    >>> float((labels == model.classes_[y]).mean())
    0.94
    """

    _parameter_constraints: dict = {
        **BaseAggregator._parameter_constraints,
        "estimator": [HasMethods(["fit", "predict_proba"]), None],
        "cv": ["cv_object"],
        "classes": ["array-like", None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        estimator=None,
        *,
        cv=5,
        classes=None,
        n_classes=None,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        self.estimator = estimator
        self.cv = cv
        self.classes = classes
        self.n_classes = n_classes
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # -- fitting -------------------------------------------------------------

    def _n_classes(self, L, y, pred_probs):
        sizes = {}
        if self.n_classes is not None:
            sizes["n_classes"] = int(self.n_classes)
        if self.classes is not None:
            sizes["classes"] = len(self.classes)
        if pred_probs is not None:
            sizes["pred_probs"] = pred_probs.shape[1]
        if len(set(sizes.values())) > 1:
            raise ValueError(
                "The number of classes is given inconsistently: "
                + ", ".join(f"{k} gives {v}" for k, v in sizes.items())
                + "; make them agree."
            )
        if sizes:
            return next(iter(sizes.values()))
        return infer_n_classes(L, y, None)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, L, y=None, *, X=None, pred_probs=None):
        """Fit the model out of fold and estimate the CROWDLAB weights.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            The label matrix: class codes ``0..K-1``, ``-1`` where a source
            gave no label (a sparse matrix stores the code plus one). Every
            source needs a label and some item two; items without any label
            are scored by the model alone.

        y : array-like of shape (n_items,), default=None
            Gold labels where known, ``-1`` elsewhere: the model's target on
            those items instead of the majority vote.

        X : {array-like, sparse matrix} of shape (n_items, n_features), default=None
            Features of the items, for the model. Not with ``pred_probs``.

        pred_probs : array-like of shape (n_items, n_classes), default=None
            Out-of-fold class probabilities computed elsewhere; no model is
            fitted. Not with ``X``.

        Returns
        -------
        self : object
            Fitted aggregator.
        """
        if X is not None and pred_probs is not None:
            raise ValueError(
                "Pass either X (features: the model is cross-fitted on them) or "
                "pred_probs (out-of-fold probabilities computed elsewhere) to "
                "fit, not both."
            )
        L = self._validate_L(L, reset=True)
        n_items, n_sources = L.shape
        if n_sources == 1:
            raise ValueError(
                "L has 1 feature(s) (a single source); CROWDLAB weighs several "
                "annotators against a model and needs items labeled by two or "
                "more sources."
            )
        names = getattr(self, "feature_names_in_", None)
        voted = (L >= 0).any(axis=1)
        if not voted.any():
            raise ValueError(
                "L holds no label at all (every entry is -1); CROWDLAB needs "
                "items labeled by two or more sources."
            )
        check_coverage(L[voted], names)
        P = None
        if pred_probs is not None:
            P = self._check_proba(pred_probs, n_items)
        y = check_gold(y, n_items, n_classes=self.n_classes)
        K = self._n_classes(L, y, P)
        self.n_classes_ = K
        self.classes_ = (
            np.asarray(self.classes) if self.classes is not None else np.arange(K)
        )
        if L.max() >= K:
            i, j = np.argwhere(L >= K)[0]
            raise ValueError(
                f"L holds the class code {L[i, j].item()!r} in row {i}, column {j} "
                f"but there are {K} classes (codes 0..{K - 1})."
            )
        if y is not None and y.max() >= K:
            raise ValueError(
                f"y holds the class code {int(y.max())!r} but there are {K} classes "
                f"(codes 0..{K - 1}, -1 where unknown)."
            )
        if P is None:
            self.features_ = "votes" if X is None else "X"
            features = _onehot_votes(L, K) if X is None else X
            if X is not None and _num_rows(X) != n_items:
                raise ValueError(
                    f"X has {_num_rows(X)} rows but L has {n_items} items; give "
                    "one row of features per item, in the order of L."
                )
            P = self._cross_fit(L, y, features, K)
        else:
            self.features_ = "pred_probs"
            self.estimator_ = None
        res = crowdlab(L[voted], P[voted])
        self.pred_probs_ = P
        # the weights that pick the consensus (estimated against the majority
        # vote, as CROWDLAB does): predict gives the consensus of fit_predict
        self.model_weight_, self.annotator_weights_, self.consensus_likelihood_ = res[
            "mv_weights"
        ]
        self._class_freq = res["class_freq"]
        self._mv_agreement = res["mv_agreement"]
        self.source_quality_ = res["agreement_with_consensus"]
        self.class_priors_ = res["post"].mean(axis=0)
        if not voted.all():  # items without a vote: the model decides
            res = _with_unvoted(res, voted, self._decide(L, P, P), P)
        self._consensus = res["consensus_label"]
        self.label_quality_, self.annotator_stats_ = _frames(res, names)
        return self

    def _check_proba(self, pred_probs, n_items):
        P, _, _ = _check_pred_probs(pred_probs, batch_size=None)
        P = np.asarray(P, dtype=np.float64)
        if P.shape[0] != n_items:
            raise ValueError(
                f"pred_probs has {P.shape[0]} rows but L has {n_items} items; give "
                "one row of probabilities per item, in the order of L."
            )
        if P.shape[1] < 2:
            raise ValueError(
                f"pred_probs must have at least 2 columns (one per class), got "
                f"{P.shape[1]}."
            )
        if hasattr(self, "n_classes_") and P.shape[1] != self.n_classes_:
            raise ValueError(
                f"pred_probs has {P.shape[1]} columns but the model was fitted with "
                f"n_classes_={self.n_classes_}; give one column per class."
            )
        return P

    def _targets(self, L, y, K):
        """The model's training target: the majority vote, gold where known."""
        has = L >= 0
        counts = vote_counts(L, K)
        uniform = np.full((L.shape[0], K), 1.0 / K)  # no model yet: no tie-break 1
        t = majority_vote(L, has, counts, uniform)[0]
        t[~has.any(axis=1)] = -1  # no vote: no target
        if y is not None:
            t = np.where(y >= 0, y, t)
        return t

    def _cross_fit(self, L, y, features, K):
        t = self._targets(L, y, K)
        estimator = (
            LogisticRegression(max_iter=1000)
            if self.estimator is None
            else self.estimator
        )
        n_items = L.shape[0]
        target = t >= 0  # the items the model learns from
        if isinstance(self.cv, Integral):
            if n_items < self.cv:
                raise ValueError(
                    f"L has {n_items} sample(s) (items) but cv={self.cv} folds need "
                    f"at least {self.cv}; pass a smaller cv."
                )
            cv = stratified_folds(self.cv, self.random_state)
            if np.bincount(t + 1).max() < self.cv:  # no class fills every fold
                cv = _plain_folds(self.cv, self.random_state)
            with warnings.catch_warnings():
                # a rare class: its items miss some folds, which is fine here
                warnings.filterwarnings(
                    "ignore", message="The least populated class", category=UserWarning
                )
                splits = list(cv.split(np.zeros((n_items, 1)), t))
        else:
            cv = check_cv(self.cv, t, classifier=True)
            splits = list(cv.split(np.zeros((n_items, 1)), t))
            check_partition(splits, n_items, self.cv, "probabilities")
        results = cross_fit(
            _fold_proba,
            [
                (clone(estimator), features, t, train[target[train]], test, K)
                for train, test in splits
            ],
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
        )
        P = np.zeros((n_items, K))
        for (_, test), proba in zip(splits, results, strict=True):
            P[test] = proba
        P = check_finite_proba(
            P, estimator, purpose="the consensus cannot be estimated with them"
        )
        rows = np.flatnonzero(target)
        if np.unique(t[rows]).size == 1:
            self.estimator_ = _Constant(t[rows[0]])
        elif rows.size == n_items:
            self.estimator_ = clone(estimator).fit(features, t)
        else:
            self.estimator_ = clone(estimator).fit(
                _safe_indexing(features, rows), t[rows]
            )
        return P

    def fit_predict(self, L, y=None, *, X=None, pred_probs=None):
        """Fit, then return the consensus label of each training item.

        The consensus of the training items, computed from out-of-fold
        probabilities (``label_quality_["consensus_label"]``), as names when
        ``classes`` is given.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            The label matrix, as in ``fit``.

        y : array-like of shape (n_items,), default=None
            Gold labels where known, ``-1`` elsewhere.

        X : {array-like, sparse matrix} of shape (n_items, n_features), default=None
            Features of the items, for the model.

        pred_probs : array-like of shape (n_items, n_classes), default=None
            Out-of-fold class probabilities computed elsewhere.

        Returns
        -------
        labels : ndarray of shape (n_items,)
            The consensus label of each item.
        """
        self.fit(L, y, X=X, pred_probs=pred_probs)
        return self.classes_[self._consensus]

    # -- prediction ------------------------------------------------------------

    def _model_proba(self, L, X, pred_probs):
        n_items = L.shape[0]
        given = {"X": X, "pred_probs": pred_probs}
        need = self.features_
        extra = [k for k, v in given.items() if v is not None and k != need]
        if extra:
            raise ValueError(
                f"This CrowdLab was fitted with "
                f"{'the votes of L only' if need == 'votes' else need}; do not pass "
                f"{extra[0]} to predict, pass "
                f"{'L alone' if need == 'votes' else need + '=...'}."
            )
        if need == "pred_probs":
            if pred_probs is None:
                raise ValueError(
                    "This CrowdLab was fitted with pred_probs: pass pred_probs=... "
                    "(the model's probabilities for these items) to predict."
                )
            return self._check_proba(pred_probs, n_items)
        if need == "X":
            if X is None:
                raise ValueError(
                    "This CrowdLab was fitted with features X: pass X=... (the "
                    "features of these items) to predict."
                )
            if _num_rows(X) != n_items:
                raise ValueError(
                    f"X has {_num_rows(X)} rows but L has {n_items} items; give one "
                    "row of features per item, in the order of L."
                )
            features = X
        else:
            features = _onehot_votes(L, self.n_classes_)
        proba = np.asarray(self.estimator_.predict_proba(features), dtype=np.float64)
        full = np.zeros((n_items, self.n_classes_))
        full[:, np.asarray(self.estimator_.classes_, dtype=np.intp)] = proba
        return check_finite_proba(
            full, self.estimator_, purpose="the consensus cannot be estimated"
        )

    def _posterior(self, L, X, pred_probs):
        check_is_fitted(self)
        L = self._validate_L(L, reset=False)
        P = self._model_proba(L, X, pred_probs)
        post = posterior(
            L,
            L >= 0,
            P,
            self.model_weight_,
            self.annotator_weights_,
            self.consensus_likelihood_,
            self.n_classes_,
        )
        return L, P, post

    def predict_proba(self, L, *, X=None, pred_probs=None):
        """CROWDLAB posterior of each item, with the fitted weights.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources seen in ``fit``.

        X : {array-like, sparse matrix} of shape (n_items, n_features), default=None
            Features of the items, when ``fit`` got ``X``.

        pred_probs : array-like of shape (n_items, n_classes), default=None
            The model's probabilities for the items, when ``fit`` got
            ``pred_probs``.

        Returns
        -------
        proba : ndarray of shape (n_items, n_classes)
            Rows sum to 1; an item without a vote gets the model's
            probabilities.
        """
        return self._posterior(L, X, pred_probs)[2]

    def predict(self, L, *, X=None, pred_probs=None):
        """Consensus label of each item: the posterior's argmax.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources seen in ``fit``.

        X : {array-like, sparse matrix} of shape (n_items, n_features), default=None
            Features of the items, when ``fit`` got ``X``.

        pred_probs : array-like of shape (n_items, n_classes), default=None
            The model's probabilities for the items, when ``fit`` got
            ``pred_probs``.

        Returns
        -------
        labels : ndarray of shape (n_items,)
            Class codes, or names when ``classes`` is given. Where the
            posterior ties, the majority vote (its ties broken as cleanlab
            breaks them, with the statistics of the training matrix).
        """
        labels = self._decide(*self._posterior(L, X, pred_probs))
        return self.classes_[labels]

    def score(self, L, y, *, X=None, pred_probs=None):
        """Accuracy of ``predict`` on the items with a known label.

        Parameters
        ----------
        L : {array-like, sparse matrix} of shape (n_items, n_sources)
            Label matrix with the sources seen in ``fit``.

        y : array-like of shape (n_items,)
            True labels (class codes, or labels of ``classes`` when given),
            ``-1`` (or None / NaN with ``classes``) where unknown: those items
            are left out.

        X : {array-like, sparse matrix} of shape (n_items, n_features), default=None
            Features of the items, when ``fit`` got ``X``.

        pred_probs : array-like of shape (n_items, n_classes), default=None
            The model's probabilities for the items, when ``fit`` got
            ``pred_probs``.

        Returns
        -------
        score : float
            Fraction of the items with a known label whose predicted label
            is right.
        """
        check_is_fitted(self)
        codes = self._encode_gold(
            y, _num_rows(L), self._names(), self.n_classes_, input_name="y"
        )
        known = codes >= 0
        if not known.any():
            raise ValueError(
                "y holds no known label (every entry is -1 or missing), so there "
                "is nothing to score; give the true label of at least one item."
            )
        pred = self._decide(*self._posterior(L, X, pred_probs))
        return float(np.mean(pred[known] == codes[known]))

    def _decide(self, L, P, post):
        """The posterior's argmax; where it ties, the majority vote."""
        top = post.max(axis=1)
        unique = (post == top[:, None]).sum(axis=1) == 1
        labels = np.argmax(post, axis=1)
        if not unique.all():
            rows = np.flatnonzero(~unique)
            Lr = L[rows]
            labels[rows] = majority_vote(
                Lr,
                Lr >= 0,
                vote_counts(Lr, self.n_classes_),
                P[rows],
                class_freq=self._class_freq,
                source_agreement=self._mv_agreement,
            )[0]
        return labels

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = False
        return tags


class _Constant:
    """The model when every training target is one class."""

    def __init__(self, label):
        self.classes_ = np.array([label])

    def predict_proba(self, X):
        return np.ones((_num_rows(X), 1))


def _plain_folds(n_splits, random_state):
    """KFold when no class has an item for every fold (stratifying fails)."""
    from sklearn.model_selection import KFold

    if random_state is None:
        return KFold(n_splits=n_splits)
    seed = stratified_folds(n_splits, random_state).random_state
    return KFold(n_splits=n_splits, shuffle=True, random_state=seed)


def _num_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _with_unvoted(res, voted, labels, P):
    """Per-item results over every item: the model's on those without a vote."""
    n = voted.size
    out = dict(res)
    rows = np.flatnonzero(~voted)
    for key, fill in (
        ("consensus_label", 0),
        ("consensus_quality_score", np.nan),
        ("annotator_agreement", np.nan),
        ("num_annotations", 0),
    ):
        full = np.full(n, fill, dtype=np.asarray(res[key]).dtype)
        full[voted] = res[key]
        out[key] = full
    out["consensus_label"][rows] = labels[rows]
    out["consensus_quality_score"][rows] = P[rows, labels[rows]]
    return out


def _frames(res, names):
    import pandas as pd

    label_quality = pd.DataFrame(
        {
            key: res[key]
            for key in (
                "consensus_label",
                "consensus_quality_score",
                "annotator_agreement",
                "num_annotations",
            )
        }
    )
    annotator_stats = pd.DataFrame(
        {
            key: res[key]
            for key in (
                "annotator_quality",
                "agreement_with_consensus",
                "worst_class",
                "num_examples_labeled",
            )
        },
        index=names,
    )
    return label_quality, annotator_stats
