"""ActiveLearningCurveDisplay: score against number of labels, per strategy.

matplotlib is an optional dependency (``pip install sklabels[plot]``): it is
imported only when something is drawn.
"""

import numpy as np

from sklabels.active._curve import _curve_area, active_learning_curve
from sklabels.utils._plotting import import_pyplot

__all__ = ["ActiveLearningCurveDisplay"]


def _as_curves(n_labeled, scores):
    """``(n_labeled, {name: (n_repeats, n_steps) array})``, checked."""
    n_labeled = np.asarray(n_labeled)
    if n_labeled.ndim != 1 or n_labeled.size == 0:
        raise ValueError(
            f"n_labeled must be a non-empty 1-d array of label counts, got shape "
            f"{n_labeled.shape}."
        )
    if not isinstance(scores, dict):
        scores = {"strategy": scores}
    curves = {}
    for name, values in scores.items():
        values = np.asarray(values, dtype=float)
        values = values.reshape(1, -1) if values.ndim == 1 else values
        if values.ndim != 2 or values.shape[1] != n_labeled.size:
            raise ValueError(
                f"scores[{name!r}] must have one column per entry of n_labeled "
                f"({n_labeled.size}), shape (n_repeats, {n_labeled.size}); got "
                f"shape {values.shape}."
            )
        curves[name] = values
    return n_labeled, curves


