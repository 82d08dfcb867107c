"""Imbalance measures of multi-label data (Charte et al. 2015).

``IRLbl`` (imbalance ratio per label), ``MeanIR`` (their mean) and
``SCUMBLE`` (how much rare and frequent labels occur together). The public
functions validate ``Y`` once; the private kernels take the labels present
(a :class:`_Present`) and trust them.
"""

import numpy as np
from scipy import sparse

from sklabels.multilabel._validation import check_label_matrix, positive_mask
from sklabels.utils._compat import validate_params

__all__ = ["imbalance_ratio_per_label", "mean_imbalance_ratio", "scumble"]


class _Present:
    """Which labels each row holds, read once from a validated ``Y``.

    ``mask`` is a boolean (n_samples, n_labels) array for a dense ``Y`` and a
    boolean CSC matrix for a sparse one; ``counts`` the rows of each label.
    """

    def __init__(self, Y, classes):
        if sparse.issparse(Y):
            self.mask = positive_mask(Y, classes)
            self.counts = np.diff(self.mask.indptr)
        else:
            self.mask = np.asarray(Y == classes[1])
            self.counts = np.count_nonzero(self.mask, axis=0)
        self.shape = self.mask.shape
        self._csr = None

    @property
    def is_sparse(self):
        return sparse.issparse(self.mask)

    def csr(self):
        """The mask as a boolean CSR matrix (cached)."""
        if self._csr is None:
            self._csr = sparse.csr_matrix(self.mask)
        return self._csr

    def bag(self, j):
        """Rows holding label ``j``, in increasing order."""
        if self.is_sparse:
            return self.mask.indices[self.mask.indptr[j] : self.mask.indptr[j + 1]]
        return np.flatnonzero(self.mask[:, j])

    def bags(self, labels):
        """Rows holding each of ``labels``: a list of arrays."""
        if self.is_sparse or not len(labels):
            return [self.bag(j) for j in labels]
        columns = np.ascontiguousarray(self.mask[:, labels].T)  # one copy
        return [np.flatnonzero(column) for column in columns]

    def rows(self, rows):
        """Dense boolean labels of ``rows``, shape (len(rows), n_labels)."""
        if self.is_sparse:
            return self.csr()[rows].toarray()
        return self.mask[rows]


def check_present_labels(Y, *, input_name="Y", caller="This function"):
    """Validate ``Y``: (Y, [absent, present], its :class:`_Present`).

    Refuses a label present in no row: its imbalance ratio is infinite.
    """
    Y, classes = check_label_matrix(Y, input_name=input_name, caller=caller)
    present = _Present(Y, classes)
    empty = np.flatnonzero(present.counts == 0)
    if empty.size:
        shown = empty[:10].tolist()
        more = f" and {empty.size - 10} more" if empty.size > 10 else ""
        raise ValueError(
            f"{input_name} has label column(s) {shown}{more} present in no row "
            f"(of {Y.shape[0]}): the imbalance ratio of a label that never occurs "
            "is infinite. Drop those columns first, e.g. "
            f"{input_name}[:, {input_name}.sum(axis=0) > 0]; in cross-validation, "
            "keep every label in every training fold with "
            "sklabels.multilabel.MultilabelStratifiedKFold."
        )
    return Y, classes, present


def _irlbl(counts):
    """IRLbl from the number of rows holding each label (all > 0)."""
    counts = np.asarray(counts, dtype=float)
    return counts.max() / counts


def _scumble_rows(present, irlbl):
    """SCUMBLE of each row: 1 - geometric / arithmetic mean of its IRLbl."""
    rows = present.csr()
    n_labels = np.diff(rows.indptr)
    ir = irlbl[rows.indices]
    # sums per row of IRLbl and of log IRLbl over the labels the row holds
    starts = rows.indptr[:-1][n_labels > 0]
    sum_ir = np.zeros(rows.shape[0])
    sum_log = np.zeros(rows.shape[0])
    if ir.size:
        sum_ir[n_labels > 0] = np.add.reduceat(ir, starts)
        sum_log[n_labels > 0] = np.add.reduceat(np.log(ir), starts)
    out = np.zeros(rows.shape[0])
    has = n_labels > 0
    geometric = np.exp(sum_log[has] / n_labels[has])
    arithmetic = sum_ir[has] / n_labels[has]
    out[has] = 1.0 - geometric / arithmetic
    # a row with one label, or labels of equal IRLbl, is 0 up to rounding
    return np.clip(out, 0.0, None)


_Y_CONSTRAINT = {"Y": ["array-like", "sparse matrix"]}


