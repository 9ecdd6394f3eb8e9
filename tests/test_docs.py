"""What the documentation says about ``alpha`` and about probabilities, the
width of the code it shows, and the check that the built pages work offline."""

import importlib.util
import inspect
import re
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "doc"

#: Characters of code a code block of the built pages shows without a
#: scrollbar: alabaster's body (page_width 1100px less the 240px sidebar and
#: 2 x 30px of padding) less the 2 x 30px padding of ``pre`` leaves 740px,
#: 80 characters of DejaVu Sans Mono at 0.9 x 17px.  79 leaves a margin.
CODE_WIDTH = 79


def _text(path):
    """A file's text with its whitespace runs made single spaces."""
    return " ".join(path.read_text(encoding="utf-8").split())


def _parameter(cls, name):
    """The text of parameter ``name`` in the numpydoc docstring of ``cls``,
    its whitespace runs made single spaces."""
    lines = inspect.cleandoc(cls.__doc__).splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{name} : "))
    body = []
    for line in lines[start + 1 :]:
        if line and not line.startswith(" "):
            break
        body.append(line)
    return " ".join(" ".join(body).split())


def _class_doc(cls):
    return " ".join(inspect.cleandoc(cls.__doc__).split())


# -- alpha against scikit-learn's alpha -----------------------------------------------

#: The conversion for the MLP's mini-batch solvers, as the documents write it.
MINI_BATCH = "alpha = sklearn_alpha * n_samples / batch_size"


def test_readme_states_when_alpha_is_scikit_learns_and_the_conversion():
    readme = _text(ROOT / "README.md")
    assert "skmlp `alpha` = sklearn `alpha * n_samples / batch_size`" in readme
    assert "skmlp `alpha` = sklearn `alpha * n_samples`" in readme
    assert '`solver="lbfgs"`' in readme and "full batch" in readme
    # No sentence says that alpha is simply scikit-learn's.
    assert "and scikit-learn's `alpha`." not in readme


def test_user_guide_pages_state_the_conversion():
    mlp = _text(DOC / "mlp.rst")
    assert f"``{MINI_BATCH}``" in mlp
    assert '``solver="lbfgs"``' in mlp and "full-batch" in mlp
    training = _text(DOC / "training.rst")
    assert "``sklearn_alpha * n_samples / batch_size``" in training
    assert "``sklearn_alpha * n_samples``" in training
    guide = _text(DOC / "user_guide.rst")
    assert "It is also scikit-learn's ``alpha``." not in guide
    assert "n_samples / batch_size" in guide


def test_mlp_alpha_docstring_states_the_conversion():
    text = _parameter(MLPBackpropClassifier, "alpha")
    assert f"``{MINI_BATCH}``" in text
    assert '``solver="lbfgs"``' in text and "full-batch" in text
    assert "``alpha * W / batch_size``" in text


def test_adaline_alpha_docstring_compares_with_ridge_and_sgd():
    text = _parameter(AdalineClassifier, "alpha")
    assert "``RidgeClassifier``'s with the same ``alpha``" in text
    assert "``SGDClassifier``" in text
    assert "``alpha = sklearn_alpha * n_samples``" in text


def test_perceptron_alpha_docstring_compares_with_scikit_learn():
    text = _parameter(PerceptronClassifier, "alpha")
    assert '``penalty="l2"``' in text
    assert "``1 - eta0 * alpha``" in text
    assert "``alpha = sklearn_alpha * n_samples``" in text


def test_full_batch_alpha_is_mlpclassifiers(iris):
    # Without hidden layers, a softmax network with an L2 penalty is convex:
    # L-BFGS finds the one minimum in both packages, whose cost (the loss
    # plus the penalty, as each defines it) must then be the same number.
    X, y = iris
    params = dict(hidden_layer_sizes=(), solver="lbfgs", max_iter=5000, tol=1e-10)
    theirs = MLPClassifier(alpha=3.0, random_state=0, **params).fit(X, y)
    ours = MLPBackpropClassifier(
        alpha=3.0, output_activation="softmax", random_state=0, **params
    ).fit(X, y)
    assert ours.loss_ == pytest.approx(theirs.loss_, rel=1e-6)
    np.testing.assert_allclose(ours.coefs_[0], theirs.coefs_[0], atol=1e-3)


