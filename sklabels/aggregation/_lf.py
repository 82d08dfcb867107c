"""Labeling functions and their application to data, giving the label matrix."""

import functools
import sys
from collections.abc import Mapping
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from sklabels.utils._compat import _fit_context, check_is_fitted, validate_data
from sklabels.utils._doc_link import DocLinkMixin
from sklabels.utils._docstrings import fill_doc
from sklabels.utils._progress import Progress, run_steps

__all__ = ["LFApplier", "labeling_function"]


class _Row(dict):
    """A DataFrame row given to a row-wise labeling function.

    A dict of column -> value that also allows attribute access (``x.text``
    as well as ``x["text"]``), as Snorkel's rows do.
    """

    __slots__ = ()

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(
                f"the record has no field {name!r}; fields: {list(self)!r}"
            ) from None


def _check_vectorized(vectorized):
    # Any truthy value would silently switch the calling convention.
    if not isinstance(vectorized, (bool, np.bool_)):
        raise TypeError(
            f"vectorized must be True or False, got {vectorized!r} of type "
            f"{type(vectorized).__name__}."
        )


class LabelingFunction:
    """A labeling function: a callable with a name, resources and a mode.

    Made by :func:`labeling_function`; see there.
    """

    def __init__(self, func, *, name=None, resources=None, vectorized=False):
        if not callable(func):
            raise TypeError(f"A labeling function must be callable, got {func!r}.")
        if name is None:
            name = getattr(func, "__name__", None)
            if name is None:
                raise TypeError(
                    f"{func!r} has no __name__; give the labeling function a name, "
                    "e.g. labeling_function(name='my_lf')(func)."
                )
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {name!r}.")
        if resources is not None and not isinstance(resources, Mapping):
            raise TypeError(
                f"resources must be a mapping of keyword arguments, got {resources!r}."
            )
        _check_vectorized(vectorized)
        functools.update_wrapper(self, func)
        self.func = func
        self.name = name
        self.resources = dict(resources or {})
        self.vectorized = bool(vectorized)

    def __call__(self, x):
        return self.func(x, **self.resources)

    def __repr__(self):
        mode = ", vectorized=True" if self.vectorized else ""
        return f"LabelingFunction({self.name!r}{mode})"

    def __reduce__(self):
        # A decorated module-level function is found under its own name:
        # pickle it by reference, as the function it replaces would be.
        module = sys.modules.get(getattr(self, "__module__", None) or "")
        qualname = getattr(self, "__qualname__", None)
        if module is not None and qualname and "<" not in qualname:
            obj = module
            for part in qualname.split("."):
                obj = getattr(obj, part, None)
            if obj is self:
                return qualname
        return (
            _rebuild,
            (self.func, self.name, self.resources, self.vectorized),
        )


def _rebuild(func, name, resources, vectorized):
    return LabelingFunction(func, name=name, resources=resources, vectorized=vectorized)


