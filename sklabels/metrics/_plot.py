"""ReliabilityDiagramDisplay: per-bin accuracy against confidence, with the ECE.

matplotlib is an optional dependency (``pip install sklabels[plot]``): it is
imported only when something is drawn.
"""

import numpy as np

from sklabels.metrics._calibration import calibration_bins
from sklabels.utils._docstrings import make_fill_doc
from sklabels.utils._plotting import import_pyplot

__all__ = ["ReliabilityDiagramDisplay"]


# Parameter text of both constructors, written once (see make_fill_doc).
_fill_doc = make_fill_doc(
    {
        "binning": """\
n_bins : int, default=10
    Number of confidence bins.

strategy : {"uniform", "quantile"}, default="uniform"
    Equal-width bins over [0, 1], or bins holding equal numbers of
    samples; see :func:`calibration_bins`.""",
        "drawing": """\
ax : matplotlib Axes, default=None
    Axes to draw on; None creates a new figure and axes.

show_gap : bool, default=True
    Whether to shade the gap between accuracy and confidence.

ref_line : bool, default=True
    Whether to draw the diagonal of perfect calibration.

**kwargs : dict
    Keyword arguments for :meth:`matplotlib.axes.Axes.bar` drawing the
    accuracy bars.

Returns
-------
display : ReliabilityDiagramDisplay
    The display, drawn.""",
    }
)


def _legend_label(name, ece):
    if ece is None:
        return name
    if name is None:
        return f"ECE = {ece:.3f}"
    return f"{name} (ECE = {ece:.3f})"


