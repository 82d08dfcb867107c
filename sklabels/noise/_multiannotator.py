"""CROWDLAB: consensus labels and quality scores for data with many annotators.

:func:`multiannotator_label_quality` combines the labels of several
annotators per item with a model's out-of-sample predicted probabilities
(Goh, Tkachenko and Mueller, 2022) and returns cleanlab 2.9's numbers for
the same input (``multiannotator.get_label_quality_multiannotator`` at its
defaults). The kernels below trust their input; the public function
validates once. They loop over annotators and classes, never over items,
and where a sum decides a tie (the majority vote, the posterior's argmax)
it is taken in cleanlab's order, so that ties fall the same way.
"""

import numpy as np
import pandas as pd
from scipy import sparse

from sklabels.noise._count import _check_pred_probs
from sklabels.utils._compat import StrOptions, validate_params
from sklabels.utils._label_matrix import LabelMatrix, SparseLabelMatrix, sparse_votes
from sklabels.utils._progress import warn_once

__all__ = ["multiannotator_label_quality"]

# cleanlab's lower bound on the weights (``CLIPPING_LOWER_BOUND``).
_CLIP_LOW = 1e-6


# ---------------------------------------------------------------------------
# Kernels (trusted input: L int64 (n, M) with -1 for no label, P float64 (n, K))
# ---------------------------------------------------------------------------


def _count_dtype(n_max):
    """The smallest unsigned integer dtype that holds counts up to ``n_max``."""
    for dtype in (np.uint8, np.uint16, np.uint32):
        if n_max <= np.iinfo(dtype).max:
            return dtype
    return np.int64


def vote_counts(L, n_classes):
    """(n, K) number of annotators who gave each class to each item.

    In the smallest unsigned dtype that holds ``n_sources`` (uint8 up to 255
    annotators): this matrix is the largest the kernels keep besides the
    posterior.
    """
    ks = np.arange(n_classes)
    counts = np.zeros((L.shape[0], n_classes), dtype=_count_dtype(L.shape[1]))
    for a in range(L.shape[1]):
        counts += L[:, a, None] == ks
    return counts


def _agreement_with_consensus(L, has, cons, rows=None):
    """Per annotator: share of its labels (on ``rows``) equal to ``cons``."""
    out = np.full(L.shape[1], np.nan)
    for a in range(L.shape[1]):
        sel = has[:, a] if rows is None else has[:, a] & rows
        if sel.any():
            out[a] = np.mean(L[sel, a] == cons[sel])
    return out


def _impute_mean(values):
    """NaN entries replaced by the mean of the others (kept NaN if all are)."""
    nan = np.isnan(values)
    if nan.any() and not nan.all():
        values[nan] = np.mean(values[~nan])
    return values


def majority_vote(L, has, counts, P, *, class_freq=None, source_agreement=None):
    """cleanlab's majority vote with its tie rules; also the tie-break statistics.

    Ties between the most voted classes are broken by, in turn: the largest
    ``P`` among them; the class with the fewest votes in the whole matrix
    (``class_freq``); the largest mean ``source_agreement`` (the agreement
    of each annotator with the untied majority votes, imputed by the mean)
    of the annotators who voted the class. cleanlab then draws at random;
    this kernel takes the smallest remaining class code. ``class_freq`` and
    ``source_agreement`` are computed from ``L`` when not given (given, they
    come from a fitted model, so that a row's vote does not depend on the
    other rows).

    Returns ``(labels, class_freq, source_agreement)``; items without a vote
    get the argmax of ``P``.
    """
    top = counts.max(axis=1)
    modes = counts == top[:, None]
    modes[top == 0] = True  # no vote: every class a candidate, P decides
    n_modes = modes.sum(axis=1)
    labels = np.argmax(modes, axis=1)
    if class_freq is None:
        class_freq = counts.sum(axis=0, dtype=np.int64).astype(np.float64)
    if source_agreement is None:
        untied = n_modes == 1
        source_agreement = _impute_mean(
            _agreement_with_consensus(L, has, labels, rows=untied)
        )
    tied = np.flatnonzero(n_modes > 1)
    if tied.size == 0:
        return labels, class_freq, source_agreement
    cand = modes[tied]
    # 1. the model's probability of the candidates
    _keep_best(cand, P[tied], np.max)
    # 2. the rarer class in the whole label matrix
    _keep_best(cand, np.broadcast_to(class_freq, cand.shape), np.min)
    # 3. the mean agreement of the annotators who voted the class
    ks = np.arange(counts.shape[1])
    score = np.zeros(cand.shape)
    Lt = L[tied]
    for a in range(L.shape[1]):  # in annotator order, as cleanlab's np.mean
        np.add(score, source_agreement[a], out=score, where=Lt[:, a, None] == ks)
    with np.errstate(invalid="ignore", divide="ignore"):
        score /= counts[tied]
    _keep_best(cand, score, np.max)
    labels[tied] = np.argmax(cand, axis=1)  # cleanlab: a random candidate
    return labels, class_freq, source_agreement


