"""Discovery of the public estimators and functions of sklabels."""

import inspect
import pkgutil
from importlib import import_module
from operator import itemgetter

from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.utils import get_tags

__all__ = ["all_estimators"]

_TYPE_FILTERS = {
    "classifier": lambda est: get_tags(est).estimator_type == "classifier",
    "regressor": lambda est: get_tags(est).estimator_type == "regressor",
    "transformer": lambda est: hasattr(est, "transform"),
    "sampler": lambda est: hasattr(est, "fit_resample"),
    "label_transformer": lambda est: (
        hasattr(est, "transform") and not get_tags(est).input_tags.two_d_array
    ),
}


def _public_subpackages():
    import sklabels

    for info in pkgutil.iter_modules(sklabels.__path__):
        if info.ispkg and not info.name.startswith("_"):
            yield import_module(f"sklabels.{info.name}")


def all_estimators(type_filter=None):
    """List every public estimator class of sklabels.

    Estimators are found in the ``__all__`` of each public subpackage
    (``sklabels.encoding``, ``sklabels.noise``, ...), so a new estimator joins
    the common tests as soon as its subpackage exports it.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "transformer", "sampler", \
"label_transformer"} or list of those, default=None
        Keep only estimators of these kinds; None keeps all. A
        "label_transformer" transforms labels ``y`` rather than features ``X``.

    Returns
    -------
    estimators : list of (name, class) tuples
        Sorted by name.

    Examples
    --------
    >>> from sklabels.utils import all_estimators
    >>> names = [name for name, _ in all_estimators(type_filter="classifier")]
    >>> "TransformedTargetClassifier" in names
    True
    """
    if type_filter is None:
        filters = []
    else:
        if isinstance(type_filter, str):
            filters = [type_filter]
        elif isinstance(type_filter, (list, tuple, set, frozenset)) and all(
            isinstance(f, str) for f in type_filter
        ):
            filters = list(type_filter)
        else:
            raise TypeError(
                f"type_filter must be None, a string or a list of strings among "
                f"{sorted(_TYPE_FILTERS)}, got {type_filter!r}."
            )
        unknown = sorted(set(filters) - set(_TYPE_FILTERS))
        if unknown:
            raise ValueError(
                f"type_filter must be None or among {sorted(_TYPE_FILTERS)}, got "
                f"{unknown!r}."
            )
    found = {}
    for module in _public_subpackages():
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseEstimator)
                and not inspect.isabstract(obj)
                and not name.startswith("_")
            ):
                found[name] = obj
    estimators = sorted(found.items(), key=itemgetter(0))
    if filters:
        estimators = [
            (name, cls)
            for name, cls in estimators
            if any(_TYPE_FILTERS[f](_instance(cls)) for f in filters)
        ]
    return estimators


def _instance(cls):
    """An instance with required arguments filled in, for tag inspection."""
    params = inspect.signature(cls).parameters
    required = {
        name: LogisticRegression() if name in _SUB_ESTIMATOR_PARAMS else None
        for name, p in params.items()
        if p.default is inspect.Parameter.empty
        and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    return cls(**required)


# Required constructor arguments that take an estimator.
_SUB_ESTIMATOR_PARAMS = ("estimator", "classifier", "base_estimator")
