"""Small helpers shared by the meta-estimators (estimators that wrap another)."""

from sklearn.utils.multiclass import type_of_target

__all__ = ["check_classification_y", "copy_input_attributes"]


def check_classification_y(estimator, y):
    """Refuse a missing, complex or continuous ``y`` the way scikit-learn does.

    Label sets and other targets that ``type_of_target`` cannot read are let
    through: the caller's label transformer validates them.
    """
    if y is None:
        raise ValueError(
            f"{type(estimator).__name__} requires y to be passed, but the target y "
            "is None."
        )
    if getattr(getattr(y, "dtype", None), "kind", None) == "c":
        raise ValueError("Complex data not supported: y has complex values.")
    try:
        target_type = type_of_target(y, input_name="y")
    except (ValueError, TypeError):
        return
    if target_type in ("continuous", "continuous-multioutput"):
        raise ValueError(
            f"Unknown label type: {target_type}. y holds continuous values, not "
            "class labels; use a regressor for regression targets."
        )


def copy_input_attributes(meta, inner):
    """Copy ``n_features_in_`` / ``feature_names_in_`` from a fitted inner model."""
    for attr in ("n_features_in_", "feature_names_in_"):
        if hasattr(inner, attr):
            setattr(meta, attr, getattr(inner, attr))