def _keep_best(cand, values, best):
    """Keep, per row, the candidates whose value is the best (in place).

    Rows whose best value is NaN (no information) keep their candidates.
    """
    fill = -np.inf if best is np.max else np.inf
    masked = np.where(cand, values, fill)
    b = best(masked, axis=1)
    keep = cand & (masked == b[:, None])
    has_best = keep.any(axis=1)
    cand[has_best] = keep[has_best]


def agreement_with_annotators(L, has, counts, num):
    """Per annotator, the share of the other annotators of its items who agree.

    A weighted average over its items, each weighted by its number of other
    annotators (cleanlab's ``_get_annotator_agreement_with_annotators``, the
    same operations); imputed by the mean for annotators who share no item.
    """
    rows = np.arange(L.shape[0])
    out = np.full(L.shape[1], np.nan)
    for a in range(L.shape[1]):
        sel = has[:, a]
        n_other = num[sel] - 1
        if n_other.sum() == 0:
            continue
        agree = counts[rows[sel], L[sel, a]].astype(np.float64)
        per_item = np.zeros(agree.size)
        multi = n_other > 0
        per_item[multi] = (agree[multi] - 1) / n_other[multi]
        out[a] = np.average(per_item, weights=n_other)
    return _impute_mean(out)


def posterior(L, has, P, model_weight, annotator_weight, likelihood, n_classes):
    """CROWDLAB's posterior: a weighted average of the model and the annotators.

    Each annotator of an item contributes, with its weight, ``likelihood``
    to the class it chose and ``(1 - likelihood) / (K - 1)`` to each other
    class; the model contributes ``P`` with ``model_weight``. The terms are
    added annotator by annotator, as cleanlab adds them, so the result is
    the same to the last bit (and exact ties stay ties).
    """
    ks = np.arange(n_classes)
    other = (1 - likelihood) / (n_classes - 1)
    post = P * model_weight
    total = np.zeros(L.shape[0])
    for a in range(L.shape[1]):
        w = annotator_weight[a]
        col = has[:, a]
        np.add(total, w, out=total, where=col)
        # one addition per entry, as cleanlab's: w * other to the classes the
        # annotator did not give, w * likelihood to the one it gave
        not_given = L[:, a, None] != ks
        not_given &= col[:, None]
        np.add(post, w * other, out=post, where=not_given)
        rows = np.flatnonzero(col)
        post[rows, L[rows, a]] += w * likelihood
    total += model_weight
    post /= total[:, None]
    return post


def crowdlab_weights(cons, agreement, num, model_pred, source_agreement, n_classes):
    """Model weight, annotator weights and consensus likelihood (cleanlab's).

    Estimated on the items with two or more annotators: the likelihood is
    their mean agreement with the consensus; each weight is one minus the
    error (of the model, or the disagreement of an annotator with the
    others) relative to the error of always predicting the most common
    consensus class, clipped at 1e-6; the model weight is scaled by the
    square root of the mean number of annotations per item.
    """
    multi = num != 1
    likelihood = np.mean(agreement[multi])
    cons_multi = cons[multi]
    common = np.argmax(np.bincount(cons_multi, minlength=n_classes))
    baseline_error = np.clip(np.mean(cons_multi != common), _CLIP_LOW, None)
    annotator_weight = np.clip(
        1 - ((1 - source_agreement) / baseline_error), _CLIP_LOW, None
    )
    model_error = np.mean(model_pred[multi] != cons_multi)
    model_weight = np.max([(1 - (model_error / baseline_error)), _CLIP_LOW]) * np.sqrt(
        np.mean(num)
    )
    return float(model_weight), annotator_weight, float(likelihood)


