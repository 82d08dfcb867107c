"""README.md and the docs: their examples run, they name every public name,
and they speak to users."""

import doctest
import re
import runpy
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


# -- README ------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")

# Subpackages whose README row arrives with them, in the same change.
_README_ROW_PENDING = {"sklabels.report"}


def _public_names():
    from sklabels.utils._discovery import _public_subpackages

    for module in _public_subpackages():
        if module.__name__ in _README_ROW_PENDING:
            continue
        for name in module.__all__:
            yield module.__name__, name


@pytest.mark.parametrize(
    "module, name", list(_public_names()), ids=lambda value: str(value)
)
def test_readme_lists_every_public_name(module, name):
    row = next(
        (line for line in README.splitlines() if line.startswith(f"| `{module}` |")),
        None,
    )
    assert row is not None, f"README.md has no row for {module}"
    assert f"`{name}`" in row, f"README.md's row for {module} does not name {name}"


def test_readme_starts_with_two_make_commands_and_a_pip_line():
    block = re.search(r"```bash\n(.*?)```", README, flags=re.DOTALL)
    commands = [line.split("#")[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make demo", "make test"]
    after = README[block.end() :].strip().split("\n\n")[0]
    assert "`pip install ." in after


def test_readme_names_only_files_of_the_repository():
    # paths in backticks: every one exists in the checkout (build output aside)
    paths = re.findall(r"`((?:\.?[\w-]+/)+[\w.-]*)`", README)
    assert "docs/benchmarks.md" in paths
    for path in paths:
        if path.startswith(("docs/_build/", "build/")):  # written by make
            continue
        assert (ROOT / path).exists(), f"README.md names {path}, not in the repository"
    assert not re.search(r"(?<![\w.])(\.\./|~/|/work/|/home/|/tmp/)", README)


# -- docs --------------------------------------------------------------------

_ISSUE_NUMBER = re.compile(r"\b[Ii]ssues?\s+#?\d+|(?<![\w&])#\d+\b")


def _user_facing_pages():
    yield ROOT / "README.md"
    for folder, patterns in (("docs", ("*.md", "*.rst", "*.py")), ("examples", ("*",))):
        for pattern in patterns:
            for path in sorted((ROOT / folder).rglob(pattern)):
                if path.is_file() and "_build" not in path.parts:
                    if (
                        "auto_examples" not in path.parts
                        and "generated" not in path.parts
                    ):
                        yield path


def test_docs_have_no_internal_issue_numbers():
    for path in _user_facing_pages():
        text = path.read_text(encoding="utf-8")
        found = _ISSUE_NUMBER.search(text)
        assert found is None, f"{path.relative_to(ROOT)}: {found.group(0)!r}"


def test_gallery_runs_every_example():
    """Every example, the quickstart included, is executed by sphinx-gallery,
    so its page shows the output under the code."""
    conf = runpy.run_path(str(ROOT / "docs" / "conf.py"))
    gallery = conf["sphinx_gallery_conf"]
    assert gallery["examples_dirs"] == ["../examples"]
    examples = sorted((ROOT / "examples").glob("*.py"))
    assert ROOT / "examples" / "quickstart.py" in examples
    for example in examples:
        assert re.search(gallery["filename_pattern"], str(example)), example.name