class ActiveLearningCurveDisplay:
    """Learning curves of query strategies: score against labels used.

    One line per strategy, the mean score over the repeats at each number of
    labeled rows, with a band of one standard deviation when there are
    several repeats. The legend gives each curve's area: its mean score over
    the labeling range (trapezoid rule), the usual one-number summary of
    label efficiency.

    It is recommended to create the display with :meth:`from_estimator`;
    all parameters are stored as attributes.

    Read more in the :ref:`User Guide <active>`.

    Parameters
    ----------
    n_labeled : array-like of shape (n_steps,)
        Number of labeled rows at each step.

    scores : dict or array-like
        ``{name: array of shape (n_repeats, n_steps)}`` (as returned by
        :func:`active_learning_curve` with several strategies), or one such
        array (or a 1-d array of scores).

    score_name : str, default="Score"
        Label of the y axis.

    Attributes
    ----------
    lines_ : dict of matplotlib Line2D
        The mean curve of each strategy.

    bands_ : dict of matplotlib PolyCollection
        The standard-deviation band of each strategy (absent names when
        there is a single repeat or ``std=False``).

    areas_ : dict of float
        Mean score over the labeling range of each strategy.

    ax_ : matplotlib Axes
        Axes with the curves.

    figure_ : matplotlib Figure
        Figure containing the curves.

    See Also
    --------
    active_learning_curve : Compute the curves.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")  # draw without opening a window
    >>> import matplotlib.pyplot as plt
    >>> from sklabels.active import ActiveLearningCurveDisplay
    >>> disp = ActiveLearningCurveDisplay(
    ...     [10, 20, 30],
    ...     {"margin": [[0.80, 0.90, 0.94]], "random": [[0.80, 0.85, 0.88]]},
    ...     score_name="Accuracy",
    ... ).plot()
    >>> disp.lines_["margin"].get_label()
    'margin (area 0.885)'
    >>> plt.close("all")
    """

    def __init__(self, n_labeled, scores, *, score_name="Score"):
        self.n_labeled = n_labeled
        self.scores = scores
        self.score_name = score_name

    def plot(self, ax=None, *, std=True, **kwargs):
        """Draw the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes.

        std : bool, default=True
            Whether to shade one standard deviation around each mean curve
            (when there are several repeats).

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot`, applied
            to every curve.

        Returns
        -------
        display : ActiveLearningCurveDisplay
            The display, with ``ax_``, ``figure_``, ``lines_``, ``bands_``
            and ``areas_`` set.
        """
        plt = import_pyplot(f"{type(self).__name__}.plot")
        n_labeled, curves = _as_curves(self.n_labeled, self.scores)
        if ax is None:
            _, ax = plt.subplots()
        self.lines_, self.bands_, self.areas_ = {}, {}, {}
        for name, values in curves.items():
            area = _curve_area(n_labeled, values)
            self.areas_[name] = area
            mean = values.mean(axis=0)
            style = {
                "marker": "o",
                "markersize": 3,
                "label": f"{name} (area {area:.3f})",
            }
            style.update(kwargs)
            (line,) = ax.plot(n_labeled, mean, **style)
            self.lines_[name] = line
            if std and values.shape[0] > 1:
                spread = values.std(axis=0)
                self.bands_[name] = ax.fill_between(
                    n_labeled,
                    mean - spread,
                    mean + spread,
                    color=line.get_color(),
                    alpha=0.2,
                )
        ax.set(xlabel="Labeled rows", ylabel=self.score_name)
        ax.legend(loc="lower right")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(
        cls,
        estimator,
        strategy,
        X,
        y,
        *,
        X_test,
        y_test,
        initial=10,
        budget=100,
        batch_size=10,
        scoring=None,
        random_state=None,
        n_repeats=1,
        n_jobs=None,
        score_name=None,
        ax=None,
        std=True,
        **kwargs,
    ):
        """Simulate labeling with each strategy and plot the curves.

        The parameters up to ``n_jobs`` are those of
        :func:`active_learning_curve`.

        Parameters
        ----------
        estimator : estimator object
            The classifier (or Pipeline) to train; cloned at each step.

        strategy : query strategy, or list or dict of them
            The strategies compared, on the same initial rows.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The pool, with the initial rows.

        y : array-like of shape (n_samples,)
            The labels of every row of ``X``: the oracle.

        X_test : {array-like, sparse matrix} of shape (n_test, n_features)
            Held-out rows.

        y_test : array-like of shape (n_test,)
            Their labels.

        initial : int or array-like of int, default=10
            Initial labeled rows (a number drawn per repeat, or positions).

        budget : int, default=100
            Rows labeled after the initial ones.

        batch_size : int, default=10
            Rows queried per step.

        scoring : str, callable or None, default=None
            Scorer; None uses the estimator's ``score``.

        random_state : int, RandomState instance or None, default=None
            Draws the initial rows and seeds the strategies.

        n_repeats : int, default=1
            Simulations per strategy.

        n_jobs : int, default=None
            Simulations run in parallel.

        score_name : str, default=None
            Label of the y axis; None uses ``scoring`` or "Accuracy".

        ax : matplotlib Axes, default=None
            Axes to draw on; None creates a new figure and axes.

        std : bool, default=True
            Whether to shade one standard deviation around each curve.

        **kwargs : dict
            Keyword arguments for :meth:`matplotlib.axes.Axes.plot`.

        Returns
        -------
        display : ActiveLearningCurveDisplay
            The display, drawn.

        Examples
        --------
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import matplotlib.pyplot as plt
        >>> from sklearn.datasets import load_iris
        >>> from sklearn.linear_model import LogisticRegression
        >>> from sklabels.active import (
        ...     ActiveLearningCurveDisplay, RandomSampling, UncertaintySampling)
        >>> X, y = load_iris(return_X_y=True)
        >>> disp = ActiveLearningCurveDisplay.from_estimator(
        ...     LogisticRegression(max_iter=1000),
        ...     {"margin": UncertaintySampling(), "random": RandomSampling()},
        ...     X[::2], y[::2], X_test=X[1::2], y_test=y[1::2],
        ...     initial=3, budget=12, batch_size=3, random_state=0, n_repeats=2)
        >>> sorted(disp.areas_)
        ['margin', 'random']
        >>> plt.close("all")
        """
        import_pyplot(f"{cls.__name__}.from_estimator")
        n_labeled, scores = active_learning_curve(
            estimator,
            strategy,
            X,
            y,
            X_test=X_test,
            y_test=y_test,
            initial=initial,
            budget=budget,
            batch_size=batch_size,
            scoring=scoring,
            random_state=random_state,
            n_repeats=n_repeats,
            n_jobs=n_jobs,
        )
        if not isinstance(scores, dict):  # one strategy
            scores = {repr(strategy): scores}
        if score_name is None:
            score_name = scoring if isinstance(scoring, str) else "Accuracy"
        display = cls(n_labeled, scores, score_name=score_name)
        return display.plot(ax=ax, std=std, **kwargs)