def _consensus_stats(L, has, counts, num, P, model_pred, cons, source_agr, method):
    """Per item agreement with ``cons`` and the posterior, for one consensus."""
    n, K = P.shape
    agreement = counts[np.arange(n), cons] / num
    if method == "agreement":
        return agreement, counts / num[:, None], None
    weights = crowdlab_weights(cons, agreement, num, model_pred, source_agr, K)
    post = posterior(L, has, P, *weights, K)
    return agreement, post, weights


def compact_codes(L, n_classes):
    """``L`` column-major in the smallest signed dtype that holds its codes.

    The kernels loop over annotators: each pass then reads one contiguous
    column of bytes (int8 up to 127 classes) rather than a strided column of
    int64, and the copy costs an eighth of ``L``.
    """
    for dtype in (np.int8, np.int16, np.int32):
        if n_classes <= np.iinfo(dtype).max:
            break
    else:
        dtype = np.int64
    return np.asfortranarray(L, dtype=dtype)


def crowdlab(L, P, *, quality_method="crowdlab"):
    """Everything :func:`multiannotator_label_quality` reports, as arrays.

    Also used by :class:`sklabels.aggregation.CrowdLab`, which keeps the
    weights and the tie-break statistics to score new items.
    """
    n, K = P.shape
    L = compact_codes(L, K)
    has = L >= 0
    num = has.sum(axis=1)
    counts = vote_counts(L, K)
    mv, class_freq, mv_agreement = majority_vote(L, has, counts, P)
    model_pred = np.argmax(P, axis=1)
    source_agr = (
        agreement_with_annotators(L, has, counts, num)
        if quality_method == "crowdlab"
        else None
    )
    stats = (L, has, counts, num, P, model_pred)
    agreement, post, weights = _consensus_stats(*stats, mv, source_agr, quality_method)
    mv_weights = weights
    # "best_quality": the posterior's argmax where unique, else the vote
    top = post.max(axis=1)
    unique = (post == top[:, None]).sum(axis=1) == 1
    cons = np.where(unique, np.argmax(post, axis=1), mv)
    if not np.array_equal(cons, mv):
        del post  # one (n, K) posterior at a time
        agreement, post, weights = _consensus_stats(
            *stats, cons, source_agr, quality_method
        )
    rows = np.arange(n)
    quality = post[rows, cons] if quality_method == "crowdlab" else agreement
    # per annotator
    M = L.shape[1]
    label_score = np.full(M, np.nan)
    for a in range(M):
        sel = has[:, a]
        label_score[a] = post[rows[sel], L[sel, a]].mean()
    agr_multi = _agreement_with_consensus(L, has, cons, rows=num != 1)
    if quality_method == "crowdlab":
        model_weight, annotator_weight, _ = weights
        adjusted = np.sum(annotator_weight) * (np.mean(num) / M)
        w = model_weight / (model_weight + adjusted)
        annotator_quality = w * label_score + (1 - w) * agr_multi
    else:
        annotator_quality = agr_multi
    return {
        "consensus_label": cons,
        "consensus_quality_score": quality,
        "annotator_agreement": agreement,
        "num_annotations": num,
        "post": post,
        "weights": weights,
        "mv_weights": mv_weights,
        "majority_vote": mv,
        "class_freq": class_freq,
        "mv_agreement": mv_agreement,
        "annotator_quality": annotator_quality,
        "agreement_with_consensus": _agreement_with_consensus(L, has, cons),
        "worst_class": worst_class(L, has, cons, quality, K),
        "num_examples_labeled": has.sum(axis=0),
        "label_score": label_score,
        "any_agreement": bool((counts > 1).any()),
    }


