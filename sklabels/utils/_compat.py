"""One home for the private scikit-learn helpers sklabels relies on.

scikit-learn moves its private helpers from time to time; importing them here,
and only here, means such a move changes one line.
"""

# imbalanced-learn's private helper that gives samplers' output the input's
# container (DataFrame / Series / list).
from imblearn.utils._validation import ArraysTransformer
from sklearn.base import _fit_context
from sklearn.model_selection._split import _BaseKFold
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import (
    HasMethods,
    Hidden,
    Interval,
    Options,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils._set_output import _get_output_config
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    _raise_for_params,
    _routing_enabled,
    process_routing,
)
from sklearn.utils.validation import (
    _check_method_params,
    _check_sample_weight,
    _num_samples,
    check_is_fitted,
    validate_data,
)

__all__ = [
    "ArraysTransformer",
    "HasMethods",
    "Hidden",
    "Interval",
    "MetadataRouter",
    "MethodMapping",
    "Options",
    "RealNotInt",
    "StrOptions",
    "_BaseKFold",
    "_check_method_params",
    "_check_sample_weight",
    "_fit_context",
    "_get_output_config",
    "_num_samples",
    "_raise_for_params",
    "_routing_enabled",
    "_safe_indexing",
    "check_is_fitted",
    "process_routing",
    "validate_data",
    "validate_params",
]
