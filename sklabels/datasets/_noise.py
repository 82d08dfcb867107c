"""Synthetic label noise: flip labels through a noise matrix, draw noise matrices.

Both functions use the confident-learning convention for a noise matrix
``N``: a column-stochastic ``(K, K)`` array with
``N[i, j] = P(given label = i | true label = j)``.
"""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from sklabels.encoding._label_encoder import _inner_label_encoder
from sklabels.utils import check_labels
from sklabels.utils._compat import Interval, validate_params

__all__ = ["make_noise_matrix", "make_noisy_labels"]

# Columns of a user-given noise matrix must sum to 1 within this tolerance.
_COLUMN_SUM_TOL = 1e-6
# Relative margin by which the learnability inequalities must hold, so that
# a matrix we call valid stays valid under another library's floating point.
_VALID_MARGIN = 1e-9
# Random draws tried by make_noise_matrix before its deterministic fallback.
_MAX_ATTEMPTS = 100


def _round_half_up(x):
    """Round to the nearest integer, halves up, forgiving float error."""
    return np.floor(np.asarray(x, dtype=float) + 0.5 + 1e-9).astype(np.int64)


def _allocate(total, weights, rng):
    """Split ``total`` units in proportion to ``weights`` (largest remainder).

    Units left after flooring the quotas go to the largest fractional parts;
    ties are broken at random. Entries with zero weight never get a unit.
    """
    quotas = total * weights / weights.sum()
    alloc = np.floor(quotas).astype(np.int64)
    rest = int(total - alloc.sum())
    if rest > 0:
        remainders = np.where(weights > 0, quotas - alloc, -1.0)
        order = np.lexsort((rng.random_sample(weights.size), -remainders))
        alloc[order[:rest]] += 1
    return alloc


def _flip_codes(codes, n_flips, targets, rng):
    """Flip exactly ``n_flips[j]`` rows of each class ``j`` (private kernel).

    Parameters
    ----------
    codes : ndarray of shape (n_samples,)
        True class codes in ``0..K-1``.
    n_flips : ndarray of shape (K,)
        How many rows of each true class to flip; at most the class count.
    targets : ndarray of shape (K, K)
        Non-negative weights with a zero diagonal: flipped rows of class ``j``
        go to class ``i`` in proportion to ``targets[i, j]``.
    rng : RandomState

    Returns
    -------
    noisy : ndarray of shape (n_samples,)
        The noisy class codes.
    """
    n_classes = targets.shape[0]
    noisy = codes.copy()
    for j in range(n_classes):
        if n_flips[j] == 0:
            continue
        rows = rng.choice(np.flatnonzero(codes == j), n_flips[j], replace=False)
        alloc = _allocate(n_flips[j], targets[:, j], rng)
        # ``rows`` is in random order, so the new classes land on random rows.
        noisy[rows] = np.repeat(np.arange(n_classes), alloc)
    return noisy


def _check_noise_matrix(noise_matrix, classes):
    """Validate a user-given noise matrix against the classes of ``y``."""
    try:
        matrix = np.asarray(noise_matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"noise_matrix must be a numeric array of shape (n_classes, "
            f"n_classes), got {noise_matrix!r}."
        ) from exc
    n_classes = len(classes)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(
            "noise_matrix must be a square array of shape (n_classes, "
            f"n_classes), got an array of shape {matrix.shape}."
        )
    if matrix.shape[0] != n_classes:
        raise ValueError(
            f"noise_matrix has shape {matrix.shape} but y has {n_classes} "
            f"classes {classes.tolist()!r}; its rows and columns follow those "
            "classes in sorted order (pass classes=... to name them "
            "explicitly)."
        )
    if not np.isfinite(matrix).all():
        raise ValueError(f"noise_matrix must be finite, got {matrix.tolist()!r}.")
    if (matrix < 0).any():
        i, j = np.argwhere(matrix < 0)[0]
        raise ValueError(
            "noise_matrix must not contain negative probabilities, got "
            f"noise_matrix[{i}, {j}] = {float(matrix[i, j])!r}."
        )
    col_sums = matrix.sum(axis=0)
    if not np.allclose(col_sums, 1.0, rtol=0.0, atol=_COLUMN_SUM_TOL):
        row_hint = (
            " Its rows sum to 1: pass noise_matrix.T."
            if np.allclose(matrix.sum(axis=1), 1.0, rtol=0, atol=_COLUMN_SUM_TOL)
            else ""
        )
        raise ValueError(
            "noise_matrix must be column-stochastic (entry [i, j] = P(given "
            "label = i | true label = j), so every column sums to 1), got "
            f"column sums {np.round(col_sums, 6).tolist()!r}.{row_hint}"
        )
    return matrix


