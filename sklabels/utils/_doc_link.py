"""Links from an estimator's HTML representation to its API page.

scikit-learn draws a "?" link to the documentation in the HTML diagram of an
estimator (``_repr_html_``, shown by Jupyter) from three class attributes:
``_doc_link_module``, ``_doc_link_template`` and
``_doc_link_url_param_generator``. By default they point to scikit-learn's
own site and only for classes of the ``sklearn`` package, so an estimator of
sklabels gets no link. :class:`DocLinkMixin` sets them for sklabels.
"""

import inspect
from importlib import import_module
from itertools import takewhile

__all__ = ["DOCS_URL", "DocLinkMixin", "public_module"]

# Root of the published documentation; docs/conf.py uses it as html_baseurl.
DOCS_URL = "https://sklabels.readthedocs.io/en/latest/"

# The API pages are written by autosummary into docs/generated/ (docs/api.rst).
_API_PAGE = "generated/{estimator_module}.{estimator_name}.html"


def public_module(cls):
    """The public module that exports ``cls``, e.g. ``"sklabels.noise"``.

    The module path up to its first private part: ``DawidSkene``, defined in
    ``sklabels.aggregation._dawid_skene``, is documented as
    ``sklabels.aggregation.DawidSkene``.

    Parameters
    ----------
    cls : type
        A class.

    Returns
    -------
    module : str
        The dotted name of the public module.

    Examples
    --------
    >>> from sklabels.aggregation import DawidSkene
    >>> from sklabels.utils._doc_link import public_module
    >>> public_module(DawidSkene)
    'sklabels.aggregation'
    """
    parts = cls.__module__.split(".")
    return ".".join(takewhile(lambda part: not part.startswith("_"), parts))


class DocLinkMixin:
    """Mixin linking an estimator's HTML representation to its API page.

    Put it first among the bases of a public estimator of sklabels (before
    ``BaseEstimator`` or any class deriving from it). The link is
    ``DOCS_URL + "generated/<public module>.<class name>.html"``, the page
    autosummary writes for the class in ``docs/api.rst``. A class that its
    public module does not export (a private helper) or a subclass defined
    outside sklabels gets no link, as scikit-learn does for foreign classes.

    Examples
    --------
    >>> from sklabels.noise import ConfidentLearningFilter
    >>> ConfidentLearningFilter()._get_doc_link()
    'https://sklabels.readthedocs.io/en/latest/generated/sklabels.noise.ConfidentLearningFilter.html'
    """

    _doc_link_module = "sklabels"
    _doc_link_template = DOCS_URL + _API_PAGE

    def _doc_link_url_param_generator(self):
        cls = type(self)
        return {"estimator_module": public_module(cls), "estimator_name": cls.__name__}

    def _get_doc_link(self):
        cls = type(self)
        if cls.__module__.split(".")[0] != self._doc_link_module:
            return ""
        if cls.__name__.startswith("_") or inspect.isabstract(cls):
            return ""
        # only a class its public module exports has an API page
        module = import_module(public_module(cls))
        if getattr(module, cls.__name__, None) is not cls:
            return ""
        return super()._get_doc_link()
