"""A label matrix that remembers what its codes stand for.

:func:`sklabels.aggregation.to_label_matrix` returns its integer codes as a
:class:`LabelMatrix`: an ndarray that also carries ``classes`` (the label of
each code) and ``ordered`` (whether the order of the codes is an order of the
labels, or merely the sorted order of strings). Every consumer that wants a
plain array gets one (``np.asarray``, scikit-learn's validation, arithmetic,
comparisons); the agreement metrics read the two attributes to refuse an
ordered level of measurement on labels whose order nobody gave.
"""

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

__all__ = ["LabelMatrix", "as_label_matrix"]

# Label kinds whose sorted order is their natural order.
ORDERED_KINDS = {
    "integer",
    "floating",
    "mixed-integer-float",
    "decimal",
    "boolean",
    "datetime64",
    "datetime",
    "date",
    "timedelta64",
    "timedelta",
    "period",
    "empty",
}
_NUMERIC_KINDS = {"integer", "floating", "mixed-integer-float", "decimal"}


class LabelMatrix(np.ndarray):
    """Integer label matrix with its classes and whether their order is known.

    An ``ndarray`` subclass: indexing and slicing keep the attributes, while
    arithmetic, comparisons and reductions give plain arrays (their values
    are no longer class codes). It prints and pickles like the array it
    holds, the attributes included in the pickle.

    Attributes
    ----------
    classes : ndarray of shape (n_classes,)
        ``classes[c]`` is the label of code ``c``.
    ordered : bool
        True when the order of the codes is an order of the labels: the
        labels are numbers (or dates), the classes were given in order, or
        they come from an ordered categorical. False when the labels were
        merely sorted, as strings are (alphabetically).
    """

    def __new__(cls, codes, classes, ordered):
        obj = np.asarray(codes).view(cls)
        obj.classes = np.asarray(classes)
        obj.ordered = bool(ordered)
        return obj

    def __array_finalize__(self, obj):
        self.classes = getattr(obj, "classes", None)
        self.ordered = getattr(obj, "ordered", None)

    def __array_ufunc__(self, ufunc, method, *inputs, out=None, **kwargs):
        inputs = tuple(_plain(x) for x in inputs)
        if out is not None:
            kwargs["out"] = tuple(_plain(x) for x in out)
        return getattr(ufunc, method)(*inputs, **kwargs)

    def __repr__(self):
        return repr(self.view(np.ndarray))

    def __reduce__(self):
        constructor, args, state = super().__reduce__()
        return constructor, args, (state, self.classes, self.ordered)

    def __setstate__(self, state):
        if len(state) == 3 and isinstance(state[0], tuple):
            state, self.classes, self.ordered = state
        super().__setstate__(state)

    @property
    def numeric_classes(self):
        """True when the classes are numbers (their values can be measured)."""
        return (
            self.classes is not None
            and self.classes.size > 0
            and infer_dtype(self.classes, skipna=True) in _NUMERIC_KINDS
        )


def _plain(x):
    return x.view(np.ndarray) if isinstance(x, LabelMatrix) else x


def as_label_matrix(L, label_column, classes, class_values):
    """Wrap the codes built by ``to_label_matrix`` as a :class:`LabelMatrix`.

    ``classes`` is the argument the user gave (None when the classes were
    sorted from the data), ``class_values`` the classes of the codes in ``L``.
    An ordered categorical label column, with ``classes=None``, is recoded to
    all of its categories in their order.
    """
    if classes is not None:
        return LabelMatrix(L, class_values, ordered=True)
    dtype = label_column.dtype
    if isinstance(dtype, pd.CategoricalDtype) and dtype.ordered:
        categories = np.asarray(dtype.categories)
        table = np.append(dtype.categories.get_indexer(class_values), -1)
        return LabelMatrix(table[L], categories, ordered=True)
    kind = infer_dtype(class_values, skipna=True)
    return LabelMatrix(L, class_values, ordered=kind in ORDERED_KINDS)