def labeling_function(name=None, resources=None, vectorized=False):
    """Decorator that turns a function into a labeling function.

    A labeling function (LF) encodes a heuristic that labels some items and
    abstains on the others: it returns a class code ``0..K-1``, or ``-1``
    (or None) to abstain. A row-wise LF takes one record (a text, a dict, a
    DataFrame row, a row of an array) and returns one vote; a vectorised LF
    (``vectorized=True``) takes the whole input at once (a DataFrame, a
    Series, an array...) and returns one vote per record, which is much
    faster on large corpora. :class:`LFApplier` applies a list of LFs to
    data and returns the label matrix.

    Read more in the :ref:`User Guide <weak_supervision>`.

    Parameters
    ----------
    name : str, default=None
        Name of the LF (a column name of the label matrix and a row of
        :func:`lf_summary`). None uses the function's ``__name__``.

    resources : mapping, default=None
        Keyword arguments passed to the function at every call (keyword
        lists, compiled patterns, lookup tables...).

    vectorized : bool, default=False
        Whether the function takes the whole input and returns an
        array-like of votes, one per record.

    Returns
    -------
    decorator : callable
        Takes a function and returns a labeling function: a callable object
        with attributes ``name``, ``resources``, ``vectorized`` and
        ``func`` (the original function). Decorated module-level functions
        can be pickled, so :class:`LFApplier` can run them in parallel.

    See Also
    --------
    LFApplier : Apply labeling functions to data.
    lf_summary : Coverage, overlaps, conflicts and accuracy of each LF.

    Examples
    --------
    >>> from sklabels.aggregation import labeling_function
    >>> SPAM, HAM, ABSTAIN = 1, 0, -1
    >>> @labeling_function(resources={"words": {"free", "winner"}})
    ... def lf_spammy_words(text, words):
    ...     return SPAM if words & set(text.lower().split()) else ABSTAIN
    >>> lf_spammy_words.name
    'lf_spammy_words'
    >>> lf_spammy_words("You are a WINNER"), lf_spammy_words("See you at noon")
    (1, -1)
    """
    if name is not None and not callable(name) and not isinstance(name, str):
        raise TypeError(f"name must be a str, got {name!r}.")
    if callable(name):
        raise TypeError(
            "labeling_function is a decorator factory: write @labeling_function() "
            "with parentheses."
        )
    _check_vectorized(vectorized)

    def decorator(func):
        return LabelingFunction(
            func, name=name, resources=resources, vectorized=vectorized
        )

    return decorator


def _check_lfs(lfs):
    """LabelingFunction objects with unique names (plain callables wrapped)."""
    if isinstance(lfs, (str, bytes)) or not hasattr(lfs, "__iter__"):
        raise TypeError(
            f"lfs must be a list of labeling functions, got {type(lfs).__name__}."
        )
    lfs = [
        lf if isinstance(lf, LabelingFunction) else LabelingFunction(lf) for lf in lfs
    ]
    if not lfs:
        raise ValueError("lfs is empty; give at least one labeling function.")
    names = [lf.name for lf in lfs]
    seen = set()
    for name in names:
        if name in seen:
            raise ValueError(
                f"Two labeling functions are named {name!r}; names must be unique "
                "(they name the columns of the label matrix). Pass "
                "labeling_function(name=...)."
            )
        seen.add(name)
    return lfs


def _records(X):
    """The sequence of records given to row-wise LFs."""
    if isinstance(X, pd.DataFrame):
        columns = list(X.columns)
        return [
            _Row(zip(columns, row, strict=True))
            for row in X.itertuples(index=False, name=None)
        ]
    if isinstance(X, (pd.Series, pd.Index)):
        return X.tolist()
    if isinstance(X, (list, tuple)):
        return list(X)
    arr = np.asarray(X)
    if arr.ndim == 0:
        raise ValueError(f"X must be a sequence of records, got the scalar {X!r}.")
    if arr.ndim > 2:
        raise ValueError(
            f"X must be a sequence of records or a 2d array, got shape {arr.shape}."
        )
    return list(arr) if arr.ndim == 2 else arr.tolist()


def _n_records(X):
    if isinstance(X, (pd.DataFrame, pd.Series, pd.Index, list, tuple)):
        return len(X)
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) > 0:
        return shape[0]
    return len(_records(X))


def _describe(value):
    return f"{value!r} of type {type(value).__name__}"


