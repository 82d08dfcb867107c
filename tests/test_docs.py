"""The examples in README.md and the user guide run as doctests."""

import doctest
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs" / "user_guide").glob("*.rst"))]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_page_examples_run(page):
    result = doctest.testfile(
        str(page),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS,
    )
    assert result.failed == 0, f"{result.failed} example(s) failed in {page.name}"


def test_user_guide_pages_have_examples():
    pages = sorted((ROOT / "docs" / "user_guide").glob("*.rst"))
    pages = [p for p in pages if p.name != "index.rst"]
    assert pages
    for page in pages:
        assert ">>>" in page.read_text(), f"{page.name} has no runnable example"
