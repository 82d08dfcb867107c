"""Per-source statistics of a label matrix (Snorkel's LF summary)."""

import numpy as np
import pandas as pd

from sklabels.aggregation._matrix import check_gold, check_label_matrix, vote_counts
from sklabels.utils._compat import validate_params

__all__ = ["lf_summary"]


@validate_params(
    {"L": ["array-like"], "y": ["array-like", None], "names": ["array-like", None]},
    prefer_skip_nested_validation=True,
)
def lf_summary(L, y=None, names=None):
    """Summarise each labeling function (or annotator) of a label matrix.

    For each source (column of ``L``): the classes it votes for, how many
    items it labels, and how often it overlaps and conflicts with the other
    sources; with gold labels, how often it is right. Use it to find
    labeling functions that cover too little, conflict too much or are no
    better than chance, before fitting a :class:`LabelModel`.

    Read more in the :ref:`User Guide <weak_supervision>`.

    Parameters
    ----------
    L : array-like of shape (n_items, n_sources)
        The label matrix: class codes ``0..K-1``, ``-1`` for no vote. The
        column names of a DataFrame name the sources.

    y : array-like of shape (n_items,), default=None
        Gold labels, ``-1`` where unknown. When given, the columns
        "correct", "incorrect" and "empirical_accuracy" are added, counted
        on the items with a gold label.

    names : array-like of shape (n_sources,), default=None
        Names of the sources, the index of the result (unique); None uses
        the column names of a DataFrame ``L``, else ``0..n_sources-1``.

    Returns
    -------
    summary : pandas.DataFrame of shape (n_sources, 4) or (n_sources, 7)
        Indexed by source, with columns

        - "polarity": sorted list of the classes the source votes for;
        - "coverage": fraction of items it votes on;
        - "overlaps": fraction of items it votes on that another source also
          votes on;
        - "conflicts": fraction of items it votes on where another source
          votes a different class;
        - with ``y``: "correct" and "incorrect" (numbers of its votes on
          items with a gold label), "empirical_accuracy" (their ratio, NaN
          when it voted on no such item).

        "overlaps" and "conflicts" are fractions of *all* items, as in
        Snorkel, so they are at most "coverage".

    See Also
    --------
    LFApplier : Build the label matrix from labeling functions.
    LabelModel : Aggregate it into probabilistic labels.

    Examples
    --------
    >>> from sklabels.aggregation import lf_summary
    >>> L = [[0, 0, -1], [1, 0, -1], [-1, 1, 1], [-1, -1, 1]]
    >>> summary = lf_summary(L, y=[0, 1, 1, 0], names=["a", "b", "c"])
    >>> summary[["polarity", "coverage", "overlaps", "conflicts"]]
      polarity  coverage  overlaps  conflicts
    a   [0, 1]      0.50      0.50       0.25
    b   [0, 1]      0.75      0.75       0.25
    c      [1]      0.50      0.25       0.00
    >>> summary[["correct", "incorrect", "empirical_accuracy"]].round(2)
       correct  incorrect  empirical_accuracy
    a        2          0                1.00
    b        2          1                0.67
    c        1          1                0.50
    """
    frame_names = getattr(L, "columns", None)
    L = check_label_matrix(L)
    n_items, n_sources = L.shape
    gold = check_gold(y, n_items)
    if names is None:
        names = frame_names if frame_names is not None else np.arange(n_sources)
    names = pd.Index(names)
    if len(names) != n_sources:
        raise ValueError(
            f"names has {len(names)} entries but L has {n_sources} sources "
            "(columns); give one name per source."
        )
    if names.has_duplicates:
        repeated = names[names.duplicated()].unique().tolist()
        raise ValueError(
            f"names must be unique (they index the summary), got {repeated!r} "
            "more than once; give each source its own name."
        )
    top = max(int(L.max()), -1 if gold is None else int(gold.max()))
    n_classes = max(top + 1, 1)

    voted = L >= 0
    n_votes = voted.sum(axis=1)
    counts = vote_counts(L, n_classes)
    # Votes of the other sources for the class this source gave.
    same = np.take_along_axis(counts, np.maximum(L, 0), axis=1)
    conflict = voted & (n_votes[:, None] - same > 0)
    overlap = voted & (n_votes[:, None] > 1)

    items, sources = np.nonzero(voted)
    present = np.zeros((n_sources, n_classes), dtype=bool)
    present[sources, L[items, sources]] = True
    summary = pd.DataFrame(
        {
            "polarity": [np.flatnonzero(row).tolist() for row in present],
            "coverage": voted.mean(axis=0),
            "overlaps": overlap.mean(axis=0),
            "conflicts": conflict.mean(axis=0),
        },
        index=names,
    )
    if gold is not None:
        known = (gold >= 0)[:, None] & voted
        right = known & (L == gold[:, None])
        summary["correct"] = right.sum(axis=0)
        summary["incorrect"] = known.sum(axis=0) - summary["correct"]
        with np.errstate(invalid="ignore", divide="ignore"):
            summary["empirical_accuracy"] = summary["correct"] / known.sum(axis=0)
    return summary