def _as_votes(values, lf, n_records):
    """Validate the output of one LF as an int64 vote vector."""
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy(dtype=object if values.hasnans else None)
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n_records:
        raise ValueError(
            f"Labeling function {lf.name!r} returned {arr.shape[0] if arr.ndim else 1}"
            f" vote(s) of shape {arr.shape} for {n_records} records; a vectorized LF "
            "must return one vote per record."
        )
    if arr.dtype.kind == "b":
        raise TypeError(
            f"Labeling function {lf.name!r} returned booleans; return a class code "
            "0..K-1 or -1 to abstain, e.g. np.where(mask, 1, -1)."
        )
    if arr.dtype.kind == "O":
        missing = np.array([v is None for v in arr], dtype=bool)
        for i, v in enumerate(arr):
            if isinstance(v, (bool, np.bool_)):
                raise TypeError(
                    f"Labeling function {lf.name!r} returned the boolean {v!r} for "
                    f"record {i}; return a class code 0..K-1 or -1 to abstain "
                    "(booleans are refused: False would vote for class 0)."
                )
            if not missing[i] and not isinstance(v, (Integral, float, np.floating)):
                raise TypeError(
                    f"Labeling function {lf.name!r} returned {_describe(v)} for record "
                    f"{i}; return a class code 0..K-1, or -1 or None to abstain."
                )
        arr = np.where(missing, -1, arr).astype(np.float64)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"Labeling function {lf.name!r} returned {arr[i].item()!r} for record "
                f"{i}; votes must be integer class codes 0..K-1, or -1 to abstain."
            )
    elif arr.dtype.kind not in "iu":
        raise TypeError(
            f"Labeling function {lf.name!r} returned values of dtype {arr.dtype} "
            f"such as {arr[0]!r}; return class codes 0..K-1, or -1 to abstain."
        )
    arr = arr.astype(np.int64)
    bad = arr < -1
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"Labeling function {lf.name!r} returned {arr[i].item()!r} for record {i}; "
            "votes are class codes >= 0, or -1 to abstain."
        )
    return arr


def _apply(lf, X, records, n_records):
    """Votes of one LF on every record."""
    if lf.vectorized:
        return _as_votes(lf(X), lf, n_records)
    votes = []
    for i, record in enumerate(records):
        try:
            votes.append(lf(record))
        except Exception as exc:
            if hasattr(exc, "add_note"):
                exc.add_note(f"in labeling function {lf.name!r} on record {i}")
            raise
    if not votes:
        return np.empty(0, dtype=np.int64)
    return _as_votes(np.asarray(votes, dtype=object), lf, n_records)