@validate_params(_Y_CONSTRAINT, prefer_skip_nested_validation=True)
def imbalance_ratio_per_label(Y):
    """Imbalance ratio of each label (IRLbl, Charte et al. 2015).

    ``IRLbl(l) = max_l' count(l') / count(l)``: how many times rarer label
    ``l`` is than the most frequent label, where ``count(l)`` is the number
    of rows holding ``l``. The most frequent label has ``IRLbl = 1``.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        Binary indicator matrix: 1 (or True) where a row holds a label. Every
        label must be present in at least one row.

    Returns
    -------
    irlbl : ndarray of shape (n_labels,)
        Imbalance ratio of each label, at least 1.

    See Also
    --------
    mean_imbalance_ratio : Their mean (MeanIR).
    scumble : Concurrence of rare and frequent labels.
    MLROS, MLRUS, MLSMOTE : Samplers driven by these ratios.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing 163, 3-16, 2015.

    Examples
    --------
    >>> from sklabels.multilabel import imbalance_ratio_per_label
    >>> Y = [[1, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]]
    >>> imbalance_ratio_per_label(Y)
    array([1., 2., 4.])
    """
    _, _, present = check_present_labels(Y, caller="imbalance_ratio_per_label")
    return _irlbl(present.counts)


@validate_params(_Y_CONSTRAINT, prefer_skip_nested_validation=True)
def mean_imbalance_ratio(Y):
    """Mean imbalance ratio of the labels (MeanIR, Charte et al. 2015).

    The mean of :func:`imbalance_ratio_per_label` over the labels: 1 when
    every label occurs equally often, larger the more imbalanced the labels.
    The samplers :class:`MLROS`, :class:`MLRUS` and :class:`MLSMOTE` call a
    label with ``IRLbl > MeanIR`` a minority label and one with
    ``IRLbl < MeanIR`` a majority label.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        Binary indicator matrix; every label present in at least one row.

    Returns
    -------
    mean_ir : float
        Mean imbalance ratio, at least 1.

    See Also
    --------
    imbalance_ratio_per_label : The ratio of each label (IRLbl).
    scumble : Concurrence of rare and frequent labels.

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing 163, 3-16, 2015.

    Examples
    --------
    >>> from sklabels.multilabel import mean_imbalance_ratio
    >>> Y = [[1, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]]
    >>> mean_imbalance_ratio(Y)  # (1 + 2 + 4) / 3
    2.333...
    """
    _, _, present = check_present_labels(Y, caller="mean_imbalance_ratio")
    return float(_irlbl(present.counts).mean())


@validate_params(
    {**_Y_CONSTRAINT, "return_rows": ["boolean"]}, prefer_skip_nested_validation=True
)
def scumble(Y, *, return_rows=False):
    """Concurrence of rare and frequent labels in the same rows (SCUMBLE).

    For a row holding the labels ``S`` (Charte et al. 2014, 2015; the
    Atkinson index of their imbalance ratios)::

        SCUMBLE_i = 1 - geometric_mean(IRLbl[S]) / arithmetic_mean(IRLbl[S])

    It is 0 for a row with one label, or with labels of equal imbalance, and
    approaches 1 when a very rare label shares a row with very frequent
    ones. A row with no label counts as 0. The data set's SCUMBLE is the
    mean over the rows (as the R package mldr computes it). A high SCUMBLE
    (above about 0.1) warns that resampling by rows cannot separate rare
    labels from the frequent ones they co-occur with: cloning a rare label's
    rows also clones the frequent labels.

    Read more in the :ref:`User Guide <multilabel>`.

    Parameters
    ----------
    Y : {array-like, sparse matrix} of shape (n_samples, n_labels)
        Binary indicator matrix; every label present in at least one row.

    return_rows : bool, default=False
        Also return the SCUMBLE of each row.

    Returns
    -------
    scumble : float
        Mean SCUMBLE over the rows, in [0, 1).

    scumble_rows : ndarray of shape (n_samples,)
        SCUMBLE of each row; only when ``return_rows=True``.

    See Also
    --------
    imbalance_ratio_per_label : The ratio of each label (IRLbl).
    mean_imbalance_ratio : Their mean (MeanIR).

    References
    ----------
    .. [1] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "Concurrence among imbalanced labels and its influence on multilabel
       resampling algorithms", HAIS 2014, LNCS 8480, 110-121.
    .. [2] F. Charte, A. J. Rivera, M. J. del Jesus and F. Herrera,
       "Addressing imbalance in multilabel classification: Measures and
       random resampling algorithms", Neurocomputing 163, 3-16, 2015.

    Examples
    --------
    >>> from sklabels.multilabel import scumble
    >>> Y = [[1, 1, 0], [1, 0, 0], [1, 0, 1], [1, 1, 0]]
    >>> total, rows = scumble(Y, return_rows=True)
    >>> rows.round(4)  # row 2: 1 - sqrt(1 * 4) / ((1 + 4) / 2)
    array([0.0572, 0.    , 0.2   , 0.0572])
    >>> round(total, 4)
    0.0786
    """
    _, _, present = check_present_labels(Y, caller="scumble")
    rows = _scumble_rows(present, _irlbl(present.counts))
    total = float(rows.mean())
    return (total, rows) if return_rows else total
