"""One call from a long table of annotations to a table of labels."""

import numpy as np
import pandas as pd
from sklearn.base import clone

from sklabels.aggregation._base import BaseAggregator
from sklabels.aggregation._matrix import to_label_matrix
from sklabels.utils._compat import HasMethods, StrOptions, validate_params

__all__ = ["aggregate"]

_RESERVED = ("label", "confidence")


@validate_params(
    {
        "data": [pd.DataFrame],
        "model": [HasMethods(["fit", "predict", "predict_proba"])],
        "item": "no_validation",
        "source": "no_validation",
        "label": "no_validation",
        "classes": ["array-like", None],
        "duplicates": [StrOptions({"error", "first", "last"})],
        "return_model": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def aggregate(
    data,
    model,
    item="item",
    source="source",
    label="label",
    *,
    classes=None,
    duplicates="error",
    return_model=False,
):
    """Aggregate a long table of annotations into one label per item.

    Builds the label matrix with :func:`to_label_matrix`, fits a clone of
    ``model`` on it with the classes of the table, and returns the result in
    the terms of the table: one row per item, indexed by the item ids, with
    the label in its original value, its probability, and the probability
    of every class. The user's ``model`` is not modified; pass
    ``return_model=True`` to get the fitted clone, whose ``source_quality_``
    is then indexed by the source ids.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    data : pandas.DataFrame
        Long table with one row per annotation (see :func:`to_label_matrix`).

    model : aggregator
        An unfitted aggregator of :mod:`sklabels.aggregation`, such as
        ``DawidSkene()``; it is cloned, never fitted in place. Its
        ``classes`` parameter, when set, fixes the classes (and their order);
        its ``n_classes`` must then agree.

    item, source, label : hashable, default="item", "source", "label"
        Column names of the item ids, the source ids and the labels.

    classes : array-like of shape (n_classes,), default=None
        The classes, in order; None uses the model's ``classes`` if set,
        else the sorted distinct labels of ``data``. A class nobody used
        still gets its probability column.

    duplicates : {"error", "first", "last"}, default="error"
        What to do when a source labeled an item more than once (see
        :func:`to_label_matrix`).

    return_model : bool, default=False
        Also return the fitted clone of ``model``.

    Returns
    -------
    result : pandas.DataFrame of shape (n_items, 2 + n_classes)
        Indexed by the item ids (in order of first appearance in ``data``;
        the index is named after the ``item`` column). Columns: ``label``,
        the aggregated label (missing, NaN, for an item without any label
        or on which the model abstains); ``confidence``, the model's
        probability of that label (NaN where there is none); then one
        column per class, named by the class, holding its probability
        (rows sum to 1; an item without any label gets the class priors).

    model : aggregator
        The fitted clone; returned only with ``return_model=True``.

    See Also
    --------
    to_label_matrix : The long table as a label matrix.
    DawidSkene, MajorityVote : Aggregators to pass as ``model``.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklabels.aggregation import MajorityVote, aggregate
    >>> data = pd.DataFrame({
    ...     "item": ["q1", "q1", "q1", "q2", "q2", "q3"],
    ...     "source": ["ann", "bob", "cid", "ann", "cid", "bob"],
    ...     "label": ["cat", "cat", "dog", "dog", "dog", "cat"],
    ... })
    >>> aggregate(data, MajorityVote()).round(2)
         label  confidence   cat   dog
    item
    q1     cat        0.67  0.67  0.33
    q2     dog        1.00  0.00  1.00
    q3     cat        1.00  1.00  0.00
    """
    if not isinstance(model, BaseAggregator):
        raise TypeError(
            f"model must be an aggregator of sklabels.aggregation (such as "
            f"DawidSkene()), got {model!r}."
        )
    if classes is None and model.classes is not None:
        classes = model.classes
    L, item_ids, source_ids, class_values = to_label_matrix(
        data,
        item,
        source,
        label,
        classes=classes,
        duplicates=duplicates,
        sparse_output=_sparse_is_smaller(data, item, source),
    )
    class_values = np.asarray(class_values)
    for name in _RESERVED:
        if any(_same(c, name) for c in class_values):
            raise ValueError(
                f"The label column holds the class {name!r}, which is also the "
                f"name of an output column ({list(_RESERVED)!r}); rename that "
                "class (e.g. with data[label].replace(...)) before aggregating."
            )
    if class_values.size < 2:
        raise ValueError(
            f"data holds a single class {class_values.tolist()!r}; aggregation "
            "needs at least 2 classes. Pass classes=[...] listing every class."
        )
    fitted = clone(model).set_params(classes=list(class_values))
    if fitted.n_classes is not None and fitted.n_classes != class_values.size:
        raise ValueError(
            f"model has n_classes={fitted.n_classes!r} but data holds "
            f"{class_values.size} classes {class_values.tolist()!r}; set "
            "n_classes=None or pass classes=[...] with one entry per class."
        )
    fitted.fit(L)
    quality = fitted.source_quality_
    fitted.source_quality_ = pd.Series(
        np.asarray(quality, dtype=np.float64),
        index=pd.Index(source_ids, name=source),
        name="source_quality",
    )
    proba = fitted.predict_proba(L)
    codes = fitted._predict_codes(L)
    has = codes >= 0
    labels = pd.array(
        np.where(has, class_values.astype(object)[np.maximum(codes, 0)], None),
        dtype=object,
    )
    confidence = np.where(
        has, proba[np.arange(codes.size), np.maximum(codes, 0)], np.nan
    )
    index = pd.Index(item_ids, name=item)
    result = pd.DataFrame({"label": labels, "confidence": confidence}, index=index)
    probs = pd.DataFrame(proba, index=index, columns=pd.Index(class_values.tolist()))
    result = pd.concat([result, probs], axis=1)
    if class_values.dtype.kind in "iufb" and has.all():
        result["label"] = result["label"].astype(class_values.dtype)
    return (result, fitted) if return_model else result


def _same(value, name):
    try:
        return bool(value == name)
    except (TypeError, ValueError):
        return False


def _sparse_is_smaller(data, item, source):
    """Whether the sparse label matrix is the smaller one.

    Sparse when fewer than a quarter of the (item, source) cells hold a
    label: the dense form stores every cell, the sparse one about three
    numbers per label. Missing columns are left for ``to_label_matrix`` to
    report.
    """
    if item not in data.columns or source not in data.columns:
        return False
    cells = data[item].nunique() * data[source].nunique()
    return cells > 4 * data.shape[0]
