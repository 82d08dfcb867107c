"""Shared machinery of the label transformers: output containers and tags."""

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from sklabels.utils._compat import StrOptions, _get_output_config
from sklabels.utils._doc_link import DocLinkMixin

__all__ = ["_BaseLabelTransformer"]


class _BaseLabelTransformer(
    DocLinkMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    """Base of transformers that take labels ``y`` instead of features ``X``.

    Subclasses implement ``fit(y)``, ``transform(y)``, ``inverse_transform``
    and, when they output one column per class, ``get_feature_names_out``.
    ``set_output`` works as for scikit-learn transformers, but keeps the
    index and name of a pandas ``y`` (scikit-learn's wrapper only keeps a
    DataFrame's index).

    scikit-learn re-wraps ``transform`` / ``fit_transform`` of every subclass
    of a transformer (``__init_subclass__``) with a wrapper whose first
    argument is ``X``, which breaks ``transform(y=...)``; the output container
    is handled here instead, so subclasses opt out of that wrapping too.
    """

    def __init_subclass__(cls, auto_wrap_output_keys=None, **kwargs):
        super().__init_subclass__(auto_wrap_output_keys=auto_wrap_output_keys, **kwargs)

    _output_options = StrOptions({"default", "pandas", "polars"})

    def set_output(self, *, transform=None):
        """Set the container of ``transform`` and ``fit_transform`` outputs.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            "default" returns numpy arrays (or sparse matrices), "pandas" a
            Series (one value per row) or a DataFrame (one column per class)
            indexed like a pandas input, "polars" a polars Series/DataFrame.
            None leaves the configuration unchanged.

        Returns
        -------
        self : estimator instance
            Estimator instance.
        """
        if transform is None:
            return self
        if not self._output_options.is_satisfied_by(transform):
            raise ValueError(
                f"transform must be one of {sorted(self._output_options.options)} "
                f"or None, got {transform!r}."
            )
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

    def _wrap_output(self, data, y):
        """Put ``data`` in the configured container, indexed like ``y``."""
        config = _get_output_config("transform", self)["dense"]
        if config == "default":
            return data
        if sparse.issparse(data):
            raise ValueError(
                f"{config.capitalize()} output does not support sparse data. Set "
                f"sparse_output=False or set_output(transform='default')."
            )
        index = y.index if isinstance(y, (pd.Series, pd.DataFrame)) else None
        name = getattr(y, "name", None)
        if config == "pandas":
            if data.ndim == 1:
                return pd.Series(data, index=index, name=name, copy=False)
            return pd.DataFrame(
                data, index=index, columns=self.get_feature_names_out(), copy=False
            )
        import polars as pl

        if data.ndim == 1:
            return pl.Series(name or "", data)
        return pl.DataFrame(data, schema=list(self.get_feature_names_out()))

    def _class_feature_names(self):
        """One output name per class, as strings, in ``classes_`` order."""
        return np.asarray([str(c) for c in self.classes_], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.target_tags.one_d_labels = True
        return tags