def test_mini_batch_alpha_converts_by_n_samples_over_batch_size(iris):
    # scikit-learn's plain SGD on batches of 15 of the 150 samples, run long
    # with a small step, ends near the minimum of its cost; with the
    # documented conversion, full-batch skmlp finds that minimum, and with
    # the same alpha a very different one.
    X, y = iris
    batch_size = 15
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        theirs = MLPClassifier(
            hidden_layer_sizes=(),
            solver="sgd",
            alpha=1.0,
            batch_size=batch_size,
            learning_rate_init=0.02,
            momentum=0.0,
            max_iter=600,
            tol=0.0,
            n_iter_no_change=10**6,
            shuffle=False,
            random_state=0,
        ).fit(X, y)

    def ours(alpha):
        return MLPBackpropClassifier(
            hidden_layer_sizes=(),
            output_activation="softmax",
            solver="lbfgs",
            alpha=alpha,
            max_iter=5000,
            tol=1e-10,
            random_state=0,
        ).fit(X, y)

    converted = ours(1.0 * len(y) / batch_size)
    same = ours(1.0)
    assert np.abs(converted.coefs_[0] - theirs.coefs_[0]).max() < 0.05
    assert np.abs(same.coefs_[0] - theirs.coefs_[0]).max() > 1.0


# -- probabilities ------------------------------------------------------------------


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier])
def test_linear_docstrings_warn_that_predict_proba_is_no_probability(cls):
    text = _class_doc(cls)
    assert "It is not a probability" in text
    for name in ("StackingClassifier", "TunedThresholdClassifierCV", "SelfTrainingClassifier"):
        assert f"``{name}``" in text, name
    assert "``CalibratedClassifierCV``" in text
    assert '``response_method="decision_function"``' in text


def test_mlp_docstring_recommends_softmax_for_probabilities():
    text = _class_doc(MLPBackpropClassifier)
    assert 'Use ``output_activation="softmax"`` when the probabilities matter' in text
    assert "``CalibratedClassifierCV``" in text


@pytest.mark.parametrize("path", ["README.md", "doc/user_guide.rst"])
def test_guides_say_what_to_do_about_probabilities(path):
    text = _text(ROOT / path)
    for name in ("StackingClassifier", "TunedThresholdClassifierCV", "SelfTrainingClassifier"):
        assert name in text, name
    assert "CalibratedClassifierCV" in text
    assert 'output_activation="softmax"' in text


def test_gallery_draws_reliability_diagrams():
    source = (ROOT / "examples" / "training" / "plot_calibration.py").read_text(encoding="utf-8")
    assert "CalibrationDisplay" in source
    for name in ("PerceptronClassifier", "CalibratedClassifierCV", "MLPBackpropClassifier"):
        assert name in source
    assert '"logistic", "softmax"' in source


# -- code that fits its code block --------------------------------------------------


def _examples():
    return sorted((ROOT / "examples").rglob("*.py"))


@pytest.mark.parametrize("path", _examples(), ids=lambda p: str(p.relative_to(ROOT)))
def test_gallery_lines_fit_the_code_block(path):
    long = [
        f"{path.relative_to(ROOT)}:{number}: {len(line)} characters"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > CODE_WIDTH
    ]
    assert not long, "\n".join(long)


