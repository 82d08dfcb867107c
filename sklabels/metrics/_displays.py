"""Displays of label noise, annotators and labeling functions.

:class:`NoiseMatrixDisplay` (confident joint or noise matrix heat map),
:class:`AnnotatorConfusionDisplay` (one confusion matrix per source),
:class:`LFSummaryDisplay` (coverage, overlap and conflict bars per labeling
function) and :class:`LabelIssuesDisplay` (the worst flagged rows, as a table
or as images). They follow scikit-learn's display pattern: build them with
``from_estimator`` or ``from_predictions``, or construct them from the
numbers and call ``plot``.

matplotlib is an optional dependency (``pip install sklabels[plot]``): it is
imported only when something is drawn.
"""

from numbers import Integral

import numpy as np
import pandas as pd

from sklabels.utils._compat import check_is_fitted
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._plotting import import_pyplot

__all__ = [
    "AnnotatorConfusionDisplay",
    "LFSummaryDisplay",
    "LabelIssuesDisplay",
    "NoiseMatrixDisplay",
]

_fill_doc = make_fill_doc(
    {
        "heatmap": """\
include_values : bool, default=True
    Whether to write each value in its cell.

values_format : str, default=None
    Format specification of the values written in the cells; None uses
    "d" for integer matrices and ".2f" otherwise.

cmap : str or matplotlib Colormap, default="Blues"
    Colormap of the heat map.

colorbar : bool, default=True
    Whether to add a colour bar.

im_kw : dict, default=None
    Keyword arguments for :meth:`matplotlib.axes.Axes.imshow`.

text_kw : dict, default=None
    Keyword arguments for the :meth:`matplotlib.axes.Axes.text` calls
    writing the values.""",
        "ax_grid": """\
ax : matplotlib Axes, default=None
    Axes whose area holds the grid of panels (it is turned off and split);
    None creates a new figure.""",
        "n_panel_cols": """\
n_cols : int, default=4
    Number of panels per row.""",
        "sources": """\
sources : list of str, default=None
    Names of the sources to show; None shows all.""",
        "bars": """\
ax : matplotlib Axes, default=None
    Axes to draw on; None creates a new figure and axes.

height : float, default=0.8
    Total height of each group of bars.

**kwargs : dict
    Keyword arguments for :meth:`matplotlib.axes.Axes.barh`.""",
        "images_style": """\
n_cols : int, default=6
    Number of images per row.

cmap : str or matplotlib Colormap, default="gray_r"
    Colormap of single-channel images.

fontsize : float, default=9
    Font size of the table and of the image titles.""",
        "issues_drawing": """\
n : int, default=10
    Number of flagged rows shown, the lowest label quality first.

images_shape : tuple of int, default=None
    Shape of one image, e.g. ``(8, 8)``, when ``X`` holds flattened
    images: row ``i`` of ``X`` is reshaped to it. ``X`` of shape
    ``(n_samples, height, width)`` (or ``(..., 3)`` / ``(..., 4)`` for
    colour images) needs none.

ax : matplotlib Axes, default=None
    Axes whose area holds the table or the grid of images; None creates a
    new figure.

kind : {"auto", "table", "images"}, default="auto"
    What to draw: "auto" draws the images when ``X`` holds images, else
    the table.""",
    }
)

# Axis labels, title and default value format of each kind of matrix.
_MATRIX_KINDS = {
    "confident_joint": ("Given label", "True label", "Confident joint (counts)"),
    "noise_matrix": ("Given label", "True label", "Noise matrix P(given | true)"),
    "inverse_noise_matrix": (
        "True label",
        "Given label",
        "Inverse noise matrix P(true | given)",
    ),
}

_NORMALIZE = (None, "true", "pred", "all")


# --------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------


def _check_option(value, allowed, input_name):
    if not isinstance(value, (str, type(None))) or value not in allowed:
        raise ValueError(
            f"{input_name} must be one of {list(allowed)!r}, got {value!r}."
        )
    return value


def _check_names(names, n, input_name, what):
    """Names as a list of str, one per ``what``; None gives ``0..n-1``."""
    if names is None:
        return [str(i) for i in range(n)]
    if isinstance(names, (str, bytes)) or not hasattr(names, "__len__"):
        raise TypeError(
            f"{input_name} must be a list of names, one per {what}, got {names!r}."
        )
    values = list(names.tolist() if hasattr(names, "tolist") else names)
    if len(values) != n:
        raise ValueError(
            f"{input_name} has {len(values)} entries but there are {n} "
            f"{what}s; give one name per {what}, got {names!r}."
        )
    return [str(v) for v in values]


def _check_positive_int(value, input_name):
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{input_name} must be an int, got {value!r}.")
    if value < 1:
        raise ValueError(f"{input_name} must be at least 1, got {value!r}.")
    return int(value)


def _check_numeric(values, input_name):
    """``values`` as an array of numbers (a TypeError naming them otherwise)."""
    arr = np.asarray(values)
    if arr.dtype.kind not in "iufb":
        raise TypeError(
            f"{input_name} must hold numbers, got dtype {arr.dtype} in {arr!r}."
        )
    return arr


def _check_ax(ax, caller):
    if ax is not None and not hasattr(ax, "get_figure"):
        raise TypeError(f"{caller}: ax must be a matplotlib Axes or None, got {ax!r}.")


def _default_format(matrix):
    return "d" if matrix.dtype.kind in "iub" else ".2f"


def _format_value(value, fmt):
    if np.isnan(value):
        return "-"
    return format(int(value) if fmt.endswith("d") else value, fmt)


def _heatmap(
    ax,
    matrix,
    xticklabels,
    yticklabels,
    *,
    include_values,
    values_format,
    cmap,
    vmin=None,
    vmax=None,
    im_kw=None,
    text_kw=None,
    fontsize=None,
):
    """Draw ``matrix`` on ``ax``; return the image and the texts (or None)."""
    style = {"interpolation": "nearest", "cmap": cmap, "vmin": vmin, "vmax": vmax}
    style.update(im_kw or {})
    im = ax.imshow(matrix, **style)
    texts = None
    if include_values:
        fmt = values_format or _default_format(matrix)
        low, high = im.norm.vmin, im.norm.vmax
        middle = (low + high) / 2.0
        dark, light = im.cmap(1.0), im.cmap(0.0)
        texts = np.empty(matrix.shape, dtype=object)
        for i, j in np.ndindex(matrix.shape):  # K x K cells, not examples
            value = matrix[i, j]
            kw = {
                "ha": "center",
                "va": "center",
                "color": light if value > middle else dark,
            }
            if fontsize is not None:
                kw["fontsize"] = fontsize
            kw.update(text_kw or {})
            texts[i, j] = ax.text(j, i, _format_value(value, fmt), **kw)
    n_rows, n_cols = matrix.shape
    ax.set_xticks(np.arange(n_cols), xticklabels, fontsize=fontsize)
    ax.set_yticks(np.arange(n_rows), yticklabels, fontsize=fontsize)
    ax.set_ylim(n_rows - 0.5, -0.5)
    return im, texts