def _encode(y, classes):
    """Validate ``y`` (and ``classes``): return labels, classes and codes."""
    labels, _ = check_labels(y, input_name="y")
    encoder = _inner_label_encoder(classes=classes)
    codes = np.asarray(encoder.fit_transform(labels))
    return labels, encoder.classes_, codes


@validate_params(
    {
        "y": ["array-like"],
        "noise_rate": [Interval(Real, 0, 1, closed="both"), None],
        "noise_matrix": ["array-like", None],
        "random_state": ["random_state"],
        "classes": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def make_noisy_labels(
    y,
    noise_rate=None,
    noise_matrix=None,
    random_state=None,
    *,
    classes=None,
):
    """Corrupt labels with an exact amount of class-conditional noise.

    Flips a chosen number of labels of every class to other classes, either
    uniformly (``noise_rate``) or following a noise matrix
    (``noise_matrix``). The number of flips is exact, not sampled: for each
    true class ``j`` with ``n_j`` rows, exactly
    ``round(n_j * (1 - noise_matrix[j, j]))`` rows, chosen at random, get a
    new label. This is the noise model of confident learning (Northcutt et
    al., 2021).

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels: integers, strings or any 1-D labels (list, ndarray,
        pandas Series or categorical). Missing labels are not allowed.

    noise_rate : float in [0, 1], default=None
        Uniform noise: the fraction of rows of each class that is flipped,
        each to one of the other classes, spread over them evenly. Equivalent
        to a noise matrix with ``1 - noise_rate`` on the diagonal and
        ``noise_rate / (K - 1)`` elsewhere. Give exactly one of
        ``noise_rate`` and ``noise_matrix``.

    noise_matrix : array-like of shape (n_classes, n_classes), default=None
        Column-stochastic matrix with
        ``noise_matrix[i, j] = P(given label = i | true label = j)``: every
        column sums to 1 (within 1e-6) and no entry is negative. Rows and
        columns follow the sorted classes of ``y`` (``np.unique(y)``), or
        ``classes`` when given. Give exactly one of ``noise_rate`` and
        ``noise_matrix``.

    random_state : int, RandomState instance or None, default=None
        Determines which rows are flipped and ties in the allocation of
        flips. Pass an int for reproducible output across multiple function
        calls.

    classes : array-like of shape (n_classes,), default=None
        The classes, in the order of the rows and columns of
        ``noise_matrix``. Lets labels flip to a class absent from ``y``.
        When None, the sorted unique values of ``y``.

    Returns
    -------
    noisy_labels : ndarray or pandas.Series of shape (n_samples,)
        The labels after corruption, with the dtype of ``np.asarray(y)``
        (strings stay strings; the dtype may widen to hold ``classes``).
        For a pandas Series ``y``, a Series with its index, name and dtype
        (a categorical gains the categories of ``classes`` it lacked).

    flipped : ndarray or pandas.Series of shape (n_samples,), dtype=bool
        True exactly where ``noisy_labels`` differs from ``y``; for a Series
        ``y``, a Series with its index, named ``"flipped"``.

    See Also
    --------
    make_noise_matrix : Draw a random valid noise matrix.

    Notes
    -----
    For each true class ``j`` with ``n_j`` rows, ``F_j = round(n_j * (1 -
    noise_matrix[j, j]))`` rows are drawn without replacement (halves round
    up). They are split among the other classes ``i`` in proportion to
    ``noise_matrix[i, j]`` with the largest-remainder method (ties broken at
    random), so the counts are integers that add up to ``F_j`` exactly. The
    realised noise matrix therefore matches the requested one up to rounding,
    unlike sampling each row independently. The same exact-count scheme is
    used by ``cleanlab.benchmarking.noise_generation.generate_noisy_labels``.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> from sklabels.datasets import make_noisy_labels
    >>> y = ["cat"] * 5 + ["dog"] * 5
    >>> noisy, flipped = make_noisy_labels(y, noise_rate=0.4, random_state=0)
    >>> noisy
    array(['dog', 'cat', 'dog', 'cat', 'cat', 'cat', 'dog', 'cat', 'dog', 'dog'],
          dtype='<U3')
    >>> flipped
    array([ True, False,  True, False, False,  True, False,  True, False, False])

    A pandas Series keeps its index and name:

    >>> import pandas as pd
    >>> pets = pd.Series(y, index=list("abcdefghij"), name="pet")
    >>> noisy, flipped = make_noisy_labels(pets, noise_rate=0.4, random_state=0)
    >>> noisy.head(3)
    a    dog
    b    cat
    c    dog
    Name: pet, dtype: str
    >>> flipped[flipped].index.tolist()
    ['a', 'c', 'f', 'h']
    """
    if (noise_rate is None) == (noise_matrix is None):
        got = "neither" if noise_rate is None else "both"
        raise ValueError(
            "Exactly one of noise_rate and noise_matrix must be given, got "
            f"{got} (noise_rate={noise_rate!r}, noise_matrix="
            f"{'None' if noise_matrix is None else 'an array'})."
        )
    labels, classes, codes = _encode(y, classes)
    rng = check_random_state(random_state)
    n_classes = len(classes)
    counts = np.bincount(codes, minlength=n_classes)

    if noise_matrix is None:
        n_flips = _round_half_up(counts * noise_rate)
        if n_classes < 2 and n_flips.any():
            raise ValueError(
                f"Cannot flip labels with noise_rate={noise_rate!r}: y holds "
                f"a single class {classes.tolist()!r}. Pass classes=... to "
                "name the other classes."
            )
        targets = 1.0 - np.eye(n_classes)
    else:
        matrix = _check_noise_matrix(noise_matrix, classes)
        targets = matrix * (1.0 - np.eye(n_classes))
        n_flips = _round_half_up(counts * (1.0 - np.diag(matrix)))
        # A column whose off-diagonal mass is 0 within the tolerance flips none.
        n_flips[targets.sum(axis=0) <= 0] = 0
    n_flips = np.clip(n_flips, 0, counts)

    noisy_codes = _flip_codes(codes, n_flips, targets, rng)
    flipped = noisy_codes != codes

    dtype = labels.dtype
    if dtype != classes.dtype:
        try:
            dtype = np.result_type(labels.dtype, classes.dtype)
        except TypeError:
            dtype = object
    noisy = labels.astype(dtype, copy=True)
    noisy[flipped] = classes[noisy_codes[flipped]]
    if isinstance(y, pd.Series):
        return _like_series(noisy, y, classes), pd.Series(
            flipped, index=y.index, name="flipped"
        )
    return noisy, flipped


def _like_series(noisy, y, classes):
    """``noisy`` as a Series with the index, name and (if it can hold the
    labels) dtype of ``y``."""
    dtype = y.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        known = set(dtype.categories)
        new = [c for c in classes.tolist() if c not in known]  # classes, not rows
        if new:
            dtype = pd.CategoricalDtype(
                [*dtype.categories, *new], ordered=dtype.ordered
            )
        values = pd.Categorical(noisy, dtype=dtype)
    elif isinstance(dtype, pd.api.extensions.ExtensionDtype):
        # nullable integers, pandas strings: the same dtype when it fits
        try:
            values = pd.array(noisy, dtype=dtype)
        except (TypeError, ValueError):
            values = noisy
    else:
        values = noisy
    return pd.Series(values, index=y.index, name=y.name)


def _noise_rate_counts(n_classes, n_nonzero):
    """Nonzero noise rates per column, as even as possible, largest first."""
    n_noisy = min(n_classes, n_nonzero)
    counts = np.zeros(n_classes, dtype=np.int64)
    base, extra = divmod(n_nonzero, n_noisy)
    counts[:n_noisy] = base
    counts[:extra] += 1
    return counts


def _trace_limits(n_classes, n_nonzero):
    """Smallest feasible trace and smallest trace our fallback always reaches.

    A column ``j`` with ``c_j`` nonzero noise rates has diagonal greater than
    ``1 / (c_j + 1)`` (it must exceed each of them), and a column without
    noise has diagonal 1; spreading the nonzero rates evenly minimises that
    bound. The fallback sets every nonzero noise rate to the same value and
    is valid whenever that value is below ``1 / (max_j c_j + 1)``.
    """
    counts = _noise_rate_counts(n_classes, n_nonzero)
    lower = np.where(counts > 0, 1.0 / (counts + 1), 1.0).sum()
    guaranteed = n_classes - n_nonzero / (counts.max() + 1)
    return float(lower), float(guaranteed)


def _is_valid_noise_matrix(matrix, n_nonzero):
    """Whether ``matrix`` has ``n_nonzero`` noise rates and is learnable.

    Learnable: in every column the diagonal is the largest entry, and (the
    condition of cleanlab's ``noise_matrix_is_valid`` under a uniform prior)
    ``P(given = k) * P(true = k) < P(given = k, true = k)`` for every class.
    """
    n_classes = matrix.shape[0]
    diag = np.diag(matrix)
    off = matrix[~np.eye(n_classes, dtype=bool)]
    if np.count_nonzero(off) != n_nonzero or (matrix < 0).any():
        return False
    max_off = (matrix - np.diag(diag)).max(axis=0)
    if not (max_off < diag * (1.0 - _VALID_MARGIN)).all():
        return False
    given_prior = matrix.sum(axis=1) / n_classes
    return bool((given_prior < diag * (1.0 - _VALID_MARGIN)).all())


def _random_noise_matrix(n_classes, trace, n_nonzero, spread, rng):
    """One random candidate; ``spread`` in [0, 1] scales its randomness."""
    counts = rng.permutation(_noise_rate_counts(n_classes, n_nonzero))
    noisy = counts > 0
    # Diagonal: each noisy column sits in (1 / (c_j + 1), 1); place it at a
    # random fraction u_j of that room, with the room-weighted mean of u set
    # so that the trace comes out exactly.
    low = np.where(noisy, 1.0 / (counts + 1), 1.0)
    room = 1.0 - low
    target = (trace - low.sum()) / room.sum()
    draw = rng.random_sample(n_classes)
    mean = room @ draw / room.sum()
    if mean >= target:
        frac = draw * target / mean
    else:
        frac = 1.0 - (1.0 - draw) * (1.0 - target) / (1.0 - mean)
    frac = target + spread * (frac - target)
    diag = np.where(noisy, low + room * frac, 1.0)

    matrix = np.diag(diag)
    # Rows that still have much room under the learnability condition get
    # the noise first; columns with the largest noise rates are placed first.
    spare = (n_classes - 1) * diag
    rate = np.where(noisy, (1.0 - diag) / np.maximum(counts, 1), 0.0)
    for j in np.lexsort((rng.random_sample(n_classes), -rate)):
        if not noisy[j]:
            continue
        others = np.delete(np.arange(n_classes), j)
        rows = others[np.lexsort((rng.random_sample(others.size), -spare[others]))]
        rows = rows[: counts[j]]
        even = 1.0 / counts[j]
        share = rng.dirichlet(np.ones(counts[j]))
        # Shrink towards even shares so no noise rate reaches the diagonal.
        cap = even + 0.99 * (diag[j] / (1.0 - diag[j]) - even)
        weight = spread
        if share.max() > even:
            weight = min(weight, (cap - even) / (share.max() - even))
        share = even + weight * (share - even)
        matrix[rows, j] = (1.0 - diag[j]) * share
        spare[rows] -= matrix[rows, j]
    return matrix


def _even_noise_matrix(n_classes, trace, n_nonzero, rng):
    """Deterministic fallback: all nonzero noise rates equal, balanced layout.

    The nonzero rates sit on a circulant pattern (offsets 1..q in every
    column, offset q+1 in the first ``extra`` columns), so every row and
    every column holds q or q+1 of them; classes are then relabelled at
    random.
    """
    counts = _noise_rate_counts(n_classes, n_nonzero)
    rate = (n_classes - trace) / n_nonzero
    matrix = np.diag(1.0 - counts * rate)
    cols = np.arange(n_classes)
    for offset in range(1, counts.max() + 1):
        in_use = cols[counts >= offset]
        matrix[(in_use + offset) % n_classes, in_use] = rate
    perm = rng.permutation(n_classes)
    return matrix[np.ix_(perm, perm)]


@validate_params(
    {
        "n_classes": [Interval(Integral, 2, None, closed="left")],
        "avg_trace": [Interval(Real, 0, 1, closed="right")],
        "frac_zero_noise_rates": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_noise_matrix(
    n_classes, avg_trace, frac_zero_noise_rates=0.0, random_state=None
):
    """Draw a random learnable noise matrix with a given trace.

    Returns a column-stochastic matrix ``N`` with
    ``N[i, j] = P(given label = i | true label = j)`` (the convention of
    :func:`make_noisy_labels` and of confident learning), whose mean diagonal
    is ``avg_trace``, with a given fraction of its noise rates (off-diagonal
    entries) exactly zero, and under which the true class stays the most
    likely given label.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_classes : int
        Number of classes ``K``; at least 2.

    avg_trace : float in (0, 1]
        Mean of the diagonal, ``trace(N) / K``: the average probability that
        a label is kept, i.e. ``1 - avg_trace`` is the average noise rate
        over the classes (the fraction of flipped labels when classes are
        balanced). It must exceed ``1 / K`` (more when noise rates are forced
        to zero, see Notes). ``avg_trace=1`` returns the identity matrix.

    frac_zero_noise_rates : float in [0, 1], default=0.0
        Fraction of the ``K * (K - 1)`` off-diagonal entries that are exactly
        zero, i.e. class pairs that are never confused. The count is
        ``round(frac_zero_noise_rates * K * (K - 1))``, halves up. Ignored
        when ``avg_trace=1``, where every noise rate is zero.

    random_state : int, RandomState instance or None, default=None
        Determines the random matrix. Pass an int for reproducible output
        across multiple function calls.

    Returns
    -------
    noise_matrix : ndarray of shape (n_classes, n_classes)
        Column-stochastic noise matrix: non-negative, every column sums to 1,
        trace equal to ``avg_trace * n_classes``.

    Raises
    ------
    ValueError
        If no learnable matrix meets the request (``avg_trace`` too small for
        ``n_classes`` and ``frac_zero_noise_rates``, or every noise rate zero
        with ``avg_trace < 1``), or if none was found for a request at the
        very edge of what is possible.

    See Also
    --------
    make_noisy_labels : Corrupt labels with a noise matrix.

    Notes
    -----
    *Validity.* The matrix satisfies two conditions, strictly:

    - in every column ``j`` the diagonal is the largest entry,
      ``N[j, j] > N[i, j]``: a row of true class ``j`` most often keeps its
      label;
    - for every class ``k``, ``P(given = k) P(true = k) < P(given = k,
      true = k)`` under a uniform prior ``P(true = k) = 1 / K``, i.e.
      ``N[k, k] > mean(N[k, :])``. This is the test of cleanlab's
      ``noise_matrix_is_valid`` (given and true label are positively
      associated for every class, so learning with these noisy labels is
      possible); summed over the classes it requires ``trace(N) > 1``.

    *Feasibility.* A column with ``c`` nonzero noise rates needs a diagonal
    above ``1 / (c + 1)`` and a column without noise has diagonal 1, so with
    ``z = round(frac_zero_noise_rates * K * (K - 1))`` zeros spread as evenly
    as possible over the columns, ``avg_trace`` must exceed
    ``mean_j(1 / (c_j + 1))`` (``1 / K`` when ``z = 0``). Below that a
    ``ValueError`` says so. When the ``c_j`` differ, the row condition can
    bind slightly above that bound; a valid matrix is always produced for
    ``avg_trace > 1 - (K - 1 - z / K) / (max_j c_j + 1)``, and in between the
    error names both limits if no matrix is found.

    *Algorithm.* The zeros are spread evenly over the columns (each column
    gets ``c_j`` nonzero rates, at random positions). Each diagonal entry is
    placed at a random point between ``1 / (c_j + 1)`` and 1, the points
    rescaled so the trace is exact. Each column's noise mass ``1 - N[j, j]``
    is split over its ``c_j`` rows by a Dirichlet draw, shrunk towards equal
    shares so that no rate reaches the diagonal; rows with the most room
    under the second condition receive noise first. A candidate is kept if
    it passes both conditions; up to 100 candidates are drawn, later ones
    with less randomness. Failing that, a deterministic matrix with all
    nonzero rates equal, laid out so every row and column holds about the
    same number of them, is returned when valid. Everything is seeded from
    ``random_state``.

    References
    ----------
    .. [1] C. G. Northcutt, L. Jiang and I. L. Chuang, "Confident Learning:
       Estimating Uncertainty in Dataset Labels", Journal of Artificial
       Intelligence Research, 70, 1373-1411, 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklabels.datasets import make_noise_matrix
    >>> noise_matrix = make_noise_matrix(3, avg_trace=0.8, random_state=0)
    >>> noise_matrix.round(2)
    array([[0.85, 0.2 , 0.06],
           [0.07, 0.79, 0.18],
           [0.08, 0.01, 0.76]])
    >>> noise_matrix.sum(axis=0).round(6)
    array([1., 1., 1.])
    >>> round(float(np.trace(noise_matrix)), 6)
    2.4
    """
    rng = check_random_state(random_state)
    if avg_trace == 1:
        return np.eye(n_classes)
    trace = avg_trace * n_classes
    n_off = n_classes * (n_classes - 1)
    n_zero = int(_round_half_up(frac_zero_noise_rates * n_off))
    n_nonzero = n_off - n_zero
    request = (
        f"n_classes={n_classes!r}, avg_trace={avg_trace!r} and "
        f"frac_zero_noise_rates={frac_zero_noise_rates!r}"
    )
    if n_nonzero == 0:
        raise ValueError(
            f"No noise matrix has {request}: with every noise rate zero the "
            "matrix is the identity, so avg_trace must be 1. Lower "
            "frac_zero_noise_rates or set avg_trace=1."
        )
    lower, guaranteed = _trace_limits(n_classes, n_nonzero)
    if trace <= lower * (1.0 + _VALID_MARGIN):
        zeros = f" with {n_zero} of the {n_off} noise rates zero" if n_zero else ""
        raise ValueError(
            f"No learnable noise matrix has {request}: for {n_classes} classes"
            f"{zeros}, avg_trace must be greater than {lower / n_classes:.6g} "
            "(the true class must stay the most likely label). Increase "
            "avg_trace or lower frac_zero_noise_rates."
        )
    half = _MAX_ATTEMPTS // 2
    for attempt in range(_MAX_ATTEMPTS):
        spread = 1.0 if attempt < half else 0.8 ** (attempt - half + 1)
        matrix = _random_noise_matrix(n_classes, trace, n_nonzero, spread, rng)
        if _is_valid_noise_matrix(matrix, n_nonzero):
            return matrix
    matrix = _even_noise_matrix(n_classes, trace, n_nonzero, rng)
    if _is_valid_noise_matrix(matrix, n_nonzero):
        return matrix
    raise ValueError(
        f"Could not find a learnable noise matrix with {request} in "
        f"{_MAX_ATTEMPTS} attempts: the request is impossible or at the edge "
        "of what is possible. avg_trace must exceed "
        f"{lower / n_classes:.6g} at the very least, and values above "
        f"{guaranteed / n_classes:.6g} always work. "
        "Increase avg_trace or lower frac_zero_noise_rates."
    )
