"""Fixtures shared by every test module."""

import pytest

from sklabels.utils._progress import reset_warnings_once


@pytest.fixture(autouse=True)
def _said_warnings_forgotten():
    """Each test sees the once-only warnings afresh (see ``warn_once``)."""
    reset_warnings_once()
    yield
    reset_warnings_once()
