"""Sphinx configuration for the sklabels documentation.

Build from the repository root with::

    python -m sphinx -b html docs docs/_build/html

The build works offline. Set ``SKLABELS_DOCS_INTERSPHINX=1`` to link to the
numpy, scipy, pandas, scikit-learn and imbalanced-learn docs (needs network).
"""

import os
import re
import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
REPO_ROOT = DOCS_DIR.parent
# Document the checkout, also when sklabels is not installed in the env.
sys.path.insert(0, str(REPO_ROOT))

import sklabels
from sklabels.utils._doc_link import DOCS_URL

# -- Project information -----------------------------------------------------

project = "sklabels"
author = "The sklabels developers"
copyright = "The sklabels developers"
release = sklabels.__version__
# Short X.Y version.
version = ".".join(release.split(".")[:2])

# -- General configuration ---------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    # renders the ``.. doctest::`` blocks of the user guide
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]

templates_path = ["_templates"]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "Thumbs.db",
    ".DS_Store",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes these next to the generated .rst pages.
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/**/*.ipynb",
    "auto_examples/**/*.py",
]
default_role = "literal"

# -- autodoc / autosummary / numpydoc ----------------------------------------

autosummary_generate = True
autodoc_default_options = {"member-order": "groupwise"}
autodoc_typehints = "none"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# -- intersphinx -------------------------------------------------------------

# Fetching inventories needs network; the default build is offline.
_INTERSPHINX_TARGETS = {
    "python": ("https://docs.python.org/3", None),
    "numpy": ("https://numpy.org/doc/stable/", None),
    "scipy": ("https://docs.scipy.org/doc/scipy/", None),
    "pandas": ("https://pandas.pydata.org/pandas-docs/stable/", None),
    "sklearn": ("https://scikit-learn.org/stable/", None),
    "imblearn": ("https://imbalanced-learn.org/stable/", None),
}
_USE_INTERSPHINX = os.environ.get("SKLABELS_DOCS_INTERSPHINX") == "1"
intersphinx_mapping = _INTERSPHINX_TARGETS if _USE_INTERSPHINX else {}

# Methods inherited from scikit-learn / imbalanced-learn (get_params,
# set_output, set_fit_request, score, ...) carry docstrings with :ref: and
# :term: targets that only exist in those projects' docs. Without intersphinx
# they cannot resolve, so offline they are rendered as plain text instead.
_FOREIGN_MODULES = ("sklearn.", "imblearn.")
_STD_ROLE = re.compile(r":(?:ref|term|doc):`([^`<]*?)\s*(?:<([^`>]*)>)?`")


def _plain_role_text(match):
    text, target = match.group(1).strip(), match.group(2)
    if target is None and text.startswith("sphx_glr_"):
        return "the scikit-learn example gallery"
    return text or target


def _unlink_foreign_std_roles(app, what, name, obj, options, lines):
    if _USE_INTERSPHINX:
        return
    module = getattr(obj, "__module__", None) or ""
    if not module.startswith(_FOREIGN_MODULES):
        return
    text = "\n".join(lines)
    new = _STD_ROLE.sub(_plain_role_text, text)
    if new != text:
        lines[:] = new.split("\n")


# -- MyST (Markdown pages: benchmarks, changelog) ----------------------------

myst_heading_anchors = 3

# -- sphinx-gallery ----------------------------------------------------------

_EXAMPLES_DIR = REPO_ROOT / "examples"
_GALLERY_HEADERS = ("README.txt", "README.rst", "GALLERY_HEADER.rst")
_HAS_GALLERY = _EXAMPLES_DIR.is_dir() and any(
    (_EXAMPLES_DIR / name).is_file() for name in _GALLERY_HEADERS
)

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"] if _HAS_GALLERY else [],
    "gallery_dirs": ["auto_examples"] if _HAS_GALLERY else [],
    # The plot_*.py examples and the quickstart run, and their output is shown
    # under their code; any other example would be shown as code only.
    "filename_pattern": r"/(plot_\w+|quickstart)\.py$",
    "download_all_examples": False,
    "image_scrapers": ("matplotlib",),
    "matplotlib_animations": False,
    "doc_module": ("sklabels",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"sklabels": None},
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
}

if not _HAS_GALLERY:
    # Keep the "Examples" toctree entry resolvable without an examples folder.
    _placeholder = DOCS_DIR / "auto_examples" / "index.rst"
    _placeholder.parent.mkdir(exist_ok=True)
    _placeholder.write_text(
        "Examples\n========\n\nNo examples are available yet.\n", encoding="utf-8"
    )

# -- HTML output -------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklabels {release}"
html_static_path = []
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_show_sourcelink = False
# Where the site is published; the estimators' HTML diagrams link to their
# API pages under it (sklabels.utils._doc_link).
html_baseurl = DOCS_URL


def setup(app):
    app.connect("autodoc-process-docstring", _unlink_foreign_std_roles)