@fill_doc
class LFApplier(DocLinkMixin, TransformerMixin, BaseEstimator):
    """Apply labeling functions to data: records in, label matrix out.

    ``transform(X)`` calls every labeling function (LF) on the data and
    stacks their votes into the label matrix of shape
    ``(n_records, n_lfs)``: class codes ``0..K-1`` and ``-1`` where an LF
    abstained. Row-wise LFs are called once per record; vectorised LFs
    (``labeling_function(vectorized=True)``) once on the whole of ``X``.
    With ``n_jobs`` the LFs run in parallel (one task per LF).

    Read more in the :ref:`User Guide <weak_supervision>`.

    Parameters
    ----------
    lfs : list of callables
        The labeling functions, as made by :func:`labeling_function`; plain
        functions are accepted as row-wise LFs named by their ``__name__``.
        Names must be unique.

    n_jobs : int, default=None
        Number of LFs applied in parallel with joblib.
        %(joblib_context)s
        Parallel work pays off for slow row-wise LFs.

    verbose : int, default=0
        Progress of ``transform`` on stderr: 0 says nothing, 1 a line before
        and after, 2 also one line per labeling function as it finishes, with
        its time.

    Attributes
    ----------
    lf_names_ : ndarray of shape (n_lfs,)
        Name of each LF, i.e. of each column of the label matrix.

    n_features_in_ : int
        Number of columns of ``X`` in ``fit``, when ``X`` is 2-D (a
        DataFrame or an array).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of ``X`` in ``fit``, when ``X`` is a DataFrame with
        string column names.

    See Also
    --------
    labeling_function : Make a labeling function.
    lf_summary : Coverage, overlaps, conflicts and accuracy of each LF.
    LabelModel : Turn the label matrix into probabilistic labels.

    Notes
    -----
    The records given to row-wise LFs are:

    - for a DataFrame, each row as a dict of column -> value that also
      allows attribute access (``x.text`` or ``x["text"]``);
    - for a Series, a 1-D array or a list, each element (a text, a dict...);
    - for a 2-D array, each row as a 1-D array.

    Vectorised LFs receive ``X`` itself, as passed to ``transform``. An LF
    returns a class code, or ``-1`` or None to abstain; booleans are
    refused, since ``False`` would silently vote for class 0. An exception
    raised by an LF is re-raised with a note naming the LF and the record.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklabels.aggregation import LFApplier, labeling_function
    >>> SPAM, HAM, ABSTAIN = 1, 0, -1
    >>> @labeling_function()
    ... def has_link(x):
    ...     return SPAM if "http" in x.text else ABSTAIN
    >>> @labeling_function(vectorized=True)
    ... def short(df):
    ...     return (df.text.str.len() < 15).map({True: HAM, False: ABSTAIN})
    >>> df = pd.DataFrame({"text": ["win http://x.co now", "ok, see you", "hello"]})
    >>> applier = LFApplier([has_link, short])
    >>> applier.fit_transform(df)
    array([[ 1, -1],
           [-1,  0],
           [-1,  0]])
    >>> applier.get_feature_names_out()
    array(['has_link', 'short'], dtype=object)
    """

    _parameter_constraints: dict = {
        "lfs": ["array-like"],
        "n_jobs": [None, Integral],
        "verbose": ["verbose"],
    }

    def __init__(self, lfs, *, n_jobs=None, verbose=0):
        self.lfs = lfs
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _check_input(self, X, reset):
        if hasattr(X, "toarray"):
            raise TypeError(
                "LFApplier does not accept sparse input: give records (a DataFrame, "
                "a list or a 1d/2d array)."
            )
        if isinstance(X, pd.DataFrame) or getattr(X, "ndim", 1) == 2:
            validate_data(self, X, skip_check_array=True, reset=reset)
            if X.shape[1] == 0:
                raise ValueError(
                    f"X has 0 feature(s) (shape={X.shape}) while a minimum of 1 is "
                    "required: records without fields give the labeling functions "
                    "nothing to vote on."
                )
        if _n_records(X) == 0:
            raise ValueError("X is empty: at least one record is required.")

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check the labeling functions and record the input's columns.

        Parameters
        ----------
        X : DataFrame, Series, list or array-like of records
            Data of the kind the labeling functions take.

        y : None
            Ignored.

        Returns
        -------
        self : object
            The applier.
        """
        lfs = _check_lfs(self.lfs)
        self._check_input(X, reset=True)
        self.lf_names_ = np.asarray([lf.name for lf in lfs], dtype=object)
        return self

    def transform(self, X):
        """Apply every labeling function to every record.

        Parameters
        ----------
        X : DataFrame, Series, list or array-like of records
            Data of the kind the labeling functions take.

        Returns
        -------
        L : ndarray of shape (n_records, n_lfs), dtype=int64
            The label matrix: ``L[i, j]`` is the vote of LF ``j`` on record
            ``i``, or ``-1`` when it abstained.
        """
        check_is_fitted(self)
        lfs = _check_lfs(self.lfs)
        if len(lfs) != self.lf_names_.size:
            raise ValueError(
                f"lfs changed since fit ({len(lfs)} labeling functions now, "
                f"{self.lf_names_.size} in fit); fit again."
            )
        self._check_input(X, reset=False)
        n_records = _n_records(X)
        records = _records(X) if any(not lf.vectorized for lf in lfs) else None
        columns = run_steps(
            _apply,
            [(lf, X, records, n_records) for lf in lfs],
            n_jobs=self.n_jobs,
            progress=Progress(self, self.verbose),
            title=f"applying to {n_records} records",
            unit="labeling function",
            verb="applied",
            names=[lf.name for lf in lfs],
        )
        return np.column_stack(columns)

    def get_feature_names_out(self, input_features=None):
        """Names of the columns of the label matrix: the LF names.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
            The LF names.
        """
        check_is_fitted(self)
        return self.lf_names_.copy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Records go to the labeling functions as they are: NaN, strings and
        # any other Python value included.
        tags.input_tags.allow_nan = True
        tags.input_tags.string = True
        tags.transformer_tags.preserves_dtype = []
        return tags