def _grid(plt, ax, n_panels, n_cols, panel_size):
    """Split ``ax`` (or a new figure) into ``n_panels`` axes, row by row.

    Returns the bounding axes, turned off, and the panels as a flat array.
    """
    n_cols = min(n_cols, n_panels)
    n_rows = -(-n_panels // n_cols)
    if ax is None:
        width, height = panel_size
        _, ax = plt.subplots(figsize=(width * n_cols + 1.0, height * n_rows + 0.6))
    ax.set_axis_off()
    figure = ax.figure
    spec = ax.get_subplotspec()
    axes = []
    if spec is not None:
        grid = spec.subgridspec(n_rows, n_cols, wspace=0.5, hspace=0.6)
        for k in range(n_panels):
            axes.append(figure.add_subplot(grid[k // n_cols, k % n_cols]))
    else:  # an Axes placed by hand: split its area
        for k in range(n_panels):
            row, col = divmod(k, n_cols)
            axes.append(
                ax.inset_axes(
                    [
                        (col + 0.12) / n_cols,
                        1 - (row + 0.88) / n_rows,
                        0.76 / n_cols,
                        0.76 / n_rows,
                    ]
                )
            )
    return ax, np.asarray(axes, dtype=object)


def _encode_labels(labels, classes, n_classes, input_name="labels"):
    """Labels as class indices: names are looked up in ``classes``.

    Integer labels are class indices already (the convention of
    :mod:`sklabels.noise`), validated by the noise functions; labels that
    are not numbers are positions in ``classes``.
    """
    values = labels.to_numpy() if hasattr(labels, "to_numpy") else labels
    arr = np.asarray(values)
    if arr.dtype.kind not in "OUS":
        return arr
    if classes is None:
        raise TypeError(
            f"{input_name} holds names such as {arr.ravel()[:1].tolist()[0]!r}: "
            f"give classes=[...] (the class of each of the {n_classes} columns "
            "of pred_probs) to encode them, or pass integer class indices."
        )
    codes = pd.Index(list(classes)).get_indexer(arr.ravel())
    if (codes < 0).any():
        missing = pd.unique(arr.ravel()[codes < 0])[:5].tolist()
        raise ValueError(
            f"{input_name} holds {missing!r}, which are not in classes="
            f"{list(classes)!r}; give every class in classes."
        )
    return codes


def _encode_given(labels, pred_probs, classes):
    """``(class indices of labels, n_classes)``; ``classes`` names the columns
    of ``pred_probs`` (checked against their number when it is known)."""
    n_classes = np.shape(pred_probs)[-1] if np.ndim(pred_probs) == 2 else None
    if classes is not None and n_classes is not None:
        _check_names(classes, n_classes, "classes", "column of pred_probs")
    return _encode_labels(labels, classes, n_classes), n_classes


def _filter_of(estimator, caller):
    """The fitted ConfidentLearningFilter of ``estimator``."""
    from sklabels.noise import ConfidentLearningClassifier, ConfidentLearningFilter

    if not isinstance(
        estimator, (ConfidentLearningFilter, ConfidentLearningClassifier)
    ):
        raise TypeError(
            f"{caller} needs a fitted ConfidentLearningFilter or "
            f"ConfidentLearningClassifier, got {estimator!r}. With "
            "another model, compute out-of-fold probabilities and use "
            "from_predictions."
        )
    check_is_fitted(estimator)
    if isinstance(estimator, ConfidentLearningClassifier):
        return estimator.filter_
    return estimator


# --------------------------------------------------------------------------
# NoiseMatrixDisplay
# --------------------------------------------------------------------------


class NoiseMatrixDisplay:
    """Heat map of a confident joint or of a noise matrix.

    The confident joint counts the examples of each (given label, true label)
    pair that the model confidently puts there; the noise matrix is
    ``P(given label | true label)`` and the inverse noise matrix
    ``P(true label | given label)`` (see :func:`~sklabels.noise.confident_joint`
    and :func:`~sklabels.noise.estimate_noise_matrices`). Off-diagonal cells
    show which classes are mistaken for which.

    It is recommended to create the display with :meth:`from_estimator` or
    :meth:`from_predictions`; all parameters are stored as attributes.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    matrix : ndarray of shape (n_classes, n_classes)
        The matrix drawn: rows are given labels and columns true labels for
        "confident_joint" and "noise_matrix", the other way round for
        "inverse_noise_matrix".

    classes : array-like of shape (n_classes,), default=None
        Class names for the axes; None uses ``0..n_classes-1``.

    kind : {"confident_joint", "noise_matrix", "inverse_noise_matrix"}, \
default="confident_joint"
        What ``matrix`` is; sets the axis labels and the title.

    Attributes
    ----------
    im_ : matplotlib AxesImage
        The heat map.

    text_ : ndarray of shape (n_classes, n_classes) of matplotlib Text or None
        The values written in the cells; None when not written.

    colorbar_ : matplotlib Colorbar or None
        The colour bar; None when not drawn.

    ax_ : matplotlib Axes
        Axes with the heat map.

    figure_ : matplotlib Figure
        Figure containing the heat map.

    See Also
    --------
    sklabels.noise.confident_joint : The counts drawn for "confident_joint".
    sklabels.noise.estimate_noise_matrices : The noise matrices.
    sklearn.metrics.ConfusionMatrixDisplay : The same kind of plot for a
        confusion matrix.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # draw without opening a window
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> from sklabels.metrics import NoiseMatrixDisplay
    >>> labels = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    >>> pred_probs = np.array([[0.9, 0.1], [0.8, 0.2], [0.7, 0.3], [0.1, 0.9],
    ...                        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7], [0.9, 0.1]])
    >>> disp = NoiseMatrixDisplay.from_predictions(
    ...     labels, pred_probs, classes=["cat", "dog"])
    >>> disp.matrix
    array([[3, 1],
           [1, 3]])
    >>> [t.get_text() for t in disp.ax_.get_xticklabels()]
    ['cat', 'dog']
    >>> plt.close("all")
    """

    def __init__(self, matrix, *, classes=None, kind="confident_joint"):
        self.matrix = matrix
        self.classes = classes
        self.kind = kind

    @_fill_doc
    def plot(
        self,
        ax=None,
        *,
        include_values=True,
        values_format=None,
        cmap="Blues",
        colorbar=True,
        im_kw=None,
        text_kw=None,
    ):
        """Draw the heat map.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes.

        %(heatmap)s

        Returns
        -------
        display : NoiseMatrixDisplay
            The display, with ``ax_``, ``figure_`` and the artists set.
        """
        caller = f"{type(self).__name__}.plot"
        plt = import_pyplot(caller)
        kind = _check_option(self.kind, tuple(_MATRIX_KINDS), "kind")
        matrix = _check_numeric(self.matrix, "matrix")
        if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
            raise ValueError(
                "matrix must be a square (n_classes, n_classes) array, got shape "
                f"{matrix.shape}."
            )
        names = _check_names(self.classes, matrix.shape[0], "classes", "class")
        _check_ax(ax, caller)
        if ax is None:
            _, ax = plt.subplots(layout="constrained")
        ylabel, xlabel, title = _MATRIX_KINDS[kind]
        counts = kind == "confident_joint"
        self.im_, self.text_ = _heatmap(
            ax,
            matrix,
            names,
            names,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            vmin=None if counts else 0.0,
            vmax=None if counts else 1.0,
            im_kw=im_kw,
            text_kw=text_kw,
        )
        ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
        self.colorbar_ = ax.figure.colorbar(self.im_, ax=ax) if colorbar else None
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    @_fill_doc
    def from_estimator(
        cls,
        estimator,
        *,
        kind="confident_joint",
        classes=None,
        ax=None,
        include_values=True,
        values_format=None,
        cmap="Blues",
        colorbar=True,
        im_kw=None,
        text_kw=None,
    ):
        """Plot the confident joint or a noise matrix of a fitted filter.

        Parameters
        ----------
        estimator : ConfidentLearningFilter or ConfidentLearningClassifier
            Fitted; its ``confident_joint_`` or ``noise_matrix_`` is drawn
            (the inverse noise matrix is computed from its ``pred_probs_``
            and the given labels).

        kind : {"confident_joint", "noise_matrix", "inverse_noise_matrix"}, \
default="confident_joint"
            The matrix drawn.

        classes : array-like of shape (n_classes,), default=None
            Class names for the axes; None uses ``estimator.classes_``.

        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes.

        %(heatmap)s

        Returns
        -------
        display : NoiseMatrixDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_iris
        >>> from sklabels.metrics import NoiseMatrixDisplay
        >>> from sklabels.noise import ConfidentLearningFilter
        >>> X, y = load_iris(return_X_y=True)
        >>> flt = ConfidentLearningFilter().fit(X, load_iris().target_names[y])
        >>> disp = NoiseMatrixDisplay.from_estimator(flt, kind="noise_matrix")
        >>> disp.ax_.get_title()
        'Noise matrix P(given | true)'
        >>> plt.close("all")
        """
        caller = f"{cls.__name__}.from_estimator"
        import_pyplot(caller)
        _check_option(kind, tuple(_MATRIX_KINDS), "kind")
        flt = _filter_of(estimator, caller)
        if kind == "confident_joint":
            matrix = flt.confident_joint_
        elif kind == "noise_matrix":
            matrix = flt.noise_matrix_
        else:
            from sklabels.noise import estimate_noise_matrices

            given = flt.label_issues_report_["given_label"].to_numpy()
            codes = pd.Index(flt.classes_).get_indexer(given)
            matrix = estimate_noise_matrices(codes, flt.pred_probs_)[1]
        display = cls(
            matrix, classes=flt.classes_ if classes is None else classes, kind=kind
        )
        return display.plot(
            ax=ax,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            im_kw=im_kw,
            text_kw=text_kw,
        )

    @classmethod
    @_fill_doc
    def from_predictions(
        cls,
        labels,
        pred_probs,
        *,
        kind="confident_joint",
        classes=None,
        ax=None,
        include_values=True,
        values_format=None,
        cmap="Blues",
        colorbar=True,
        im_kw=None,
        text_kw=None,
    ):
        """Plot the confident joint or a noise matrix of labels and probabilities.

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Given labels: integer class indices ``0..n_classes-1`` (as for
            :func:`~sklabels.noise.confident_joint`), or names found in
            ``classes``.

        pred_probs : array-like of shape (n_samples, n_classes)
            Out-of-sample predicted probabilities, column ``k`` for class
            ``k``.

        kind : {"confident_joint", "noise_matrix", "inverse_noise_matrix"}, \
default="confident_joint"
            The matrix computed and drawn.

        classes : array-like of shape (n_classes,), default=None
            Name of the class of each column of ``pred_probs``; None uses
            ``0..n_classes-1``.

        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes.

        %(heatmap)s

        Returns
        -------
        display : NoiseMatrixDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklabels.metrics import NoiseMatrixDisplay
        >>> labels = ["no", "no", "yes", "yes"]
        >>> pred_probs = [[0.9, 0.1], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7]]
        >>> disp = NoiseMatrixDisplay.from_predictions(
        ...     labels, pred_probs, classes=["no", "yes"], kind="noise_matrix")
        >>> disp.matrix.round(2)
        array([[1.  , 0.33],
               [0.  , 0.67]])
        >>> plt.close("all")
        """
        from sklabels.noise import confident_joint, estimate_noise_matrices

        import_pyplot(f"{cls.__name__}.from_predictions")
        _check_option(kind, tuple(_MATRIX_KINDS), "kind")
        codes, _ = _encode_given(labels, pred_probs, classes)
        if kind == "confident_joint":
            matrix = confident_joint(codes, pred_probs)
        else:
            noise, inverse, _ = estimate_noise_matrices(codes, pred_probs)
            matrix = noise if kind == "noise_matrix" else inverse
        display = cls(matrix, classes=classes, kind=kind)
        return display.plot(
            ax=ax,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            im_kw=im_kw,
            text_kw=text_kw,
        )


# --------------------------------------------------------------------------
# AnnotatorConfusionDisplay
# --------------------------------------------------------------------------


def _empirical_confusions(L, gold, n_classes, normalize):
    """(n_sources, K, K) counts of (true class, label given) per source."""
    n_sources = L.shape[1]
    voted = (L >= 0) & (gold >= 0)[:, None]
    items, sources = np.nonzero(voted)
    flat = (sources * n_classes + gold[items]) * n_classes + L[items, sources]
    counts = np.bincount(flat, minlength=n_sources * n_classes**2)
    counts = counts.reshape(n_sources, n_classes, n_classes)
    if normalize is None:
        return counts
    axis = {"true": (2,), "pred": (1,), "all": (1, 2)}[normalize]
    totals = counts.sum(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(totals > 0, counts / np.maximum(totals, 1), np.nan)


def _select_sources(sources, names):
    """Positions of the sources to show; ``sources`` are among ``names``."""
    if sources is None:
        return np.arange(len(names))
    if isinstance(sources, (str, bytes)) or not hasattr(sources, "__len__"):
        raise TypeError(
            f"sources must be a list of source names, got {sources!r}; e.g. "
            f"sources=[{names[0]!r}]."
        )
    wanted = [
        str(s) for s in (sources.tolist() if hasattr(sources, "tolist") else sources)
    ]
    if not wanted:
        raise ValueError("sources must name at least one source, got [].")
    index = pd.Index(names)
    positions = index.get_indexer(wanted) if index.is_unique else None
    if positions is None:
        raise ValueError(f"the source names must be unique, got {names!r}.")
    if (positions < 0).any():
        unknown = [w for w, p in zip(wanted, positions, strict=True) if p < 0]
        raise ValueError(
            f"sources holds {unknown!r}, which are not source names; choose "
            f"among {names!r}."
        )
    return positions


class AnnotatorConfusionDisplay:
    """One confusion matrix per annotator or labeling function, in a grid.

    Entry ``[s, k, l]`` of ``confusion_matrices`` is, for source ``s``, the
    (estimated or observed) probability of answering ``l`` on an item of true
    class ``k``: rows are true classes, columns the labels given. A reliable
    source has a heavy diagonal, a spammer identical rows, an adversary a
    heavy cell off the diagonal in every row.

    It is recommended to create the display with :meth:`from_estimator` (the
    matrices an aggregator estimated, e.g.
    :class:`~sklabels.aggregation.DawidSkene`) or :meth:`from_predictions`
    (the matrices observed on items with a known label); all parameters are
    stored as attributes.

    Read more in the :ref:`User Guide <crowdsourcing>`.

    Parameters
    ----------
    confusion_matrices : ndarray of shape (n_sources, n_classes, n_classes)
        The matrices drawn; NaN cells (no data) are left blank.

    names : array-like of shape (n_sources,), default=None
        Source names, the titles of the panels; None uses
        ``0..n_sources-1``.

    classes : array-like of shape (n_classes,), default=None
        Class names for the axes; None uses ``0..n_classes-1``.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
        One panel per source shown, in order.

    images_ : list of matplotlib AxesImage
        The heat map of each panel.

    texts_ : list of ndarray of matplotlib Text, or None
        The values written in each panel; None when not written.

    colorbar_ : matplotlib Colorbar or None
        The colour bar shared by the panels; None when not drawn.

    ax_ : matplotlib Axes
        The axes whose area holds the grid (turned off).

    figure_ : matplotlib Figure
        Figure containing the grid.

    See Also
    --------
    sklabels.aggregation.DawidSkene : Estimates these matrices without any
        true label.
    NoiseMatrixDisplay : The noise matrix of a single set of labels.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklabels.metrics import AnnotatorConfusionDisplay
    >>> L = [[0, 0, 1], [1, 1, 1], [0, 1, -1], [1, 1, 0]]
    >>> disp = AnnotatorConfusionDisplay.from_predictions(
    ...     L, [0, 1, 0, 1], names=["ann", "bob", "cy"], classes=["no", "yes"])
    >>> disp.confusion_matrices[1]
    array([[0.5, 0.5],
           [0. , 1. ]])
    >>> [ax.get_title() for ax in disp.axes_]
    ['ann', 'bob', 'cy']
    >>> plt.close("all")
    """

    def __init__(self, confusion_matrices, *, names=None, classes=None):
        self.confusion_matrices = confusion_matrices
        self.names = names
        self.classes = classes

    @_fill_doc
    def plot(
        self,
        ax=None,
        *,
        sources=None,
        n_cols=4,
        include_values=True,
        values_format=None,
        cmap="Blues",
        colorbar=True,
        im_kw=None,
        text_kw=None,
    ):
        """Draw the confusion matrices.

        Parameters
        ----------
        %(ax_grid)s

        sources : list of str, default=None
            Names of the sources to show (among ``names``, or ``"0"``,
            ``"1"``, ... without names), in this order; None shows all.

        %(n_panel_cols)s

        %(heatmap)s

        Returns
        -------
        display : AnnotatorConfusionDisplay
            The display, with ``ax_``, ``axes_``, ``figure_`` and the artists
            set.
        """
        caller = f"{type(self).__name__}.plot"
        plt = import_pyplot(caller)
        matrices = _check_numeric(self.confusion_matrices, "confusion_matrices")
        if matrices.ndim != 3 or matrices.shape[1] != matrices.shape[2]:
            raise ValueError(
                "confusion_matrices must have shape (n_sources, n_classes, "
                f"n_classes), got shape {matrices.shape}."
            )
        n_sources, n_classes, _ = matrices.shape
        names = _check_names(self.names, n_sources, "names", "source")
        classes = _check_names(self.classes, n_classes, "classes", "class")
        shown = _select_sources(sources, names)
        n_cols = _check_positive_int(n_cols, "n_cols")
        _check_ax(ax, caller)
        counts = matrices.dtype.kind in "iub"
        size = 0.45 * n_classes + 1.2
        self.ax_, self.axes_ = _grid(plt, ax, shown.size, n_cols, (size, size))
        self.images_, self.texts_ = [], [] if include_values else None
        n_rows = -(-shown.size // min(n_cols, shown.size))
        for k, (panel, s) in enumerate(zip(self.axes_, shown, strict=True)):
            im, texts = _heatmap(
                panel,
                matrices[s],
                classes,
                classes,
                include_values=include_values,
                values_format=values_format,
                cmap=cmap,
                vmin=None if counts else 0.0,
                vmax=(matrices[shown].max() if counts else 1.0),
                im_kw=im_kw,
                text_kw=text_kw,
                fontsize=8,
            )
            panel.set_title(names[s], fontsize=9)
            if k % n_cols == 0:
                panel.set_ylabel("True label", fontsize=8)
            if k // n_cols == n_rows - 1 or k + n_cols >= shown.size:
                panel.set_xlabel("Label given", fontsize=8)
            self.images_.append(im)
            if include_values:
                self.texts_.append(texts)
        self.figure_ = self.ax_.figure
        self.colorbar_ = None
        if colorbar:
            self.colorbar_ = self.figure_.colorbar(
                self.images_[0], ax=list(self.axes_), shrink=0.8
            )
        return self

    @classmethod
    @_fill_doc
    def from_estimator(
        cls,
        estimator,
        *,
        sources=None,
        names=None,
        classes=None,
        ax=None,
        n_cols=4,
        include_values=True,
        values_format=None,
        cmap="Blues",
        colorbar=True,
        im_kw=None,
        text_kw=None,
    ):
        """Plot the confusion matrices a fitted aggregator estimated.

        Parameters
        ----------
        estimator : aggregator
            A fitted aggregator with ``confusion_matrices_`` of shape
            ``(n_sources, n_classes, n_classes)``, rows the true classes:
            :class:`~sklabels.aggregation.DawidSkene`,
            :class:`~sklabels.aggregation.MACE`,
            :class:`~sklabels.aggregation.LabelModel`.

        %(sources)s

        names : array-like of shape (n_sources,), default=None
            Source names; None uses the estimator's ``feature_names_in_``
            (the columns of a DataFrame label matrix), else
            ``0..n_sources-1``.

        classes : array-like of shape (n_classes,), default=None
            Class names; None uses the estimator's ``classes_``.

        %(ax_grid)s

        %(n_panel_cols)s

        %(heatmap)s

        Returns
        -------
        display : AnnotatorConfusionDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklabels.aggregation import DawidSkene
        >>> from sklabels.datasets import make_crowd_labels
        >>> from sklabels.metrics import AnnotatorConfusionDisplay
        >>> L = make_crowd_labels([0, 1, 2] * 30, n_sources=6, random_state=0)
        >>> ds = DawidSkene().fit(L)
        >>> disp = AnnotatorConfusionDisplay.from_estimator(ds, sources=["0", "3"])
        >>> len(disp.axes_)
        2
        >>> plt.close("all")
        """
        caller = f"{cls.__name__}.from_estimator"
        import_pyplot(caller)
        if not hasattr(estimator, "fit"):
            raise TypeError(f"{caller} needs a fitted aggregator, got {estimator!r}.")
        check_is_fitted(estimator)
        matrices = getattr(estimator, "confusion_matrices_", None)
        if matrices is None:
            raise TypeError(
                f"{type(estimator).__name__} estimates no per-source confusion "
                "matrices (confusion_matrices_); DawidSkene, MACE and LabelModel "
                "do. Use from_predictions(L, y_true) for the matrices observed "
                "on items with a known label."
            )
        if names is None:
            names = getattr(estimator, "feature_names_in_", None)
        if classes is None:
            classes = getattr(estimator, "classes_", None)
        display = cls(matrices, names=names, classes=classes)
        return display.plot(
            ax=ax,
            sources=sources,
            n_cols=n_cols,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            im_kw=im_kw,
            text_kw=text_kw,
        )

    @classmethod
    @_fill_doc
    def from_predictions(
        cls,
        L,
        y_true,
        *,
        sources=None,
        names=None,
        classes=None,
        normalize="true",
        ax=None,
        n_cols=4,
        include_values=True,
        values_format=None,
        cmap="Blues",
        colorbar=True,
        im_kw=None,
        text_kw=None,
    ):
        """Plot each source's confusion matrix on items with a known label.

        Parameters
        ----------
        L : array-like of shape (n_items, n_sources)
            The label matrix: class codes ``0..K-1``, ``-1`` for no label.
            The column names of a DataFrame name the sources.

        y_true : array-like of shape (n_items,)
            True class codes, ``-1`` where unknown; items with ``-1`` and the
            missing labels of ``L`` are left out.

        %(sources)s

        names : array-like of shape (n_sources,), default=None
            Source names; None uses the columns of a DataFrame ``L``, else
            ``0..n_sources-1``.

        classes : array-like of shape (n_classes,), default=None
            Class names, one per code; None uses the codes, ``0..K-1`` with
            ``K`` the largest code in ``L`` and ``y_true`` plus one.

        normalize : {"true", "pred", "all"} or None, default="true"
            "true" divides each row by the source's number of labels on
            items of that true class (estimates ``P(label given | true)``,
            comparable with an aggregator's ``confusion_matrices_``),
            "pred" each column, "all" the whole matrix; None draws counts.
            A row (column) without data is NaN, drawn blank.

        %(ax_grid)s

        %(n_panel_cols)s

        %(heatmap)s

        Returns
        -------
        display : AnnotatorConfusionDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklabels.metrics import AnnotatorConfusionDisplay
        >>> L = [[0, 1], [1, 1], [1, -1]]
        >>> disp = AnnotatorConfusionDisplay.from_predictions(
        ...     L, [0, 1, -1], normalize=None)
        >>> disp.confusion_matrices[0]
        array([[1, 0],
               [0, 1]])
        >>> plt.close("all")
        """
        from sklabels.aggregation._matrix import check_gold, check_label_matrix

        import_pyplot(f"{cls.__name__}.from_predictions")
        _check_option(normalize, _NORMALIZE, "normalize")
        frame_names = getattr(L, "columns", None)
        n_classes = None
        if classes is not None:
            if isinstance(classes, (str, bytes)) or not hasattr(classes, "__len__"):
                raise TypeError(
                    f"classes must be a list of class names, got {classes!r}."
                )
            n_classes = len(classes)
        L = check_label_matrix(L, n_classes=n_classes)
        gold = check_gold(y_true, L.shape[0], n_classes=n_classes, input_name="y_true")
        if n_classes is None:
            n_classes = max(int(L.max()), int(gold.max()), 1) + 1
        if names is None and frame_names is not None:
            names = list(frame_names)
        matrices = _empirical_confusions(L, gold, n_classes, normalize)
        display = cls(matrices, names=names, classes=classes)
        return display.plot(
            ax=ax,
            sources=sources,
            n_cols=n_cols,
            include_values=include_values,
            values_format=values_format,
            cmap=cmap,
            colorbar=colorbar,
            im_kw=im_kw,
            text_kw=text_kw,
        )


# --------------------------------------------------------------------------
# LFSummaryDisplay
# --------------------------------------------------------------------------

# The bars drawn, in order, with their legend labels.
_LF_METRICS = {
    "coverage": "Coverage",
    "overlaps": "Overlaps",
    "conflicts": "Conflicts",
    "empirical_accuracy": "Empirical accuracy",
}


class LFSummaryDisplay:
    """Coverage, overlap and conflict bars, one group per labeling function.

    For each labeling function (or annotator): the fraction of items it
    votes on ("coverage"), of items where another source votes too
    ("overlaps") and of items where another source votes a different class
    ("conflicts"), as :func:`~sklabels.aggregation.lf_summary` computes them;
    with gold labels, also its accuracy on the items with a gold label. A
    labeling function with low coverage adds little, one whose conflicts
    approach its coverage disagrees with most others.

    It is recommended to create the display with :meth:`from_predictions`
    (a label matrix) or :meth:`from_estimator` (a fitted
    :class:`~sklabels.aggregation.LFApplier` and data); all parameters are
    stored as attributes.

    Read more in the :ref:`User Guide <weak_supervision>`.

    Parameters
    ----------
    summary : pandas.DataFrame
        The output of :func:`~sklabels.aggregation.lf_summary`: indexed by
        source, with columns "coverage", "overlaps", "conflicts" and
        optionally "empirical_accuracy".

    Attributes
    ----------
    bars_ : dict of str to matplotlib BarContainer
        The bars of each quantity drawn ("coverage", "overlaps", "conflicts",
        and "empirical_accuracy" when the summary has it). A source that
        voted on no item with a gold label has no accuracy bar (NaN) but
        the words "no vote on a gold item".

    ax_ : matplotlib Axes
        Axes with the bars.

    figure_ : matplotlib Figure
        Figure containing the bars.

    See Also
    --------
    sklabels.aggregation.lf_summary : The numbers drawn.
    AnnotatorConfusionDisplay : Each source's confusion matrix.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklabels.metrics import LFSummaryDisplay
    >>> L = [[0, 0, -1], [1, 0, -1], [-1, 1, 1], [-1, -1, 1]]
    >>> disp = LFSummaryDisplay.from_predictions(L, names=["a", "b", "c"])
    >>> [float(bar.get_width()) for bar in disp.bars_["coverage"]]
    [0.5, 0.75, 0.5]
    >>> [t.get_text() for t in disp.ax_.get_yticklabels()]
    ['a', 'b', 'c']
    >>> plt.close("all")
    """

    def __init__(self, summary):
        self.summary = summary

    def plot(self, ax=None, *, height=0.8, **kwargs):
        """Draw the bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes, sized to
            the number of labeling functions.

        height : float, default=0.8
            Total height of each group of bars (the groups are 1 apart).

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.barh`, given
            to every bar.

        Returns
        -------
        display : LFSummaryDisplay
            The display, with ``ax_``, ``figure_`` and ``bars_`` set.
        """
        caller = f"{type(self).__name__}.plot"
        plt = import_pyplot(caller)
        summary = self.summary
        if not isinstance(summary, pd.DataFrame):
            raise TypeError(
                "summary must be a pandas DataFrame as returned by "
                f"sklabels.aggregation.lf_summary, got {type(summary).__name__}: "
                f"{summary!r}."
            )
        missing = [c for c in ("coverage", "overlaps", "conflicts") if c not in summary]
        if missing:
            raise ValueError(
                f"summary lacks the column(s) {missing!r}; pass the DataFrame "
                "returned by sklabels.aggregation.lf_summary."
            )
        if not 0 < height <= 1:
            raise ValueError(f"height must be in (0, 1], got {height!r}.")
        _check_ax(ax, caller)
        metrics = [m for m in _LF_METRICS if m in summary]
        n_lfs = len(summary)
        if ax is None:
            _, ax = plt.subplots(
                figsize=(7, 0.45 * n_lfs * len(metrics) / 3 + 1.5),
                layout="constrained",
            )
        names = [str(name) for name in summary.index]
        positions = np.arange(n_lfs)
        bar_height = height / len(metrics)
        self.bars_ = {}
        for k, metric in enumerate(metrics):
            offset = (k - (len(metrics) - 1) / 2) * bar_height
            style = {"color": f"C{k}", "label": _LF_METRICS[metric]}
            style.update(kwargs)
            self.bars_[metric] = ax.barh(
                positions + offset,
                summary[metric].to_numpy(dtype=float),
                height=bar_height,
                **style,
            )
            if metric == "empirical_accuracy":  # unknown is not zero: say so
                for y, value in zip(
                    positions + offset, summary[metric].to_numpy(float), strict=True
                ):
                    if np.isnan(value):
                        ax.text(
                            0.01, y, "no vote on a gold item", va="center", fontsize=7
                        )
        ax.set_yticks(positions, names)
        ax.set_ylim(n_lfs - 0.5, -0.5)  # the first source on top
        ax.set_xlim(0, 1)
        ax.set_xlabel("Fraction of items (accuracy: of its votes on gold items)")
        ax.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.0),
            ncol=len(metrics),
            fontsize=8,
            frameon=False,
        )
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    @_fill_doc
    def from_predictions(cls, L, *, names=None, y=None, ax=None, height=0.8, **kwargs):
        """Plot the summary of a label matrix.

        Parameters
        ----------
        L : array-like of shape (n_items, n_sources)
            The label matrix: class codes ``0..K-1``, ``-1`` for no vote.

        names : array-like of shape (n_sources,), default=None
            Source names; None uses the columns of a DataFrame ``L``, else
            ``0..n_sources-1``.

        y : array-like of shape (n_items,), default=None
            Gold labels, ``-1`` where unknown; given, the empirical accuracy
            of each source is drawn too.

        %(bars)s

        Returns
        -------
        display : LFSummaryDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklabels.metrics import LFSummaryDisplay
        >>> L = [[0, 0, -1], [1, 0, -1], [-1, 1, 1], [-1, -1, 1]]
        >>> disp = LFSummaryDisplay.from_predictions(L, y=[0, 1, 1, 0])
        >>> sorted(disp.bars_)
        ['conflicts', 'coverage', 'empirical_accuracy', 'overlaps']
        >>> plt.close("all")
        """
        from sklabels.aggregation import lf_summary

        import_pyplot(f"{cls.__name__}.from_predictions")
        summary = lf_summary(L, y=y, names=names)
        return cls(summary).plot(ax=ax, height=height, **kwargs)

    @classmethod
    @_fill_doc
    def from_estimator(cls, estimator, X, *, y=None, ax=None, height=0.8, **kwargs):
        """Apply fitted labeling functions to data and plot their summary.

        Parameters
        ----------
        estimator : LFApplier
            A fitted :class:`~sklabels.aggregation.LFApplier`; its labeling
            functions name the bars.

        X : records or DataFrame
            The data the labeling functions are applied to.

        y : array-like of shape (n_items,), default=None
            Gold labels, ``-1`` where unknown.

        %(bars)s

        Returns
        -------
        display : LFSummaryDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklabels.aggregation import LFApplier, labeling_function
        >>> from sklabels.metrics import LFSummaryDisplay
        >>> @labeling_function()
        ... def short(x):
        ...     return 1 if len(x) < 4 else -1
        >>> applier = LFApplier([short]).fit(["hi", "hello"])
        >>> disp = LFSummaryDisplay.from_estimator(applier, ["hi", "hello"])
        >>> disp.summary["coverage"].tolist()
        [0.5]
        >>> plt.close("all")
        """
        from sklabels.aggregation import LFApplier

        caller = f"{cls.__name__}.from_estimator"
        import_pyplot(caller)
        if not isinstance(estimator, LFApplier):
            raise TypeError(
                f"{caller} needs a fitted LFApplier, got {estimator!r}; for a "
                "label matrix, use from_predictions(L)."
            )
        check_is_fitted(estimator)
        L = estimator.transform(X)
        return cls.from_predictions(
            L,
            names=estimator.get_feature_names_out(),
            y=y,
            ax=ax,
            height=height,
            **kwargs,
        )


# --------------------------------------------------------------------------
# LabelIssuesDisplay
# --------------------------------------------------------------------------


def _check_images(X, n_samples, images_shape):
    """The rows of ``X`` as images, or None without ``X``."""
    if X is None:
        if images_shape is not None:
            raise ValueError(
                f"images_shape={images_shape!r} was given without X; pass the "
                "images as X."
            )
        return None
    if hasattr(X, "toarray"):
        X = X.toarray()
    arr = np.asarray(X.to_numpy() if hasattr(X, "to_numpy") else X)
    if arr.dtype.kind not in "iufb":
        raise TypeError(f"X must hold pixel values (numbers), got dtype {arr.dtype}.")
    if arr.ndim < 2 or arr.shape[0] != n_samples:
        raise ValueError(
            f"X must have one row per label ({n_samples}), got shape {arr.shape}."
        )
    if images_shape is not None:
        if isinstance(images_shape, (str, bytes)) or not all(
            isinstance(d, Integral) and not isinstance(d, bool) and d > 0
            for d in np.atleast_1d(np.asarray(images_shape, dtype=object))
        ):
            raise TypeError(
                "images_shape must be a tuple of positive ints such as (8, 8), "
                f"got {images_shape!r}."
            )
        shape = tuple(int(d) for d in images_shape)
        if len(shape) not in (2, 3) or int(np.prod(shape)) != arr[0].size:
            raise ValueError(
                f"images_shape={images_shape!r} does not fit rows of {arr[0].size} "
                "values; give (height, width) or (height, width, channels) with "
                "that many values."
            )
        return arr.reshape((n_samples, *shape))
    if arr.ndim == 2:
        raise ValueError(
            f"X has shape {arr.shape}: flattened rows, not images. Give "
            "images_shape=(height, width) to draw them as images, or leave X "
            "out for the table only."
        )
    if arr.ndim == 4 and arr.shape[-1] not in (3, 4):
        raise ValueError(
            f"X has shape {arr.shape}; images are (n, height, width) or "
            "(n, height, width, 3 or 4 channels)."
        )
    if arr.ndim > 4:
        raise ValueError(f"X has {arr.ndim} dimensions; images have 3 or 4.")
    return arr


def _top_issues(index, given, suggested, quality, issues, n):
    """Positions of the ``n`` flagged rows of lowest quality, and their table."""
    flagged = np.flatnonzero(issues)
    order = flagged[np.argsort(quality[flagged], kind="stable")][:n]
    table = pd.DataFrame(
        {
            "given_label": np.asarray(given, dtype=object)[order],
            "suggested_label": np.asarray(suggested, dtype=object)[order],
            "label_quality": quality[order],
        },
        index=index[order],
    )
    return order, table


class LabelIssuesDisplay:
    """The flagged rows of a data set, worst first: a table or images.

    Each row shown carries its given label, the suggested label (the most
    probable class other than the given one) and its label quality (the
    out-of-sample probability of the given label; low means likely wrong).
    The table lists them; for images, each is drawn titled
    "given -> suggested (quality)", which is how a person reviews them.

    It is recommended to create the display with :meth:`from_estimator` (a
    fitted :class:`~sklabels.noise.ConfidentLearningFilter`) or
    :meth:`from_predictions`; all parameters are stored as attributes.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    table : pandas.DataFrame
        The rows shown, in order, indexed by row, with columns
        "given_label", "suggested_label" and "label_quality".

    images : ndarray of shape (n_rows, height, width) or \
(n_rows, height, width, channels), default=None
        The image of each row of ``table``; None draws the table only.

    Attributes
    ----------
    table_ : matplotlib Table or None
        The table drawn; None when images were drawn, or no row is flagged.

    images_ : list of matplotlib AxesImage or None
        The images drawn; None when the table was drawn.

    axes_ : ndarray of matplotlib Axes or None
        One panel per image; None when the table was drawn.

    ax_ : matplotlib Axes
        Axes with the table, or whose area holds the images (turned off).

    figure_ : matplotlib Figure
        Figure containing the display.

    See Also
    --------
    sklabels.noise.ConfidentLearningFilter : Flags the rows; its
        ``label_issues_report_`` holds every row.
    sklabels.noise.find_label_issues : The same flags from probabilities.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklabels.metrics import LabelIssuesDisplay
    >>> labels = [0, 0, 1, 1]
    >>> pred_probs = [[0.9, 0.1], [0.2, 0.8], [0.1, 0.9], [0.3, 0.7]]
    >>> disp = LabelIssuesDisplay.from_predictions(
    ...     labels, pred_probs, classes=["no", "yes"],
    ...     method="predicted_neq_given")
    >>> disp.table
       given_label suggested_label  label_quality
    1           no             yes            0.2
    >>> plt.close("all")
    """

    def __init__(self, table, *, images=None):
        self.table = table
        self.images = images

    @_fill_doc
    def plot(self, ax=None, *, kind="auto", n_cols=6, cmap="gray_r", fontsize=9):
        """Draw the table, or the images.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes for the table, or whose area holds the grid of images;
            None creates a new figure.

        kind : {"auto", "table", "images"}, default="auto"
            "auto" draws the images when the display has them, else the
            table.

        %(images_style)s

        Returns
        -------
        display : LabelIssuesDisplay
            The display, with ``ax_``, ``figure_`` and the artists set.
        """
        caller = f"{type(self).__name__}.plot"
        plt = import_pyplot(caller)
        kind = _check_option(kind, ("auto", "table", "images"), "kind")
        table = self.table
        if not isinstance(table, pd.DataFrame):
            raise TypeError(
                f"table must be a pandas DataFrame, got {type(table).__name__}."
            )
        columns = ["given_label", "suggested_label", "label_quality"]
        missing = [c for c in columns if c not in table]
        if missing:
            raise ValueError(
                f"table lacks the column(s) {missing!r}; it needs {columns!r}."
            )
        images = None if self.images is None else np.asarray(self.images)
        if images is not None and (
            images.ndim not in (3, 4) or len(images) != len(table)
        ):
            raise ValueError(
                "images must hold one image per row of table "
                f"({len(table)}), of shape (height, width[, channels]); got "
                f"shape {images.shape}."
            )
        if kind == "images" and images is None:
            raise ValueError(
                "kind='images' needs images: give X (and images_shape for "
                "flattened rows), or use kind='table'."
            )
        n_cols = _check_positive_int(n_cols, "n_cols")
        _check_ax(ax, caller)
        draw_images = images is not None and kind != "table" and len(table) > 0
        self.table_, self.images_, self.axes_ = None, None, None
        quality = [format(q, ".3g") for q in table["label_quality"].to_numpy(float)]
        given = [str(v) for v in table["given_label"].tolist()]
        suggested = [str(v) for v in table["suggested_label"].tolist()]
        if draw_images:
            self.ax_, self.axes_ = _grid(plt, ax, len(table), n_cols, (1.6, 1.9))
            self.images_ = []
            for panel, image, g, s, q in zip(
                self.axes_, images, given, suggested, quality, strict=True
            ):
                self.images_.append(
                    panel.imshow(image, cmap=cmap, interpolation="nearest")
                )
                panel.set_title(f"{g} -> {s} ({q})", fontsize=fontsize)
                panel.set_axis_off()
        else:
            if ax is None:
                _, ax = plt.subplots(figsize=(6, 0.3 * len(table) + 1.0))
            ax.set_axis_off()
            if len(table):
                rows = [
                    [str(i), g, s, q]
                    for i, g, s, q in zip(
                        table.index.tolist(), given, suggested, quality, strict=True
                    )
                ]
                self.table_ = ax.table(
                    cellText=rows,
                    colLabels=["row", "given", "suggested", "label quality"],
                    loc="center",
                    cellLoc="center",
                )
                self.table_.auto_set_font_size(False)
                self.table_.set_fontsize(fontsize)
                ax.set_title(f"{len(table)} flagged row(s), lowest label quality first")
            else:
                ax.text(0.5, 0.5, "No label issues found", ha="center", va="center")
            self.ax_ = ax
        self.figure_ = self.ax_.figure
        return self

    @classmethod
    @_fill_doc
    def from_estimator(
        cls,
        estimator,
        X=None,
        *,
        n=10,
        images_shape=None,
        ax=None,
        kind="auto",
        n_cols=6,
        cmap="gray_r",
        fontsize=9,
    ):
        """Show the worst flagged rows of a fitted filter.

        Parameters
        ----------
        estimator : ConfidentLearningFilter or ConfidentLearningClassifier
            Fitted; its ``label_issues_report_`` gives the flags, the given
            labels, the suggested labels (``runner_up_label``) and the label
            quality.

        X : array-like of shape (n_samples, ...), default=None
            The rows the filter was fitted on, when they are images; None
            draws the table.

        %(issues_drawing)s

        %(images_style)s

        Returns
        -------
        display : LabelIssuesDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_digits
        >>> from sklabels.metrics import LabelIssuesDisplay
        >>> from sklabels.noise import ConfidentLearningFilter
        >>> X, y = load_digits(return_X_y=True)
        >>> y[:3] = [7, 7, 7]
        >>> flt = ConfidentLearningFilter().fit(X[:300], y[:300])
        >>> disp = LabelIssuesDisplay.from_estimator(
        ...     flt, X[:300], n=4, images_shape=(8, 8))
        >>> [ax.get_title() for ax in disp.axes_[:3]]
        ['7 -> 1 (1.01e-06)', '7 -> 0 (1.53e-06)', '7 -> 2 (2.88e-06)']
        >>> plt.close("all")
        """
        caller = f"{cls.__name__}.from_estimator"
        import_pyplot(caller)
        n = _check_positive_int(n, "n")
        flt = _filter_of(estimator, caller)
        report = flt.label_issues_report_
        images = _check_images(X, len(report), images_shape)
        return cls._from_rows(
            report.index,
            report["given_label"].to_numpy(),
            report["runner_up_label"].to_numpy(),
            report["label_quality"].to_numpy(dtype=float),
            report["is_label_issue"].to_numpy(dtype=bool),
            images,
            n,
            ax=ax,
            kind=kind,
            n_cols=n_cols,
            cmap=cmap,
            fontsize=fontsize,
        )

    @classmethod
    @_fill_doc
    def from_predictions(
        cls,
        labels,
        pred_probs,
        X=None,
        *,
        classes=None,
        method="prune_by_noise_rate",
        n=10,
        images_shape=None,
        ax=None,
        kind="auto",
        n_cols=6,
        cmap="gray_r",
        fontsize=9,
    ):
        """Show the worst rows flagged from labels and predicted probabilities.

        The rows are flagged with :func:`~sklabels.noise.find_label_issues`
        and scored with :func:`~sklabels.noise.label_quality_scores`
        (self-confidence).

        Parameters
        ----------
        labels : array-like of shape (n_samples,)
            Given labels: integer class indices ``0..n_classes-1``, or names
            found in ``classes``. A pandas Series' index numbers the rows.

        pred_probs : array-like of shape (n_samples, n_classes)
            Out-of-sample predicted probabilities, column ``k`` for class
            ``k``.

        X : array-like of shape (n_samples, ...), default=None
            The rows, when they are images; None draws the table.

        classes : array-like of shape (n_classes,), default=None
            Name of the class of each column of ``pred_probs``; None uses
            ``0..n_classes-1``.

        method : str, default="prune_by_noise_rate"
            How rows are flagged; see
            :func:`~sklabels.noise.find_label_issues`.

        %(issues_drawing)s

        %(images_style)s

        Returns
        -------
        display : LabelIssuesDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> import numpy as np
        >>> from sklabels.metrics import LabelIssuesDisplay
        >>> images = np.eye(4).reshape(4, 2, 2)
        >>> disp = LabelIssuesDisplay.from_predictions(
        ...     [0, 1, 1, 1], [[0.9, 0.1], [0.8, 0.2], [0.1, 0.9], [0.3, 0.7]],
        ...     images, method="predicted_neq_given")
        >>> disp.axes_[0].get_title()
        '1 -> 0 (0.2)'
        >>> plt.close("all")
        """
        from sklabels.noise import find_label_issues, label_quality_scores

        import_pyplot(f"{cls.__name__}.from_predictions")
        n = _check_positive_int(n, "n")
        index = labels.index if isinstance(labels, pd.Series) else None
        codes, n_classes = _encode_given(labels, pred_probs, classes)
        names = None
        if classes is not None and n_classes is not None:
            names = np.asarray(list(classes), dtype=object)
        issues = np.asarray(find_label_issues(codes, pred_probs, method=method))
        quality = np.asarray(label_quality_scores(codes, pred_probs), dtype=float)
        codes = np.asarray(codes, dtype=np.intp)
        probs = np.array(pred_probs, dtype=float)  # a copy: validated above
        rows = np.arange(codes.size)
        probs[rows, codes] = -np.inf
        runner_up = probs.argmax(axis=1)
        if index is None:
            index = pd.RangeIndex(codes.size)
        images = _check_images(X, codes.size, images_shape)
        given, suggested = (
            (codes, runner_up) if names is None else (names[codes], names[runner_up])
        )
        return cls._from_rows(
            index,
            given,
            suggested,
            quality,
            issues,
            images,
            n,
            ax=ax,
            kind=kind,
            n_cols=n_cols,
            cmap=cmap,
            fontsize=fontsize,
        )

    @classmethod
    def _from_rows(cls, index, given, suggested, quality, issues, images, n, **plot):
        """The display of the ``n`` flagged rows of lowest quality, drawn."""
        order, table = _top_issues(index, given, suggested, quality, issues, n)
        display = cls(table, images=None if images is None else images[order])
        return display.plot(**plot)
