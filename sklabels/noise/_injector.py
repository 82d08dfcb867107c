"""LabelNoiseInjector: corrupt the training labels inside a pipeline."""

from numbers import Real

import numpy as np
from sklearn.utils import check_random_state

from sklabels.datasets import make_noisy_labels
from sklabels.utils._compat import Interval, _fit_context
from sklabels.utils._sampler import LabelSampler

__all__ = ["LabelNoiseInjector"]


class LabelNoiseInjector(LabelSampler):
    """Flip a share of the training labels, to measure robustness to noise.

    An imbalanced-learn sampler that returns ``X`` unchanged and ``y`` with
    labels flipped by :func:`~sklabels.datasets.make_noisy_labels`: uniform
    noise (``noise_rate``) or class-conditional noise (``noise_matrix``),
    with an exact number of flips per class. In an imbalanced-learn
    :class:`~imblearn.pipeline.Pipeline`, samplers act in ``fit`` only, so in
    :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate` the model is trained on
    corrupted labels and scored on the clean labels of the test folds: a
    measure of how much label noise costs, and of how well a remedy (such as
    :class:`ConfidentLearningFilter` as the next step) recovers it.

    Read more in the :ref:`User Guide <noise>`.

    Parameters
    ----------
    noise_rate : float in [0, 1] or None, default=0.2
        Fraction of the rows of each class flipped, each to one of the other
        classes (spread evenly). Set it to None to use ``noise_matrix``.

    noise_matrix : array-like of shape (n_classes, n_classes), default=None
        Column-stochastic matrix with
        ``noise_matrix[i, j] = P(given label = i | true label = j)``; rows and
        columns follow the sorted classes of the ``y`` given to
        ``fit_resample``. Exactly one of ``noise_rate`` and ``noise_matrix``
        must be given (not None).

    random_state : int, RandomState instance or None, default=None
        Which rows are flipped, and to what. Pass an int for reproducible
        output across multiple calls.

    Attributes
    ----------
    noisy_mask_ : ndarray of shape (n_samples,), dtype=bool
        Which rows got a new label.

    sample_indices_ : ndarray of shape (n_samples,)
        Indices of the returned rows: every row, in order.

    sampling_strategy_ : str
        Always "auto": no row is added or removed (imbalanced-learn's
        "bypass" sampling type).

    n_features_in_ : int
        Number of features seen during fit.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when X has string column names.

    See Also
    --------
    sklabels.datasets.make_noisy_labels : The function it calls.
    sklabels.datasets.make_noise_matrix : Draw a realistic noise matrix.
    ConfidentLearningFilter : Find and remove the flipped labels again.

    Notes
    -----
    ``fit`` does the same work as ``fit_resample``. A class missing from the
    ``y`` given (say, from a cross-validation fold) changes the meaning of
    the rows and columns of ``noise_matrix``; with stratified folds every
    class is present.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.noise import LabelNoiseInjector
    >>> X = np.arange(10).reshape(-1, 1)
    >>> y = np.array(["cat"] * 5 + ["dog"] * 5)
    >>> injector = LabelNoiseInjector(noise_rate=0.4, random_state=0)
    >>> X_res, y_noisy = injector.fit_resample(X, y)
    >>> y_noisy
    array(['dog', 'cat', 'dog', 'cat', 'cat', 'cat', 'dog', 'cat', 'dog', 'dog'],
          dtype='<U3')
    >>> np.flatnonzero(injector.noisy_mask_)
    array([0, 2, 5, 7])
    >>> bool((X_res == X).all())
    True
    """

    _parameter_constraints: dict = {
        "noise_rate": [Interval(Real, 0, 1, closed="both"), None],
        "noise_matrix": ["array-like", None],
        "random_state": ["random_state"],
    }

    def __init__(self, noise_rate=0.2, *, noise_matrix=None, random_state=None):
        self.noise_rate = noise_rate
        self.noise_matrix = noise_matrix
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit_resample(self, X, y):
        """Return ``X`` unchanged and ``y`` with labels flipped.

        Parameters
        ----------
        X : {array-like, dataframe, sparse matrix} of shape (n_samples, n_features)
            Data, returned as given.

        y : array-like of shape (n_samples,)
            Clean labels, of any type (integers, strings, categoricals).

        Returns
        -------
        X_resampled : {array-like, dataframe, sparse matrix} of shape \
(n_samples, n_features)
            ``X``, in the container given.

        y_resampled : array-like of shape (n_samples,)
            The labels, those of ``noisy_mask_`` flipped; same container and
            dtype as ``y``.
        """
        return self._validate_and_resample(X, y)

    def _fit_resample(self, X, y):
        if (self.noise_rate is None) == (self.noise_matrix is None):
            got = "neither" if self.noise_rate is None else "both"
            raise ValueError(
                "Exactly one of noise_rate and noise_matrix must be given, got "
                f"{got} (noise_rate={self.noise_rate!r}, noise_matrix="
                f"{'None' if self.noise_matrix is None else 'an array'}). To use "
                "a noise matrix, pass noise_rate=None."
            )
        rng = check_random_state(self.random_state)
        noisy, flipped = make_noisy_labels(
            y,
            noise_rate=self.noise_rate,
            noise_matrix=self.noise_matrix,
            random_state=rng,
        )
        y_res = y.copy()  # keeps the dtype of y
        y_res[flipped] = noisy[flipped]
        self.noisy_mask_ = np.asarray(flipped, dtype=bool)
        self.sample_indices_ = np.arange(len(y))
        return X, y_res

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # X is returned as given, never read
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        return tags
