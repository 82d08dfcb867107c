"""Metadata of the samplers that fit a model on cross-validation folds.

Such a sampler's ``fit_resample(X, y, **params)`` takes ``groups`` (for
``cv.split``) and ``sample_weight`` (for the ``fit`` of each fold model)
without metadata routing, and routes any metadata where it is requested
with routing enabled. The sampler has a parameter ``estimator`` (its
``_make_estimator()`` gives the model to fit) and ``cv``.
"""

from numbers import Integral

import numpy as np
from sklearn.model_selection import check_cv
from sklearn.utils.validation import has_fit_parameter

from sklabels.utils._compat import (
    MetadataRouter,
    MethodMapping,
    _check_sample_weight,
    _routing_enabled,
    process_routing,
)

__all__ = [
    "check_fold_fit_params",
    "fold_metadata_router",
    "n_folds_asked",
    "route_fold_params",
]


def n_folds_asked(cv):
    """The number of folds ``cv`` asks for (None: 5), or None for a splitter
    or an iterable of splits."""
    if cv is None:
        return 5
    return cv if isinstance(cv, Integral) else None


def route_fold_params(owner, params, *, groups_error=None):
    """``(fit_params, split_params)``: metadata for the fold models and ``cv``.

    Parameters
    ----------
    owner : sampler
        The sampler whose ``fit_resample`` got ``params``.
    params : dict
        The metadata given to ``fit_resample``.
    groups_error : str, default=None
        Message of the ValueError raised when ``groups`` are given (routing
        disabled) but the folds ignore them; None when they take them.
    """
    if _routing_enabled():
        routed = process_routing(owner, "fit_resample", **params)
        return dict(routed.estimator.fit), dict(routed.splitter.split)
    unknown = sorted(set(params) - {"groups", "sample_weight"})
    if unknown:
        raise TypeError(
            f"{type(owner).__name__}.fit_resample got unexpected keyword "
            f"argument(s) {unknown!r}. Without metadata routing it takes "
            "groups and sample_weight only; to pass other metadata to the "
            "estimator or the splitter, enable routing with "
            "sklearn.set_config(enable_metadata_routing=True) and request "
            "them (estimator.set_fit_request(...))."
        )
    fit_params, split_params = {}, {}
    groups = params.get("groups")
    if groups is not None:
        if groups_error is not None:
            raise ValueError(groups_error)
        split_params["groups"] = groups
    sample_weight = params.get("sample_weight")
    if sample_weight is not None:
        estimator = owner._make_estimator()
        if not has_fit_parameter(estimator, "sample_weight"):
            raise TypeError(
                f"sample_weight was given but estimator={estimator!r} takes "
                "no sample_weight in fit. Use an estimator that does, or "
                "enable metadata routing and request the weights where "
                "they apply (e.g. a pipeline step's set_fit_request)."
            )
        fit_params["sample_weight"] = sample_weight
    return fit_params, split_params


def check_fold_fit_params(fit_params, X):
    """``fit_params`` with a validated float ``sample_weight`` (if any)."""
    if fit_params.get("sample_weight") is None:
        return fit_params
    return {
        **fit_params,
        "sample_weight": _check_sample_weight(
            fit_params["sample_weight"], X, dtype=np.float64
        ),
    }


def fold_metadata_router(owner, splitter):
    """The router of ``fit_resample`` / ``fit``: ``estimator.fit`` and
    ``splitter.split`` (``splitter``: the ``cv`` object, or the splitter an
    int ``cv`` stands for)."""
    return (
        MetadataRouter(owner=owner)
        .add(
            estimator=owner._make_estimator(),
            method_mapping=MethodMapping()
            .add(caller="fit_resample", callee="fit")
            .add(caller="fit", callee="fit"),
        )
        .add(
            splitter=check_cv(splitter),
            method_mapping=MethodMapping()
            .add(caller="fit_resample", callee="split")
            .add(caller="fit", callee="split"),
        )
    )