def worst_class(L, has, cons, quality, n_classes):
    """Per annotator, the class of its labels that most often misses the consensus.

    Among the classes it used, the lowest share equal to the consensus;
    ties go to the class it used most, then to the highest mean consensus
    quality, then to the smallest class (cleanlab's rules).
    """
    out = np.zeros(L.shape[1], dtype=np.int64)
    for a in range(L.shape[1]):
        sel = has[:, a]
        labels = L[sel, a]
        used = np.bincount(labels, minlength=n_classes)
        right = np.bincount(labels, weights=labels == cons[sel], minlength=n_classes)
        cand = (used > 0)[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            _keep_best(cand, (right / used)[None, :], np.min)
        _keep_best(cand, used[None, :].astype(np.float64), np.max)
        if cand.sum() > 1:  # rare: pandas' grouped mean, as cleanlab takes it
            means = pd.Series(quality[sel]).groupby(labels).mean()
            score = np.full(n_classes, np.nan)
            score[means.index.to_numpy()] = means.to_numpy()
            _keep_best(cand, score[None, :], np.max)
        out[a] = np.argmax(cand[0])
    return out


def detailed_quality(L, has, post):
    """(n, M) quality of each annotator's label: its posterior, NaN if none."""
    out = np.full(L.shape, np.nan)
    rows = np.arange(L.shape[0])
    for a in range(L.shape[1]):
        sel = has[:, a]
        out[sel, a] = post[rows[sel], L[sel, a]]
    return out


# ---------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------


def read_label_matrix(L, *, input_name="L"):
    """A label matrix in any accepted form -> (int64 codes, names, item index).

    Accepts an array-like or :class:`~sklabels.utils._label_matrix.LabelMatrix`
    (``-1`` for no label), a scipy.sparse matrix (code plus one stored), or a
    DataFrame whose columns are the annotators (``-1``, NaN, None or
    ``pd.NA`` for no label, as cleanlab takes it). Returns the codes, the
    annotator names (None for unnamed columns), the item index (None) and
    the class names the matrix carries (None).
    """
    names = index = classes = None
    if isinstance(L, (LabelMatrix, SparseLabelMatrix)) and L.classes is not None:
        classes = np.asarray(L.classes)
    if isinstance(L, pd.DataFrame):
        names, index = L.columns, L.index
        kinds = {getattr(dtype, "kind", "O") for dtype in L.dtypes}
        if kinds <= set("iuf"):
            values = L.to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
            values[np.isnan(values)] = -1
            L = values
        else:  # object columns: None / pd.NA -> -1, strings refused below
            L = L.where(L.notna(), -1).to_numpy()
    if sparse.issparse(L):
        rows, cols, values = sparse_votes(L, input_name=input_name)
        codes = np.full(L.shape, -1, dtype=np.int64)
        codes[rows, cols] = values
        return codes, names, index, classes
    if isinstance(L, LabelMatrix):
        L = L.view(np.ndarray)
    # imported here: sklabels.aggregation imports this module (CrowdLab)
    from sklabels.aggregation._matrix import check_label_matrix

    return check_label_matrix(L, input_name=input_name), names, index, classes


def _annotator_name(names, a):
    return repr(names[a]) if names is not None else str(a)


def check_coverage(L, names=None):
    """Refuse what CROWDLAB cannot estimate (as cleanlab refuses it).

    Items without any label, annotators without any label, and a matrix
    where no item has two labels (the annotators' reliability is estimated
    from the items they share).
    """
    has = L >= 0
    empty = ~has.any(axis=1)
    if empty.any():
        rows = np.flatnonzero(empty)
        raise ValueError(
            f"L has {rows.size} item(s) without any label, e.g. rows "
            f"{rows[:5].tolist()!r}; every item needs at least one annotation "
            "(cleanlab refuses them too). Drop these rows from L and the same rows "
            "from pred_probs (or X)."
        )
    silent = ~has.any(axis=0)
    if silent.any():
        shown = [_annotator_name(names, a) for a in np.flatnonzero(silent)[:5]]
        raise ValueError(
            f"L has {int(silent.sum())} annotator(s) (columns) without any label: "
            f"{', '.join(shown)}; every annotator needs at least one label. Drop "
            "these columns."
        )
    if not (has.sum(axis=1) > 1).any():
        raise ValueError(
            f"L has no item labeled by two or more annotators (shape {L.shape}); "
            "CROWDLAB estimates the annotators' reliability from items they "
            "share. With one label per item, score it with "
            "sklabels.noise.label_quality_scores instead."
        )


def check_multiannotator(L, pred_probs, classes=None):
    """Validate the inputs of :func:`multiannotator_label_quality`.

    Returns ``(L, P, annotator names, item index, class names)``.
    """
    L, names, index, carried = read_label_matrix(L)
    P, _, _ = _check_pred_probs(pred_probs, batch_size=None)
    P = np.asarray(P, dtype=np.float64)
    n, K = P.shape
    if K < 2:
        raise ValueError(
            f"pred_probs must have at least 2 columns (one per class), got {K}."
        )
    if L.shape[0] != n:
        raise ValueError(
            f"L has {L.shape[0]} items (rows) but pred_probs has {n} rows; give one "
            "row of predicted probabilities per item, in the same order."
        )
    if L.size and L.max() >= K:
        i, j = np.argwhere(L >= K)[0]
        raise ValueError(
            f"L holds the class code {L[i, j].item()!r} in row {i}, column {j} but "
            f"pred_probs has {K} columns (classes 0..{K - 1}); every class an "
            "annotator used needs a column of pred_probs."
        )
    check_coverage(L, names)
    if classes is None:
        classes = carried
        source = "the classes L carries"
    else:
        classes = np.asarray(classes)
        source = "classes"
    if classes is not None and (classes.ndim != 1 or classes.size != K):
        raise ValueError(
            f"{source} ({classes.tolist()!r}) must name the {K} columns of "
            f"pred_probs, one name per column; pass classes=[...] with {K} names."
        )
    return L, P, names, index, classes


# ---------------------------------------------------------------------------
# Public function
# ---------------------------------------------------------------------------


@validate_params(
    {
        "L": ["array-like", "sparse matrix"],
        "pred_probs": ["array-like"],
        "classes": ["array-like", None],
        "quality_method": [StrOptions({"crowdlab", "agreement"})],
        "return_detailed_quality": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def multiannotator_label_quality(
    L,
    pred_probs,
    classes=None,
    *,
    quality_method="crowdlab",
    return_detailed_quality=False,
):
    """Consensus labels and quality scores for items labeled by several annotators.

    CROWDLAB [1]_: each item's consensus label and how likely it is to be
    correct, the agreement of its annotators, and the quality of each
    annotator, from the annotators' labels and a model's out-of-sample
    predicted probabilities. The numbers equal those of cleanlab 2.9's
    ``multiannotator.get_label_quality_multiannotator(labels, pred_probs)``
    at its defaults.

    Read more in the :ref:`User Guide <crowdlab>`.

    Parameters
    ----------
    L : {array-like, sparse matrix, DataFrame} of shape (n_items, n_annotators)
        The label matrix: class codes ``0..K-1`` (columns of ``pred_probs``),
        ``-1`` where an annotator gave no label. A DataFrame's columns name
        the annotators, and NaN / None / ``pd.NA`` also mark no label (the
        form cleanlab takes); its index indexes the items in the result. A
        scipy.sparse matrix stores the code plus one (``1..K``), as
        ``to_label_matrix(..., sparse_output=True)`` returns it. Every item
        needs at least one label, every annotator too, and at least one
        item needs two.

    pred_probs : array-like of shape (n_items, n_classes)
        Out-of-sample predicted class probabilities of a model (e.g. from
        ``cross_val_predict(..., method="predict_proba")`` on the majority
        vote): non-negative, rows summing to 1.

    classes : array-like of shape (n_classes,), default=None
        Names of the classes (of the columns of ``pred_probs``):
        ``consensus_label`` and ``worst_class`` are then given as names.
        None uses the classes a :class:`LabelMatrix` from
        :func:`~sklabels.aggregation.to_label_matrix` carries, else the codes.

    quality_method : {"crowdlab", "agreement"}, default="crowdlab"
        ``"crowdlab"`` weighs the annotators and the model; ``"agreement"``
        scores an item by the share of its annotators who agree with the
        consensus and an annotator by its agreement with the consensus (on
        items with two or more labels), ignoring the model except to break
        ties.

    return_detailed_quality : bool, default=False
        Also return the quality of each annotator's label on each item.

    Returns
    -------
    label_quality : DataFrame of shape (n_items, 4)
        One row per item: ``consensus_label``, ``consensus_quality_score``
        (in [0, 1], low when the consensus is likely wrong),
        ``annotator_agreement`` (share of the item's annotators who chose
        the consensus label) and ``num_annotations``.

    annotator_stats : DataFrame of shape (n_annotators, 4)
        One row per annotator, in the order of the columns of ``L`` (indexed
        0..M-1, or by the DataFrame's column names): ``annotator_quality``
        (NaN for an annotator who only labeled items nobody else labeled),
        ``agreement_with_consensus``, ``worst_class`` (the class of its
        labels that most often differs from the consensus) and
        ``num_examples_labeled``. cleanlab returns the same rows sorted by
        ``annotator_quality`` then ``agreement_with_consensus``.

    detailed_label_quality : DataFrame of shape (n_items, n_annotators)
        Only with ``return_detailed_quality=True``: columns
        ``quality_annotator_<name>``, the score of each annotator's label
        (NaN where it gave none).

    See Also
    --------
    sklabels.aggregation.CrowdLab : The same method as an aggregator that
        fits the model itself and scores new items.
    label_quality_scores : Label quality with one label per item.

    Notes
    -----
    The consensus starts as the majority vote. Its ties are broken as
    cleanlab breaks them: by the model's probability, then towards the class
    with fewer votes in the whole matrix, then by the mean agreement of the
    class's voters with the untied majority votes. Where all three tie
    cleanlab draws at random (and warns); here the smallest class code is
    taken, so the result is reproducible. The consensus becomes the
    argmax of the CROWDLAB posterior where that is unique. Items without
    any label are refused, as cleanlab refuses them.

    With ``quality_method="agreement"`` cleanlab 2.9 counts the votes of an
    item by the sorted classes present rather than by class whenever the
    label matrix has missing labels (its ``value_counts`` on float labels),
    so an item labeled ``[1, 1]`` gets the consensus 0 there; here the votes
    are counted by class, and the two agree on a complete integer matrix.

    References
    ----------
    .. [1] H. W. Goh, U. Tkachenko and J. Mueller, "CROWDLAB: Supervised
       learning to infer consensus labels and quality scores for data with
       multiple annotators", NeurIPS 2022 Human in the Loop Learning
       Workshop, arXiv:2210.06812.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import multiannotator_label_quality
    >>> L = np.array([[0, 0, -1], [1, 1, 0], [1, -1, 1], [0, 1, 0]])
    >>> pred_probs = np.array([[0.8, 0.2], [0.3, 0.7], [0.4, 0.6], [0.9, 0.1]])
    >>> items, annotators = multiannotator_label_quality(L, pred_probs)
    >>> items["consensus_label"].tolist()
    [0, 1, 1, 0]
    >>> items["annotator_agreement"].round(2).tolist()
    [1.0, 0.67, 1.0, 0.67]
    >>> annotators["num_examples_labeled"].tolist()
    [4, 3, 3]
    """
    L, P, names, index, classes = check_multiannotator(L, pred_probs, classes)
    res = crowdlab(L, P, quality_method=quality_method)
    if not res["any_agreement"]:
        warn_once(
            "No two annotators agree on any item of L; the consensus rests on "
            "the model alone. Check that the columns of L are annotators and "
            "the codes follow the columns of pred_probs.",
            UserWarning,
            stacklevel=3,  # past validate_params' wrapper
        )
    cons, worst = res["consensus_label"], res["worst_class"]
    if classes is not None:
        cons, worst = classes[cons], classes[worst]
    label_quality = pd.DataFrame(
        {
            "consensus_label": cons,
            "consensus_quality_score": res["consensus_quality_score"],
            "annotator_agreement": res["annotator_agreement"],
            "num_annotations": res["num_annotations"],
        },
        index=index,
    )
    annotator_stats = pd.DataFrame(
        {
            "annotator_quality": res["annotator_quality"],
            "agreement_with_consensus": res["agreement_with_consensus"],
            "worst_class": worst,
            "num_examples_labeled": res["num_examples_labeled"],
        },
        index=names,
    )
    if not return_detailed_quality:
        return label_quality, annotator_stats
    columns = names if names is not None else pd.RangeIndex(L.shape[1])
    detailed = pd.DataFrame(
        detailed_quality(L, L >= 0, res["post"]),
        index=index,
        columns=[f"quality_annotator_{c}" for c in columns],
    )
    return label_quality, annotator_stats, detailed
