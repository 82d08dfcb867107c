"""Every estimator's HTML representation links to its API page."""

import re
import runpy
from pathlib import Path

import pytest
from sklearn.base import BaseEstimator

from sklabels.aggregation import DawidSkene
from sklabels.noise import ConfidentLearningFilter
from sklabels.utils import all_estimators
from sklabels.utils._discovery import _instance
from sklabels.utils._doc_link import DOCS_URL, DocLinkMixin, public_module

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"


def _api_pages():
    """``module.Name`` of every entry of an autosummary with a toctree."""
    pages, module, in_toctree_block = set(), None, False
    for line in (DOCS / "api.rst").read_text(encoding="utf-8").splitlines():
        current = re.match(r"\.\. currentmodule:: (\S+)", line)
        if current:
            module = current.group(1)
        elif line.startswith(".. autosummary::"):
            in_toctree_block = False
        elif line.strip() == ":toctree: generated/":
            in_toctree_block = True
        elif line and not line.startswith(" "):
            in_toctree_block = False
        elif in_toctree_block and re.fullmatch(r"   [A-Za-z_]\w*", line):
            pages.add(f"{module}.{line.strip()}")
    return pages


API_PAGES = _api_pages()


@pytest.mark.parametrize(
    "name, cls", all_estimators(), ids=[name for name, _ in all_estimators()]
)
def test_estimator_html_repr_links_to_its_api_page(name, cls):
    estimator = _instance(cls)
    module = public_module(cls)
    expected = f"{DOCS_URL}generated/{module}.{name}.html"
    assert estimator._get_doc_link() == expected
    assert expected in estimator._repr_html_()
    # the page autosummary writes for the class (docs/api.rst), under the
    # public module that exports it, not the private one that defines it
    assert f"{module}.{name}" in API_PAGES
    assert not any(part.startswith("_") for part in module.split("."))


def test_doc_link_points_to_the_public_module():
    assert DawidSkene.__module__ == "sklabels.aggregation._dawid_skene"
    assert DawidSkene()._get_doc_link() == (
        f"{DOCS_URL}generated/sklabels.aggregation.DawidSkene.html"
    )


def test_doc_link_empty_for_a_subclass_defined_outside_sklabels():
    class MyFilter(ConfidentLearningFilter):
        pass

    assert MyFilter.__module__ == __name__
    assert MyFilter()._get_doc_link() == ""


def test_doc_link_empty_for_a_class_its_public_module_does_not_export():
    private = type(
        "_HelperEstimator",
        (DocLinkMixin, BaseEstimator),
        {"__module__": "sklabels.noise._filter"},
    )
    unexported = type(
        "NotExported", (DocLinkMixin, BaseEstimator), {"__module__": "sklabels.noise"}
    )
    assert private()._get_doc_link() == ""
    assert unexported()._get_doc_link() == ""


def test_docs_base_url_is_the_doc_link_root():
    conf = runpy.run_path(str(DOCS / "conf.py"))
    assert conf["html_baseurl"] == DOCS_URL
    assert DOCS_URL.endswith("/")
