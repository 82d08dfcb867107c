"""Methods a meta-estimator passes on to its fitted model, written once.

A meta-estimator that predicts with one fitted model (``estimator_``) has the
same ``predict`` / ``predict_proba`` / ``predict_log_proba`` /
``decision_function`` bodies as every other one: check that it is fitted,
then call the model. :func:`delegated_method` builds such a method and its
docstring; the methods other than ``predict`` exist only when the model
has them (``available_if`` with :func:`~sklabels.utils._metaestimators.estimator_has`).
:func:`inherit_input_tags` gives it the input tags of its model.
"""

from sklearn.utils import get_tags
from sklearn.utils.metaestimators import available_if

from sklabels.utils._compat import check_is_fitted
from sklabels.utils._metaestimators import estimator_has

__all__ = ["delegated_method", "inherit_input_tags"]


_DOC = """{summary}

Parameters
----------
X : {{array-like, sparse matrix}} of shape (n_samples, n_features)
    Samples.

Returns
-------
{returns}
"""


def delegated_method(
    method, summary, returns, *, fitted="estimator_", unfitted="estimator"
):
    """A method ``method(self, X)`` returning ``self.<fitted>.<method>(X)``.

    Parameters
    ----------
    method : str
        Name of the method, the same on the meta-estimator and on its model.
    summary : str
        First line of the method's docstring.
    returns : str
        The "Returns" section of its docstring (numpydoc, not indented):
        ``"name : type\n    description"``.
    fitted : str, default="estimator_"
        Attribute holding the fitted model.
    unfitted : str, default="estimator"
        Parameter holding the unfitted model; with ``fitted``, it decides
        whether the method exists (every method but ``predict`` is wrapped in
        ``available_if``).

    Returns
    -------
    function
        To be assigned in a class body: ``predict_proba = delegated_method(...)``.
    """

    def delegate(self, X):
        check_is_fitted(self)
        return getattr(getattr(self, fitted), method)(X)

    delegate.__name__ = method
    delegate.__qualname__ = method
    delegate.__doc__ = _DOC.format(summary=summary, returns=returns)
    if method == "predict":
        return delegate
    return available_if(estimator_has(method, fitted=fitted, unfitted=unfitted))(
        delegate
    )


def inherit_input_tags(tags, estimator, names=("sparse", "allow_nan")):
    """Set the input tags ``names`` of ``tags`` to those of ``estimator``.

    A meta-estimator takes the inputs its model takes: its
    ``__sklearn_tags__`` calls this with the (unfitted) model.
    """
    inner = get_tags(estimator).input_tags
    for name in names:
        setattr(tags.input_tags, name, getattr(inner, name))
    return tags
