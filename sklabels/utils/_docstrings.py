"""Parameter text shared by several docstrings, written once and substituted.

A docstring line that is only ``%(key)s`` (after its indentation) is replaced
by the entry ``key``, indented like the line; ``%(key)s`` within a sentence by
the entry on one line. A module adds its own entries with
``make_fill_doc({**SHARED_DOC, ...})``.
"""

import re
import textwrap

__all__ = ["SHARED_DOC", "fill_doc", "make_fill_doc"]

SHARED_DOC = {
    "unlabeled": """\
unlabeled : int, float, str or None, default=-1
    The label value that marks an unlabeled row. None and NaN always do.""",
    # The end of every joblib ``n_jobs`` entry, on lines of its own.
    "joblib_context": """\
None means 1 unless in a :obj:`joblib.parallel_config` context (which can
also send the work to a Dask or Ray cluster); -1 means all processors.""",
}


def make_fill_doc(shared):
    """A decorator substituting the entries of ``shared`` into a docstring.

    A line that is only ``%(key)s`` becomes the entry, indented like the
    line (read from the docstring itself: Python 3.13 strips indentation);
    a ``%(key)s`` inside a line of text becomes the entry on that line, its
    line breaks turned into spaces. An unknown key raises ``KeyError`` at
    import time.
    """

    def fill_doc(obj):
        if obj.__doc__ is None:  # python -OO
            return obj
        doc = re.sub(
            r"^( *)%\((\w+)\)s$",
            lambda m: textwrap.indent(shared[m.group(2)], m.group(1)),
            obj.__doc__,
            flags=re.MULTILINE,
        )
        obj.__doc__ = re.sub(
            r"%\((\w+)\)s", lambda m: " ".join(shared[m.group(1)].split()), doc
        )
        return obj

    return fill_doc


fill_doc = make_fill_doc(SHARED_DOC)
