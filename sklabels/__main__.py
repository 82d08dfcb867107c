"""``python -m sklabels``: the ``sklabels`` command (see ``sklabels --help``)."""

from sklabels.report._cli import main

if __name__ == "__main__":
    raise SystemExit(main())