def _code_blocks(path):
    """The code blocks of a reStructuredText file (``code-block`` directives
    and ``::`` literal blocks), dedented, as ``(first line number, lines)``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks, number = [], 0
    while number < len(lines):
        line = lines[number]
        number += 1
        stripped = line.strip()
        opens = re.match(r"\.\. (code-block|code|sourcecode)::", stripped) or (
            stripped.endswith("::") and not stripped.startswith("..")
        )
        if not opens:
            continue
        indent = len(line) - len(line.lstrip())
        body, first = [], number + 1
        while number < len(lines):
            text = lines[number]
            if text.strip() and len(text) - len(text.lstrip()) <= indent:
                break
            body.append(text)
            number += 1
        code = [text for text in body if not re.match(r"\s*:\w[\w-]*:", text)]
        blocks.append((first, textwrap.dedent("\n".join(code)).splitlines()))
    return blocks


@pytest.mark.parametrize("path", sorted(DOC.glob("*.rst")), ids=lambda p: p.name)
def test_user_guide_code_blocks_fit(path):
    long = [
        f"{path.name}:{first}: {line}"
        for first, block in _code_blocks(path)
        for line in block
        if len(line) > CODE_WIDTH
    ]
    assert not long, "\n".join(long)


# -- the built pages need no network ------------------------------------------------


@pytest.fixture(scope="module")
def check_offline():
    spec = importlib.util.spec_from_file_location("check_offline", DOC / "check_offline.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(head, body='<p><span class="math notranslate nohighlight">\\(x\\)</span></p>'):
    return f"<html><head>{head}</head><body>{body}</body></html>"


def test_offline_check_accepts_a_build_with_local_mathjax(tmp_path, check_offline):
    (tmp_path / "_static" / "mathjax").mkdir(parents=True)
    (tmp_path / check_offline.MATHJAX).write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(
        _page(
            '<script defer src="_static/mathjax/tex-chtml.js"></script>'
            '<link rel="stylesheet" href="_static/basic.css?v=1">'
            '<a href="https://scikit-learn.org/">a link is fine</a>'
        ),
        encoding="utf-8",
    )
    (tmp_path / "sub" / "page.html").write_text(
        _page('<script src="../_static/mathjax/tex-chtml.js"></script>'), encoding="utf-8"
    )
    assert check_offline.problems(tmp_path) == []
    assert check_offline.main([str(tmp_path)]) == 0


@pytest.mark.parametrize(
    "head",
    [
        '<script defer src="https://cdn.jsdelivr.net/npm/mathjax@4/tex-mml-chtml.js"></script>',
        '<script src="//code.jquery.com/jquery.js"></script>'
        '<script src="_static/mathjax/tex-chtml.js"></script>',
        '<link rel="stylesheet" href="https://cdn.example.org/x.css">'
        '<script src="_static/mathjax/tex-chtml.js"></script>',
    ],
)
def test_offline_check_refuses_remote_scripts_and_style_sheets(tmp_path, check_offline, head):
    (tmp_path / "_static" / "mathjax").mkdir(parents=True)
    (tmp_path / check_offline.MATHJAX).write_text("", encoding="utf-8")
    (tmp_path / "index.html").write_text(_page(head), encoding="utf-8")
    assert check_offline.problems(tmp_path)
    assert check_offline.main([str(tmp_path)]) == 1


def test_offline_check_wants_the_mathjax_file(tmp_path, check_offline):
    (tmp_path / "index.html").write_text(
        _page('<script src="_static/mathjax/tex-chtml.js"></script>'), encoding="utf-8"
    )
    assert any("missing" in problem for problem in check_offline.problems(tmp_path))


def test_conf_bundles_mathjax():
    conf = (DOC / "conf.py").read_text(encoding="utf-8")
    assert '"sphinx-mathjax-offline"' in conf
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    docs = re.search(r"^docs = \[(.*?)\]", pyproject, re.M | re.S).group(1)
    assert "sphinx-mathjax-offline" in docs
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "python doc/check_offline.py doc/_build/html" in ci


def test_printed_output_wraps_at_the_page_width():
    conf = (DOC / "conf.py").read_text(encoding="utf-8")
    assert re.search(r'^html_css_files = \["skmlp.css"\]', conf, re.M)
    assert re.search(r'^html_static_path = \["_static"\]', conf, re.M)
    css = (DOC / "_static" / "skmlp.css").read_text(encoding="utf-8")
    rule = re.search(r"\.sphx-glr-script-out \.highlight pre \{([^}]*)\}", css)
    assert rule and "white-space: pre-wrap" in rule.group(1)
