"""The ``sklabels`` command: ``sklabels audit DATA --target COLUMN ...``.

A thin argparse layer over :func:`sklabels.report.audit`. Exit code 0 when
the audit ran (finding issues is not an error), 2 for a usage error, with
a one-line reason on stderr. Input files are only read; the outputs refuse
to overwrite an input.
"""

import argparse
import sys
import warnings
from pathlib import Path

import pandas as pd

from sklabels.report._audit import audit
from sklabels.report._checks import CHECKS

__all__ = ["main"]

_DEMO_HTML = "sklabels-audit-demo.html"


class UsageError(Exception):
    """A problem with the command line or the input files (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{message} (see '{self.prog} --help')")


def _parser():
    parser = _Parser(
        prog="sklabels",
        description="sklabels: tools for labels. Audit a labeled table.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub = commands.add_parser(
        "audit",
        help="audit a labeled table: wrong labels, duplicates, leaks, ...",
        description=(
            "Audit a labeled table and print one line per check: label issues "
            "(confident learning), class balance, duplicates with conflicting "
            "labels, leakage suspects; with --annotations, annotator quality "
            "and consensus; with --test, train/test overlap and label shift; "
            "with --groups, label bias. A numeric target gets the regression "
            "check; several 0/1 target columns (or --tag-sep) the multi-label "
            "checks (tag balance, label issues per tag). Exit code 0 when the "
            "audit ran (issues found or not), 2 for a usage error. Input files "
            "are never modified."
        ),
        epilog=(
            "File formats: DATA and the test file are CSV or Parquet (by "
            "extension: .parquet / .pq; Parquet needs pyarrow or fastparquet). "
            "The annotations file is a long table with columns item, annotator "
            "(or source) and label; item is the value of the --id column of "
            "DATA, or without --id the 0-based row position. The test file has "
            "the columns of DATA (target and groups included). "
            "Examples: sklabels audit data.csv --target label --html report.html; "
            "sklabels audit news.csv --target tags --tag-sep '|'; "
            "sklabels audit news.csv --target sports,politics,science; "
            "sklabels audit --demo"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub.add_argument("data", nargs="?", metavar="DATA", help="CSV or Parquet file")
    sub.add_argument(
        "--target",
        metavar="COLUMN",
        action="append",
        help=(
            "column holding the labels; for a multi-label table give several "
            "0/1 tag columns (--target a --target b, or --target a,b), or one "
            "column of delimited tags with --tag-sep"
        ),
    )
    sub.add_argument(
        "--tag-sep",
        metavar="SEP",
        help=(
            "the --target column holds several tags per row separated by SEP "
            "(e.g. '|'); an empty cell is a row without tags"
        ),
    )
    sub.add_argument(
        "--annotations",
        metavar="FILE",
        help="long table of annotations: item, annotator (or source), label",
    )
    sub.add_argument(
        "--test", metavar="FILE", help="test rows with the columns of DATA"
    )
    sub.add_argument(
        "--groups",
        metavar="COLUMN",
        help="column of groups for the label bias check (not used as a feature)",
    )
    sub.add_argument(
        "--id",
        metavar="COLUMN",
        help="column of row ids (not used as a feature; names rows in the report)",
    )
    sub.add_argument("--html", metavar="OUT", help="write the HTML report here")
    sub.add_argument("--json", metavar="OUT", help="write the JSON findings here")
    sub.add_argument(
        "--checks",
        nargs="+",
        metavar="CHECK",
        help=(
            "checks to run, separated by spaces or commas (default: all that "
            f"apply): {', '.join(CHECKS)}"
        ),
    )
    sub.add_argument("--cv", type=int, default=5, help="number of folds (default 5)")
    sub.add_argument(
        "--n-jobs", type=int, default=None, help="folds in parallel (default 1)"
    )
    sub.add_argument(
        "--random-state",
        type=int,
        default=None,
        help="seed shuffling the folds (default: unshuffled, deterministic)",
    )
    sub.add_argument(
        "--verbose", action="store_true", help="progress of the long steps on stderr"
    )
    sub.add_argument(
        "--demo",
        action="store_true",
        help=(
            "audit built-in data with planted problems (wine data: flipped labels, "
            "conflicting duplicates, an id column, a leak, a shifted test set, a "
            f"spamming annotator) and write the HTML report ({_DEMO_HTML} by "
            "default)"
        ),
    )
    return parser


def _read(path, what):
    """A table read from CSV or Parquet, or a UsageError saying why not."""
    file = Path(path)
    if not file.is_file():
        raise UsageError(f"{what} {str(path)!r} is not a file")
    if file.stat().st_size == 0:
        raise UsageError(f"{what} {str(path)!r} is empty")
    try:
        if file.suffix.lower() in (".parquet", ".pq"):
            table = pd.read_parquet(file)
        else:
            table = pd.read_csv(file)
    except ImportError:
        raise UsageError(
            f"reading {what} {str(path)!r} needs pyarrow or fastparquet "
            "(pip install pyarrow)"
        ) from None
    except pd.errors.EmptyDataError:
        raise UsageError(f"{what} {str(path)!r} is empty (no columns)") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc)
        raise UsageError(f"{what} {str(path)!r} does not parse: {first}") from None
    if table.shape[0] == 0:
        raise UsageError(f"{what} {str(path)!r} has a header but no rows")
    return table


def _column(table, name, option, what):
    if name not in table.columns:
        raise UsageError(
            f"{option} {name!r} is not a column of {what}; its columns are: "
            f"{', '.join(map(str, table.columns))}"
        )


def _set_id(table, column, what):
    _column(table, column, "--id", what)
    if table[column].isna().any() or table[column].duplicated().any():
        raise UsageError(
            f"--id {column!r} must hold one distinct id per row of {what}; it has "
            "missing or repeated values"
        )
    return table.set_index(column)


def _check_outputs(args, inputs):
    read = {Path(p).resolve() for p in inputs if p}
    for option in ("html", "json"):
        out = getattr(args, option)
        if out and Path(out).resolve() in read:
            raise UsageError(
                f"--{option} {out!r} is an input file; sklabels never overwrites "
                "its inputs: choose another path"
            )


def _print_summary(result, stream):
    summary = result.summary_
    width = max(map(len, [*summary.index, *result.skipped_, "check"]))
    print(
        f"Label audit of {result.issues_.shape[0]} rows, target "
        f"{result.target_name_!r} ({result.task_}); model: {result.model_}",
        file=stream,
    )
    print(f"{'check':<{width}}  {'flagged':>16}  severity  finding", file=stream)
    for name, row in summary.iterrows():
        flagged = f"{row['flagged']} {row['unit']}"
        print(
            f"{name:<{width}}  {flagged:>16}  {row['severity']:>8.2f}  "
            f"{row['message']}",
            file=stream,
        )
    for name, why in result.skipped_.items():
        print(f"{name:<{width}}  {'not run':>16}  {'':>8}  {why}", file=stream)


def _demo_inputs(args):
    from sklabels.report._demo import make_demo

    data = make_demo()
    if args.html is None:
        args.html = _DEMO_HTML
    train = data["train"].set_index(data["id"])
    test = data["test"].set_index(data["id"])
    return {
        "X": train,
        "y": data["target"],
        "groups": data["groups"],
        "X_test": test,
        "annotations": data["annotations"],
    }


def _targets(args):
    """The target columns: ``--target a --target b`` and ``--target a,b`` alike."""
    if not args.target:
        raise UsageError("give --target COLUMN, the column holding the labels")
    names = [n.strip() for arg in args.target for n in arg.split(",") if n.strip()]
    if not names:
        raise UsageError(f"--target {args.target!r} names no column")
    if len(set(names)) != len(names):
        raise UsageError(f"--target names a column twice: {names!r}")
    if args.tag_sep is not None and len(names) != 1:
        raise UsageError(
            f"--tag-sep reads the tags of one column, but --target names "
            f"{len(names)}: {', '.join(names)}"
        )
    if args.tag_sep == "":
        raise UsageError("--tag-sep must not be empty; give the separator, e.g. '|'")
    return names


def _tags(column, sep, what):
    """A column of delimited tags as a 0/1 frame, one column per tag."""
    from sklabels.encoding import MultiLabelEncoder

    encoder = MultiLabelEncoder(sep=sep)
    text = column.astype(object).where(column.notna(), "").map(str)
    try:
        indicator = encoder.fit_transform(text.to_list())
    except ValueError as exc:
        raise UsageError(f"--target {column.name!r} of {what}: {exc}") from None
    return pd.DataFrame(
        indicator,
        index=column.index,
        columns=pd.Index(encoder.classes_, name=str(column.name)),
    )


def _file_inputs(args):
    if args.data is None:
        raise UsageError("give DATA (a CSV or Parquet file), or --demo")
    targets = _targets(args)
    _check_outputs(args, [args.data, args.test, args.annotations])
    table = _read(args.data, "DATA")
    for name in targets:
        _column(table, name, "--target", "DATA")
    if args.groups is not None:
        _column(table, args.groups, "--groups", "DATA")
    if args.id is not None:
        table = _set_id(table, args.id, "DATA")
    if args.tag_sep is None:
        for name in targets:
            if table[name].isna().any():
                raise UsageError(
                    f"--target {name!r} has {int(table[name].isna().sum())} "
                    "missing label(s); fill or drop those rows first"
                )
    y = targets[0] if len(targets) == 1 else targets
    if args.tag_sep is not None:
        y = _tags(table[targets[0]], args.tag_sep, "DATA")
        table = table.drop(columns=targets)
    inputs = {"X": table, "y": y, "groups": args.groups}
    if args.test is not None:
        test = _read(args.test, "--test")
        for name in targets:
            _column(test, name, "--target", "the test file")
        if args.id is not None and args.id in test.columns:
            test = _set_id(test, args.id, "the test file")
        if args.tag_sep is not None:
            inputs["y_test"] = _tags(test[targets[0]], args.tag_sep, "the test file")
            test = test.drop(columns=targets)
        inputs["X_test"] = test
    if args.annotations is not None:
        inputs["annotations"] = _read(args.annotations, "--annotations")
    return inputs


def _run(argv, stdout, stderr):
    args = _parser().parse_args(argv)
    if args.command != "audit":
        raise UsageError("give a command: sklabels audit ... (see 'sklabels --help')")
    inputs = _demo_inputs(args) if args.demo else _file_inputs(args)
    checks = None
    if args.checks is not None:  # "a b" and "a,b" alike
        checks = [c for arg in args.checks for c in arg.split(",") if c.strip()]
        checks = [c.strip() for c in checks]
    if args.demo:
        _check_outputs(args, [])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("default" if args.verbose else "ignore")
            result = audit(
                **inputs,
                cv=args.cv,
                checks=checks,
                n_jobs=args.n_jobs,
                random_state=args.random_state,
                verbose=int(args.verbose),
            )
    except (ValueError, TypeError) as exc:
        raise UsageError(" ".join(str(exc).split())) from None
    _print_summary(result, stdout)
    if args.html:
        result.to_html(args.html)
        print(f"HTML report written to {args.html}", file=stdout)
    if args.json:
        result.to_json(args.json)
        print(f"JSON findings written to {args.json}", file=stdout)
    return 0


def main(argv=None, stdout=None, stderr=None):
    """Run the ``sklabels`` command; return its exit code.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after the program name; None reads ``sys.argv``.
    stdout, stderr : file-like, default=None
        Where the summary and the error messages go (``sys.stdout`` /
        ``sys.stderr`` by default).

    Returns
    -------
    code : int
        0 when the audit ran (with or without findings), 2 for a usage
        error (its reason printed on one line on ``stderr``).
    """
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    try:
        return _run(argv, stdout, stderr)
    except UsageError as exc:
        print(f"sklabels: error: {' '.join(str(exc).split())}", file=stderr)
        return 2
    except SystemExit as exc:  # --help
        return 0 if exc.code in (None, 0) else 2
