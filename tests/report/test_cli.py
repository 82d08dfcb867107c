import hashlib
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_iris

from sklabels.report._cli import main
from sklabels.report._demo import make_demo

ROOT = Path(__file__).resolve().parents[2]


def _run(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(map(str, argv)), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def _usage_error(*argv):
    code, out, err = _run(*argv)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("sklabels: error: ")
    return err


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """The demo as the files a user has: data, test and annotations CSVs."""
    root = tmp_path_factory.mktemp("data")
    data = make_demo()
    paths = {
        "data": root / "wine.csv",
        "test": root / "wine_test.csv",
        "annotations": root / "annotations.csv",
    }
    data["train"].to_csv(paths["data"], index=False)
    data["test"].to_csv(paths["test"], index=False)
    data["annotations"].to_csv(paths["annotations"], index=False)
    return paths


@pytest.fixture(scope="module")
def iris_csv(tmp_path_factory):
    path = tmp_path_factory.mktemp("iris") / "iris.csv"
    X, y = load_iris(return_X_y=True, as_frame=True)
    X.assign(species=np.array(["setosa", "versicolor", "virginica"])[y]).to_csv(
        path, index=False
    )
    return path


def _digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_cli_audit_with_every_option_reads_and_never_modifies_inputs(files, tmp_path):
    before = {k: _digest(p) for k, p in files.items()}
    html, json_out = tmp_path / "report.html", tmp_path / "report.json"
    code, out, err = _run(
        "audit", files["data"], "--target", "cultivar", "--id", "record_id",
        "--groups", "cellar", "--test", files["test"],
        "--annotations", files["annotations"], "--html", html, "--json", json_out,
    )  # fmt: skip
    assert code == 0, err
    assert {k: _digest(p) for k, p in files.items()} == before
    for check in ("label_issues", "duplicates", "leakage", "annotator_quality"):
        assert check in out
    assert "'quickclick'" in out and "'tasting_score'" in out
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert '"task": "classification"' in json_out.read_text(encoding="utf-8")


def test_cli_demo_writes_the_report_and_prints_the_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run("audit", "--demo")
    assert code == 0, err
    assert (tmp_path / "sklabels-audit-demo.html").is_file()
    assert "probably carry the wrong label" in out
    assert "HTML report written to sklabels-audit-demo.html" in out


@pytest.mark.parametrize(
    "checks", [["duplicates", "class_imbalance"], ["duplicates,class_imbalance"]]
)
def test_cli_checks_option_selects_checks(iris_csv, checks):
    code, out, _ = _run("audit", iris_csv, "--target", "species", "--checks", *checks)
    assert code == 0
    assert "duplicates" in out and "class_imbalance" in out
    assert "label_issues" not in out


def test_cli_verbose_prints_progress_to_stderr(iris_csv, capsys):
    code = main(
        ["audit", str(iris_csv), "--target", "species", "--checks", "label_issues",
         "--verbose"], stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    assert code == 0
    assert "out-of-fold probabilities" in capsys.readouterr().err


def test_cli_missing_target_column_names_the_columns(iris_csv):
    err = _usage_error("audit", iris_csv, "--target", "label")
    assert "--target 'label' is not a column of DATA" in err
    assert "sepal length (cm), sepal width (cm)" in err and "species" in err


def test_cli_empty_file_is_a_usage_error(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert "is empty" in _usage_error("audit", empty, "--target", "y")


def test_cli_header_only_file_is_a_usage_error(tmp_path):
    path = tmp_path / "header.csv"
    path.write_text("a,b,y\n")
    assert "has a header but no rows" in _usage_error("audit", path, "--target", "y")


def test_cli_unparsable_csv_is_a_usage_error(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_text('a,b,y\n1,2,x\n3,4,y,5,6\n"7,8\n')
    assert "does not parse" in _usage_error("audit", path, "--target", "y")


def test_cli_one_class_target_is_a_usage_error(tmp_path):
    path = tmp_path / "one.csv"
    pd.DataFrame({"a": range(20), "b": range(20), "y": ["cat"] * 20}).to_csv(
        path, index=False
    )
    err = _usage_error("audit", path, "--target", "y")
    assert "y holds a single class ('cat' on all 20 rows)" in err


def test_cli_annotation_ids_matching_no_row_are_a_usage_error(iris_csv, tmp_path):
    ann = tmp_path / "ann.csv"
    pd.DataFrame(
        {"item": [500, 501], "annotator": ["a", "b"], "label": ["setosa"] * 2}
    ).to_csv(ann, index=False)
    err = _usage_error("audit", iris_csv, "--target", "species", "--annotations", ann)
    assert "none of the item ids" in err


def test_cli_missing_file_is_a_usage_error(tmp_path):
    err = _usage_error("audit", tmp_path / "nope.csv", "--target", "y")
    assert "is not a file" in err


def test_cli_without_data_or_target_is_a_usage_error(iris_csv):
    assert "give DATA" in _usage_error("audit", "--target", "y")
    assert "give --target" in _usage_error("audit", iris_csv)


def test_cli_without_command_is_a_usage_error():
    assert "give a command" in _usage_error()


def test_cli_unknown_option_is_a_usage_error(iris_csv):
    err = _usage_error("audit", iris_csv, "--target", "species", "--colour", "red")
    assert "unrecognized arguments: --colour red" in err


def test_cli_unknown_check_is_a_usage_error(iris_csv):
    err = _usage_error("audit", iris_csv, "--target", "species", "--checks", "nope")
    assert "unknown check(s) ['nope']" in err


def test_cli_refuses_to_overwrite_an_input(iris_csv):
    before = _digest(iris_csv)
    err = _usage_error("audit", iris_csv, "--target", "species", "--html", iris_csv)
    assert "is an input file" in err
    assert _digest(iris_csv) == before


def test_cli_repeated_id_is_a_usage_error(iris_csv):
    err = _usage_error("audit", iris_csv, "--target", "species", "--id", "species")
    assert "--id 'species' must hold one distinct id per row" in err


def test_cli_missing_labels_are_a_usage_error(tmp_path):
    path = tmp_path / "missing.csv"
    pd.DataFrame({"a": range(6), "y": ["a", "b", None, "a", "b", "a"]}).to_csv(
        path, index=False
    )
    assert "1 missing label(s)" in _usage_error("audit", path, "--target", "y")


def test_cli_parquet_without_engine_is_a_usage_error(tmp_path):
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("pyarrow is installed: Parquet is read")
    path = tmp_path / "data.parquet"
    path.write_bytes(b"PAR1 not really")
    assert "needs pyarrow or fastparquet" in _usage_error(
        "audit", path, "--target", "y"
    )


def test_cli_help_lists_every_option(capsys):
    code = main(["audit", "--help"])
    assert code == 0
    text = capsys.readouterr().out
    for option in (
        "--target", "--annotations", "--test", "--groups", "--id", "--html",
        "--json", "--checks", "--verbose", "--demo", "--cv", "--n-jobs",
        "--random-state", "label_issues", "annotator", "--tag-sep",
        "multilabel_issues",
    ):  # fmt: skip
        assert option in text


def test_cli_python_dash_m_sklabels_runs():
    result = subprocess.run(
        [sys.executable, "-m", "sklabels", "audit", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: sklabels audit" in result.stdout


def test_cli_python_dash_m_usage_error_exits_2():
    result = subprocess.run(
        [sys.executable, "-m", "sklabels", "audit", "nope.csv", "--target", "y"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0


@pytest.fixture(scope="module")
def tags_csv(tmp_path_factory):
    """Digits with four tags: as 0/1 columns and as one delimited column."""
    from sklearn.datasets import load_digits

    root = tmp_path_factory.mktemp("tags")
    X, d = load_digits(return_X_y=True, as_frame=True)
    X, d = X.iloc[:300], d.iloc[:300].to_numpy()
    tags = {
        "even": d % 2 == 0,
        "prime": np.isin(d, [2, 3, 5, 7]),
        "big": d >= 5,
    }
    columns = X.assign(**{k: v.astype(int) for k, v in tags.items()})
    joined = ["|".join(k for k in tags if tags[k][i]) or None for i in range(300)]
    delimited = X.assign(tags=pd.Series(joined, dtype=object))
    paths = {"columns": root / "columns.csv", "delimited": root / "delimited.csv"}
    columns.to_csv(paths["columns"], index=False)
    delimited.to_csv(paths["delimited"], index=False)
    return paths


@pytest.mark.parametrize(
    "targets",
    [["--target", "even", "--target", "prime", "--target", "big"],
     ["--target", "even,prime,big"]],
)  # fmt: skip
def test_cli_multilabel_several_target_columns(tags_csv, targets):
    code, out, err = _run(
        "audit", tags_csv["columns"], *targets, "--cv", "3",
        "--checks", "tag_imbalance,multilabel_issues",
    )  # fmt: skip
    assert code == 0, err
    assert "target 'even, prime, big' (multilabel)" in out
    assert "probably miss a tag or carry a wrong one" in out


def test_cli_multilabel_tag_sep_reads_delimited_tags(tags_csv, tmp_path):
    json_out = tmp_path / "tags.json"
    code, out, err = _run(
        "audit", tags_csv["delimited"], "--target", "tags", "--tag-sep", "|",
        "--cv", "3", "--checks", "tag_imbalance", "--json", json_out,
    )  # fmt: skip
    assert code == 0, err
    assert "target 'tags' (multilabel)" in out
    assert "rows carry no tag" in out  # empty cells: rows without tags
    import json

    data = json.loads(json_out.read_text(encoding="utf-8"))
    assert data["classes"] == ["big", "even", "prime"]
    frame = pd.read_csv(tags_csv["delimited"])
    given = data["issues"]["columns"]["given_label"]
    assert given == [
        sorted(t.split("|")) if isinstance(t, str) else [] for t in frame["tags"]
    ]


def test_cli_tag_sep_with_several_targets_is_a_usage_error(tags_csv):
    err = _usage_error(
        "audit", tags_csv["columns"], "--target", "even,prime", "--tag-sep", "|"
    )
    assert "--tag-sep reads the tags of one column, but --target names 2" in err


def test_cli_multilabel_target_columns_not_binary_are_a_usage_error(iris_csv):
    err = _usage_error(
        "audit", iris_csv, "--target", "sepal length (cm)", "--target", "species"
    )
    assert "as a multi-label target they must hold 0 and 1" in err


def test_cli_empty_tag_sep_is_a_usage_error(tags_csv):
    err = _usage_error(
        "audit", tags_csv["delimited"], "--target", "tags", "--tag-sep", ""
    )
    assert "--tag-sep must not be empty" in err


def test_cli_target_named_twice_is_a_usage_error(tags_csv):
    err = _usage_error("audit", tags_csv["columns"], "--target", "even,even")
    assert "--target names a column twice: ['even', 'even']" in err