class ReliabilityDiagramDisplay:
    """Reliability diagram: accuracy against confidence, bin by bin.

    Each non-empty confidence bin is drawn as a bar spanning the bin, whose
    height is the accuracy of the bin's top-label predictions. A calibrated
    classifier's bars follow the diagonal; the shaded gap between each bar and
    the bin's mean confidence is what the expected calibration error (shown
    in the legend) averages.

    It is recommended to create the display with :meth:`from_estimator` or
    :meth:`from_predictions`; all parameters are stored as attributes.

    Read more in the :ref:`User Guide <metrics_calibration>`.

    Parameters
    ----------
    accuracy : ndarray of shape (n_bins,)
        Fraction of correct top-label predictions in each bin.

    confidence : ndarray of shape (n_bins,)
        Mean confidence (largest predicted probability) in each bin.

    bin_edges : ndarray of shape (n_bins, 2)
        Lower and upper edge of each bin; the bar spans them.

    count : ndarray of shape (n_bins,), default=None
        Number (or total weight) of samples in each bin. Not drawn; kept for
        reference.

    ece : float, default=None
        Expected calibration error, shown in the legend when not None.

    name : str, default=None
        Name of the classifier, shown in the legend.

    Attributes
    ----------
    bars_ : matplotlib BarContainer
        The accuracy bars.

    gap_bars_ : matplotlib BarContainer or None
        The bars between accuracy and mean confidence; None when not drawn.

    ref_line_ : matplotlib Line2D or None
        The diagonal of perfect calibration drawn by this display; None when
        not drawn (``ref_line=False``, or already present on the axes).

    ax_ : matplotlib Axes
        Axes with the diagram.

    figure_ : matplotlib Figure
        Figure containing the diagram.

    See Also
    --------
    calibration_bins : The per-bin statistics that are drawn.
    expected_calibration_error : The ECE shown in the legend.
    sklearn.calibration.CalibrationDisplay : Fraction of positives against
        mean predicted probability for a binary classifier.

    References
    ----------
    .. [1] C. Guo, G. Pleiss, Y. Sun and K. Q. Weinberger, "On Calibration of
       Modern Neural Networks", ICML 2017.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # draw without opening a window
    >>> import matplotlib.pyplot as plt
    >>> from sklabels.metrics import ReliabilityDiagramDisplay
    >>> proba = [[0.9, 0.1], [0.75, 0.25], [0.35, 0.65], [0.45, 0.55]]
    >>> disp = ReliabilityDiagramDisplay.from_predictions(
    ...     [0, 1, 1, 1], proba, n_bins=4, name="model")
    >>> disp.accuracy
    array([0.66666667, 1.        ])
    >>> disp.bars_.get_label()
    'model (ECE = 0.037)'
    >>> plt.close("all")
    """

    def __init__(
        self,
        accuracy,
        confidence,
        bin_edges,
        *,
        count=None,
        ece=None,
        name=None,
    ):
        self.accuracy = accuracy
        self.confidence = confidence
        self.bin_edges = bin_edges
        self.count = count
        self.ece = ece
        self.name = name

    def plot(
        self,
        ax=None,
        *,
        name=None,
        show_gap=True,
        ref_line=True,
        gap_kwargs=None,
        **kwargs,
    ):
        """Draw the diagram.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes.

        name : str, default=None
            Name shown in the legend, with the ECE; None uses ``self.name``.

        show_gap : bool, default=True
            Whether to shade, in each bin, the gap between the accuracy and
            the mean confidence (the diagonal's height at that confidence).

        ref_line : bool, default=True
            Whether to draw the diagonal of perfect calibration (once per
            axes).

        gap_kwargs : dict, default=None
            Keyword arguments for :meth:`matplotlib.axes.Axes.bar` drawing the
            gaps.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.bar` drawing the
            accuracy bars (``color``, ``alpha``, ``label``, ...).

        Returns
        -------
        display : ReliabilityDiagramDisplay
            The display, with ``ax_``, ``figure_`` and the artists set.
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        if ax is None:
            _, ax = plt.subplots()
        name = self.name if name is None else name

        accuracy = np.asarray(self.accuracy, dtype=float)
        confidence = np.asarray(self.confidence, dtype=float)
        edges = np.asarray(self.bin_edges, dtype=float).reshape(-1, 2)
        lower, width = edges[:, 0], edges[:, 1] - edges[:, 0]

        bar_kwargs = {
            "align": "edge",
            "color": "C0",
            "edgecolor": "black",
            "alpha": 0.8,
            "label": _legend_label(name, self.ece),
        }
        bar_kwargs.update(kwargs)
        self.bars_ = ax.bar(lower, accuracy, width=width, **bar_kwargs)

        existing = ax.get_legend_handles_labels()[1]
        self.gap_bars_ = None
        if show_gap:
            style = {
                "align": "edge",
                "color": "C3",
                "alpha": 0.3,
                "edgecolor": "C3",
                "hatch": "//",
                "label": None if "Gap" in existing else "Gap",
            }
            style.update(gap_kwargs or {})
            self.gap_bars_ = ax.bar(
                lower,
                np.abs(confidence - accuracy),
                width=width,
                bottom=np.minimum(confidence, accuracy),
                **style,
            )

        self.ref_line_ = None
        ref_label = "Perfectly calibrated"
        if ref_line and ref_label not in existing:
            (self.ref_line_,) = ax.plot([0, 1], [0, 1], "k:", label=ref_label)

        ax.set(xlim=(0, 1), ylim=(0, 1), xlabel="Confidence", ylabel="Accuracy")
        ax.legend(loc="upper left")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    @_fill_doc
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        n_bins=10,
        strategy="uniform",
        sample_weight=None,
        name=None,
        ax=None,
        show_gap=True,
        ref_line=True,
        **kwargs,
    ):
        """Plot the reliability diagram of a fitted classifier on data.

        Read more in the :ref:`User Guide <metrics_calibration>`.

        Parameters
        ----------
        estimator : estimator instance
            Fitted classifier (or pipeline ending in one) with
            ``predict_proba`` and ``classes_``.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Input samples, ideally held out from training.

        y : array-like of shape (n_samples,)
            True labels, among ``estimator.classes_``.

        %(binning)s

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        name : str, default=None
            Name in the legend; None uses the estimator's class name.

        %(drawing)s

        See Also
        --------
        ReliabilityDiagramDisplay.from_predictions : The same from labels and
            predicted probabilities.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklabels.metrics import ReliabilityDiagramDisplay
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = LogisticRegression(max_iter=1000).fit(X, y)
        >>> disp = ReliabilityDiagramDisplay.from_estimator(clf, X, y)
        >>> disp.bars_.get_label()
        'LogisticRegression (ECE = ...)'
        >>> plt.close("all")
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        if not hasattr(estimator, "predict_proba"):
            raise TypeError(
                f"estimator must be a fitted classifier with a predict_proba "
                f"method; got {estimator!r}."
            )
        proba = estimator.predict_proba(X)
        return cls.from_predictions(
            y,
            proba,
            n_bins=n_bins,
            strategy=strategy,
            classes=estimator.classes_,
            sample_weight=sample_weight,
            name=type(estimator).__name__ if name is None else name,
            ax=ax,
            show_gap=show_gap,
            ref_line=ref_line,
            **kwargs,
        )

    @classmethod
    @_fill_doc
    def from_predictions(
        cls,
        y_true,
        proba,
        *,
        n_bins=10,
        strategy="uniform",
        classes=None,
        sample_weight=None,
        name=None,
        ax=None,
        show_gap=True,
        ref_line=True,
        **kwargs,
    ):
        """Plot the reliability diagram of true labels and predicted probabilities.

        Read more in the :ref:`User Guide <metrics_calibration>`.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            True labels.

        proba : array-like of shape (n_samples, n_classes) or (n_samples,)
            Predicted class probabilities (rows summing to 1), or the
            positive-class probability of a binary problem; see
            :func:`calibration_bins`.

        %(binning)s

        classes : array-like of shape (n_classes,), default=None
            The class of each column of ``proba``; see
            :func:`calibration_bins`.

        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights.

        name : str, default=None
            Name in the legend, next to the ECE.

        %(drawing)s

        See Also
        --------
        ReliabilityDiagramDisplay.from_estimator : The same from a fitted
            classifier and data.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklabels.metrics import ReliabilityDiagramDisplay
        >>> y_true = ["no", "yes", "yes", "no"]
        >>> p_yes = [0.2, 0.9, 0.4, 0.3]
        >>> disp = ReliabilityDiagramDisplay.from_predictions(y_true, p_yes)
        >>> round(disp.ece, 3)
        0.3
        >>> plt.close("all")
        """
        import_pyplot(f"{cls.__name__}.from_predictions")
        bins = calibration_bins(
            y_true,
            proba,
            n_bins,
            strategy=strategy,
            classes=classes,
            sample_weight=sample_weight,
        )
        display = cls(
            bins.accuracy,
            bins.confidence,
            bins.bin_edges,
            count=bins.count,
            ece=bins.ece,
            name=name,
        )
        return display.plot(ax=ax, show_gap=show_gap, ref_line=ref_line, **kwargs)
