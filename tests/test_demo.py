"""The demo (``python -m skmlp``) and the README's Python snippets."""

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from skmlp._callbacks import HAVE_CALLBACKS

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"

#: Seconds each README snippet may take (the grid search of "Usage" takes a
#: few seconds on a 2-core machine).
SNIPPET_TIMEOUT = 120


def _env():
    """The environment for a subprocess: skmlp importable, BLAS single-threaded
    (the networks here are small, and threads that spin on a busy machine make
    them many times slower)."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _run(args, timeout, cwd=ROOT):
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=_env(),
        check=False,
    )


# -- the demo ----------------------------------------------------------------------


def test_help_is_plain_text():
    proc = _run(["-m", "skmlp", "--help"], timeout=60)
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    assert text.startswith("usage: python -m skmlp")
    # No reStructuredText: literals, directives, roles, or the raw docstring.
    assert "``" not in text
    assert "::" not in text
    assert not re.search(r":\w+:`", text)
    import skmlp.__main__ as demo

    assert demo.__doc__.splitlines()[0] not in text
    # The internal fast mode is not advertised.
    assert "--quick" not in text


@pytest.fixture(scope="module")
def quick_demo():
    proc = _run(["-m", "skmlp", "--quick", "--compare"], timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_demo_names_one_cross_validation_scheme(quick_demo):
    from sklearn.model_selection import StratifiedKFold

    import skmlp.__main__ as demo

    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    lines = quick_demo.splitlines()
    assert f"cross-validation (grid search and table): {cv!r}" in lines
    name = demo.scheme(cv)
    assert name == "stratified 5-fold cross-validation, shuffled with random_state=0"
    search = [line for line in lines if line.startswith("MLP grid search")]
    table = [line for line in lines if line.startswith("Accuracy behind StandardScaler")]
    assert len(search) == len(table) == 1
    assert f", {name} (" in search[0]
    assert table[0].endswith(f", {name}:")
    # No other scheme is mentioned anywhere.
    assert set(re.findall(r"(\d+)-fold", quick_demo)) == {"5"}
    assert "cv=" not in quick_demo
    # The help says the same.
    help_text = " ".join(_run(["-m", "skmlp", "--help"], timeout=60).stdout.split())
    assert "stratified 5-fold cross-validation, shuffled with random_state=0" in help_text


def test_demo_table_lists_every_estimator(quick_demo):
    import skmlp

    estimators = [name for name in skmlp.__all__ if name[0].isupper()]
    assert len(estimators) == 5
    for name in estimators:
        assert re.search(rf"^  {name}\b.* ± ", quick_demo, re.MULTILINE), name
    for name in ("Perceptron", "RidgeClassifier", "MLPClassifier", "Ridge", "MLPRegressor"):
        assert re.search(rf"^    sklearn {name} ", quick_demo, re.MULTILINE), name
    # The regressors' table scores R^2, and they score as their counterparts.
    scores = dict(re.findall(r"^ +(?:sklearn )?(\w+) +(-?\d\.\d+) ± ", quick_demo, re.MULTILINE))
    assert "R^2 behind StandardScaler" in quick_demo
    assert abs(float(scores["AdalineRegressor"]) - float(scores["Ridge"])) < 0.01
    assert abs(float(scores["MLPBackpropRegressor"]) - float(scores["MLPRegressor"])) < 0.02


def test_demo_says_up_front_how_long_it_takes(quick_demo):
    lines = quick_demo.splitlines()
    expected = [i for i, line in enumerate(lines) if line.startswith("expected duration: about ")]
    first_fit = next(i for i, line in enumerate(lines) if line.startswith("  alpha="))
    assert len(expected) == 1 and expected[0] < first_fit
    pattern = r"expected duration: about \d+ s on a two-core machine .*"
    assert re.fullmatch(pattern, lines[expected[0]])


def test_demo_prints_each_step_as_it_is_done():
    # Through a pipe, as in CI or `| tee`: each grid candidate's line must
    # arrive when that candidate is done, not with everything at the end.
    arrived = []
    env = _env()
    env.pop("PYTHONUNBUFFERED", None)
    with subprocess.Popen(
        [sys.executable, "-m", "skmlp", "--quick", "--compare"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env=env,
    ) as proc:
        for line in proc.stdout:
            arrived.append((time.monotonic(), line.rstrip("\n")))
    assert proc.returncode == 0
    candidates = [when for when, line in arrived if line.startswith("  alpha=")]
    assert len(candidates) == 2
    # The second candidate's 5 fits take a fifth of a second or more (lines
    # written together arrive within a millisecond): the first candidate's
    # line must not wait for them.
    assert candidates[1] - candidates[0] > 0.05


def test_readme_mentions_the_demos_compare_option():
    text = README.read_text(encoding="utf-8")
    assert "python -m skmlp --compare" in text


def test_demo_mlp_row_is_the_best_grid_candidate(quick_demo):
    best = re.search(r"^  best: .*$", quick_demo, re.MULTILINE)
    scores = re.findall(r"accuracy (\d\.\d{4})$", quick_demo, re.MULTILINE)
    mlp = re.search(r"^  MLPBackpropClassifier \(best above\)\s+(\d\.\d{4}) ±", quick_demo, re.M)
    assert best and scores and mlp
    assert mlp.group(1) == max(scores)


# -- the README's snippets ---------------------------------------------------------


def readme_snippets():
    """The README's ```python blocks (also those indented in a list), dedented,
    as ``(first line number, source)``."""
    lines = README.read_text(encoding="utf-8").splitlines()
    snippets, start, indent = [], None, ""
    for number, line in enumerate(lines, start=1):
        if start is None:
            match = re.fullmatch(r"(\s*)```python\s*", line)
            if match:
                start, indent, body = number + 1, match.group(1), []
        elif line.strip() == "```" and line.startswith(indent):
            snippets.append((start, textwrap.dedent("\n".join(body)) + "\n"))
            start = None
        else:
            body.append(line)
    assert start is None, f"README.md: the ```python block at line {start - 1} is not closed"
    return snippets


SNIPPETS = readme_snippets()


def _needs(source):
    """Why a snippet cannot run here, or None."""
    if "sklearn.callback" in source:
        if not HAVE_CALLBACKS:
            return "needs sklearn.callback (scikit-learn >= 1.9)"
        if importlib.util.find_spec("rich") is None:
            return "needs rich (the progress extra) for ProgressBar"
    if "skops" in source and importlib.util.find_spec("skops") is None:
        return "needs skops"
    return None


def test_readme_has_the_snippets_it_should():
    sources = [source for _, source in SNIPPETS]
    assert len(sources) >= 3
    assert any("ProgressBar" in s for s in sources)
    assert any("skops.io" in s for s in sources)


@pytest.mark.parametrize(
    "line, source", SNIPPETS, ids=[f"README.md:{line}" for line, _ in SNIPPETS]
)
def test_readme_snippet_runs_as_it_stands(line, source, tmp_path):
    reason = _needs(source)
    if reason:
        pytest.skip(reason)
    script = tmp_path / "snippet.py"
    script.write_text(source, encoding="utf-8")
    # Run from an empty folder, as a user pasting it would: it may import
    # only what is installed (skmlp through PYTHONPATH), nothing from tests/.
    # A snippet that stops at max_iter would print ConvergenceWarnings at the
    # user who pastes it (inside a grid search, as failed fits).
    proc = _run(
        [
            "-W",
            "error::FutureWarning",
            "-W",
            "error::sklearn.exceptions.ConvergenceWarning",
            str(script),
        ],
        SNIPPET_TIMEOUT,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, f"README.md line {line}:\n{source}\n{proc.stderr}"
    assert "ConvergenceWarning" not in proc.stderr, f"README.md line {line}:\n{proc.stderr}"


# -- the benchmark's marks and footnotes -------------------------------------------


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("skmlp_bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_marks_each_kind_of_goal(bench):
    assert bench.mark("<= 1.3", 1.3) == "met"
    assert bench.mark("<= 1.3", 1.31) == "not met"
    assert bench.mark("<= 0.25 x X.nbytes", 0.038) == "met"
    assert bench.mark("<= 0.25 x X.nbytes", 1.2) == "not met"
    assert bench.mark("linear in n", 1.0) == "met"
    assert bench.mark("linear in n", bench.LINEAR_TOLERANCE + 0.01) == "not met"
    assert bench.mark("<= 1.0", float("nan")) == "n/a"
    with pytest.raises(ValueError, match="no rule"):
        bench.mark("fast", 1.0)
    # Every goal the script sets has a rule.
    source = (ROOT / "benchmarks" / "bench.py").read_text(encoding="utf-8")
    goals = set(re.findall(r'"(<= [^"\\(]*|linear in n)"', source))  # not the regex
    assert {"<= 1.0", "<= 0.25 x X.nbytes", "linear in n"} <= goals
    for goal in goals:
        assert bench.mark(goal, 0.0) == "met"


def test_bench_row_numbers_are_those_of_the_row_functions(bench):
    for number, function in bench.ROWS.items():
        assert function.__doc__.startswith(f"{number}. "), function.__name__


@pytest.mark.parametrize("subset", ["all", "each"])
def test_bench_footnotes_name_rows_that_exist_by_their_numbers(bench, subset):
    tables = [list(bench.ROWS)] if subset == "all" else [[n] for n in bench.ROWS]
    for numbers in tables:
        rows = [{"number": n} for n in numbers]
        notes = bench.footnotes(rows, [f"Row {numbers[0]}: an extra note."])
        for text in notes:
            for n in re.findall(r"\brows? (\d+)", text, flags=re.IGNORECASE):
                assert int(n) in numbers, text
    # With every row present, every note is printed.
    assert len(bench.footnotes([{"number": n} for n in bench.ROWS])) == len(bench.FOOTNOTES)
    # A note about a row is about what that row measures.
    for about, text in bench.FOOTNOTES:
        if about:
            (number,) = about
            topic = " ".join(text.split(" (row", 1)[0].lower().split()[:2])
            assert topic in bench.ROWS[number].__doc__.lower(), (number, text)
    # A note naming a missing row, or another row than it declares, is refused.
    with pytest.raises(RuntimeError, match="not in the table"):
        bench.footnotes([{"number": 1}], ["Row 7: a note."])
