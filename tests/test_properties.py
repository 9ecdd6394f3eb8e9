"""Properties that hold for any data, scale, layout and parameters (Hypothesis)."""

import copy
import re
import warnings

import numpy as np
import pandas as pd
import pytest
from _state import assert_same_state
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import sparse
from sklearn.model_selection import train_test_split

from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)
from skmlp._core import training

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

MAKERS = {
    "perceptron": lambda **kw: PerceptronClassifier(**kw),
    "adaline": lambda **kw: AdalineClassifier(**kw),
    "adaline-sgd": lambda **kw: AdalineClassifier(batch_size=1, **kw),
    "mlp": lambda **kw: MLPBackpropClassifier(hidden_layer_sizes=(3,), **kw),
    "mlp-sgd": lambda **kw: MLPBackpropClassifier(hidden_layer_sizes=(3,), solver="sgd", **kw),
    "mlp-lbfgs": lambda **kw: MLPBackpropClassifier(hidden_layer_sizes=(3,), solver="lbfgs", **kw),
}


def check_predictions(clf, X):
    """predict is the decision's argmax; proba is finite, sums to 1 and agrees."""
    P = clf.predict_proba(X)
    pred = clf.predict(X)
    assert np.all(np.isfinite(P)) and np.all(P >= 0)
    np.testing.assert_allclose(P.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_array_equal(clf.classes_[np.argmax(P, axis=1)], pred)
    if not isinstance(clf, MLPBackpropClassifier):
        Z = clf.decision_function(X)
        winners = (Z >= 0).astype(int) if Z.ndim == 1 else np.argmax(Z, axis=1)
        np.testing.assert_array_equal(pred, clf.classes_[winners])
    else:
        L = clf.predict_log_proba(X)
        assert not np.any(np.isnan(L)) and np.all(L <= 0)


@st.composite
def features(draw, max_features=5):
    """``(X, rng)``: a small ``X`` at any scale, dtype and layout, and the
    generator that drew it (to draw the targets with)."""
    n = draw(st.integers(6, 30))
    m = draw(st.integers(1, max_features))
    seed = draw(st.integers(0, 2**31 - 1))
    scale = 10.0 ** draw(st.integers(-6, 6))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    layout = draw(st.sampled_from(["C", "F", "csr"]))
    rng = np.random.default_rng(seed)
    X = (rng.normal(size=(n, m)) * scale).astype(dtype)
    if layout == "F":
        X = np.asfortranarray(X)
    elif layout == "csr":
        X[rng.random(X.shape) < 0.3] = 0
        X = sparse.csr_matrix(X)
    return X, rng


@st.composite
def datasets(draw):
    """``(X, y)`` with 2 or 3 classes, every class present."""
    X, rng = draw(features())
    k = draw(st.integers(2, 3))
    y = np.arange(X.shape[0]) % k
    rng.shuffle(y)
    return X, y


@st.composite
def regression_data(draw):
    """``(X, y)`` with values at any scale, one-dimensional or in 1 or 2 columns."""
    X, rng = draw(features(max_features=4))
    k = draw(st.sampled_from([0, 1, 2]))  # 0: a one-dimensional y
    y_scale = 10.0 ** draw(st.integers(-6, 6))
    n = X.shape[0]
    return X, rng.normal(size=(n,) if k == 0 else (n, k)) * y_scale


def fit_or_say_why(est, X, y, weighted):
    """Fit ``est``; True if it fitted, False if it refused as it should: a
    ValueError that names what to change, and nothing left behind."""
    fresh = copy.deepcopy(est)
    sw = np.random.default_rng(1).uniform(0, 3, len(y)) if weighted else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            est.fit(X, y, sample_weight=sw)
        except ValueError as exc:
            assert "standardize" in str(exc) or "diverged" in str(exc), exc
            assert_same_state(est, fresh)
            return False
    return True


@SETTINGS
@given(
    data=datasets(),
    name=st.sampled_from(list(MAKERS)),
    alpha=st.sampled_from([0.0, 1e-4, 1.0, 1e4]),
    weighted=st.booleans(),
)
def test_a_fit_either_works_or_says_why_and_changes_nothing(data, name, alpha, weighted):
    X, y = data
    clf = MAKERS[name](alpha=alpha, max_iter=15, random_state=0)
    if not fit_or_say_why(clf, X, y, weighted):
        return
    for W in clf._network().params:
        assert np.all(np.isfinite(W))
    check_predictions(clf, X)


REGRESSOR_MAKERS = {
    "adaline": AdalineRegressor,
    "adaline-sgd": lambda **kw: AdalineRegressor(batch_size=1, **kw),
    "mlp": lambda **kw: MLPBackpropRegressor(hidden_layer_sizes=(3,), **kw),
    "mlp-lbfgs": lambda **kw: MLPBackpropRegressor(hidden_layer_sizes=(3,), solver="lbfgs", **kw),
}


@settings(SETTINGS, max_examples=30)
@given(
    data=regression_data(),
    name=st.sampled_from(list(REGRESSOR_MAKERS)),
    alpha=st.sampled_from([0.0, 1e-4, 1.0, 1e4]),
    weighted=st.booleans(),
)
def test_a_regressor_fit_either_works_or_says_why_and_changes_nothing(data, name, alpha, weighted):
    X, y = data
    reg = REGRESSOR_MAKERS[name](alpha=alpha, max_iter=15, random_state=0)
    if not fit_or_say_why(reg, X, y, weighted):
        return
    for W in reg._network().params:
        assert np.all(np.isfinite(W)) and W.dtype == X.dtype
    predicted = reg.predict(X)
    assert predicted.shape == y.shape and predicted.dtype == X.dtype
    assert np.all(np.isfinite(predicted))


@SETTINGS
@given(
    n_classes=st.integers(2, 5),
    exponent=st.integers(-300, 300),
    seed=st.integers(0, 2**31 - 1),
    cls=st.sampled_from([PerceptronClassifier, AdalineClassifier]),
    ties=st.booleans(),
)
def test_linear_probabilities_never_saturate_into_ties(n_classes, exponent, seed, cls, ties):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(40, 3))
    y = np.arange(40) % n_classes
    clf = cls(max_iter=2).fit(X, y)
    clf.coef_[...] = rng.normal(size=clf.coef_.shape) * 10.0**exponent
    clf.intercept_[...] = rng.normal(size=clf.intercept_.shape) * 10.0**exponent
    if ties:
        clf.coef_[...] = clf.coef_[:1]  # every unit the same: all scores tie
        clf.intercept_[...] = clf.intercept_[:1]
    with np.errstate(over="ignore"):
        check_predictions(clf, X)


@st.composite
def output_scores(draw, n_classes, dtype):
    """Output biases for ``n_classes`` classes: random, saturated, or apart
    by a few units in the last place of ``dtype`` (exact ties among them)."""
    kind = draw(st.sampled_from(["random", "saturated", "ulps"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**31 - 1)))
    if kind == "random":
        return rng.normal(size=n_classes) * 10.0 ** draw(st.integers(-3, 3))
    if kind == "saturated":  # the logistic of each rounds to 1 (or to 0)
        sign = draw(st.sampled_from([1, -1]))
        return sign * rng.uniform(15, 60, size=n_classes)
    centre = dtype(draw(st.floats(-60, 60)))
    offsets = rng.integers(-3, 4, size=n_classes)
    return centre + offsets * np.spacing(centre)


@SETTINGS
@given(
    n_classes=st.integers(2, 5),
    output=st.sampled_from(["logistic", "softmax"]),
    dtype=st.sampled_from([np.float32, np.float64]),
    spread=st.sampled_from([0.0, 1e-12, 1e-6, 1.0]),
    data=st.data(),
)
def test_predict_is_the_argmax_of_predict_proba_at_ties(n_classes, output, dtype, spread, data):
    """Saturated, tied and nearly tied outputs: ``predict`` picks the first
    class of the largest ``predict_proba``, however the scores round, and
    ``score`` counts those predictions (the validation score of every epoch
    takes the same decision)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3)).astype(dtype)
    y = np.arange(60) % n_classes
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(3,), output_activation=output, max_iter=2, random_state=0
    ).fit(X, y)
    biases = data.draw(output_scores(clf.intercepts_[-1].shape[0], dtype))
    clf.intercepts_[-1][...] = biases
    clf.coefs_[-1][...] = rng.normal(size=clf.coefs_[-1].shape) * spread
    with np.errstate(over="ignore", under="ignore"):
        P = clf.predict_proba(X)
        predicted = clf.predict(X)
        np.testing.assert_array_equal(predicted, clf.classes_[np.argmax(P, axis=1)])
        assert clf.score(X, y) == np.mean(predicted == y)


# The regressors too, with the labels as values.
EPOCH_MAKERS = {
    **{name: make for name, make in MAKERS.items() if name != "mlp-lbfgs"},
    "adaline-regressor": lambda **kw: AdalineRegressor(**kw),
    "mlp-regressor": lambda **kw: MLPBackpropRegressor(hidden_layer_sizes=(3,), **kw),
}


@SETTINGS
@given(
    name=st.sampled_from(list(EPOCH_MAKERS)),
    failing_epoch=st.integers(1, 6),
    stage=st.sampled_from(["record", "validate"]),
    incremental=st.booleans(),
)
def test_an_exception_in_any_epoch_changes_nothing(name, failing_epoch, stage, incremental):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] + 0.5 * rng.normal(size=60) > 0).astype(int)
    clf = EPOCH_MAKERS[name](max_iter=6, tol=None, warm_start=True, random_state=0)
    clf.fit(X, y, X_val=X[:20], y_val=y[:20])
    if incremental:
        failing_epoch = 1  # partial_fit runs one epoch
    before = copy.deepcopy(clf)
    calls = {"n": 0}

    class Boom(Exception):
        pass

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == failing_epoch:
            raise Boom
        return original(*args, **kwargs)

    if stage == "record":
        original = training.History.record
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(training.History, "record", failing)
            _fit_expecting(Boom, clf, X, y, incremental, failing_epoch)
    else:
        original = type(clf)._decide
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(type(clf), "_decide", failing)
            _fit_expecting(Boom, clf, X, y, incremental, failing_epoch)
    assert_same_state(clf, before)


def _fit_expecting(exc, clf, X, y, incremental, failing_epoch):
    call = clf.partial_fit if incremental else clf.fit
    with pytest.raises(exc):
        call(X, y, X_val=X[:20], y_val=y[:20])


@SETTINGS
@given(
    n_classes=st.integers(2, 5),
    kind=st.sampled_from(["int", "str", "float", "bool"]),
    seed=st.integers(0, 2**31 - 1),
    partial=st.booleans(),
)
def test_labels_are_coded_as_label_binarizer_codes_them(n_classes, kind, seed, partial):
    """One full-batch epoch of Adaline from zero weights with ``eta0=1`` sets
    ``coef_ = T.T X / n`` and ``intercept_`` to the column means of the coded
    targets ``T``: they must be scikit-learn's ``LabelBinarizer(neg_label=-1)``
    coding of the labels, whatever they are."""
    from sklearn.preprocessing import LabelBinarizer

    if kind == "bool":
        n_classes = 2
    rng = np.random.default_rng(seed)
    pool = {
        "int": rng.choice(np.arange(-50, 50), n_classes, replace=False),
        "str": np.array([f"c{j}" for j in rng.permutation(n_classes)], dtype=object),
        "float": rng.choice(np.arange(-5.0, 5.0), n_classes, replace=False),
        "bool": np.array([False, True]),
    }[kind]
    n = 40
    y = pool[np.concatenate([np.arange(n_classes), rng.integers(0, n_classes, n - n_classes)])]
    X = rng.normal(size=(n, 3))
    clf = AdalineClassifier(eta0=1.0, max_iter=1, tol=None)
    if partial:
        clf.partial_fit(X, y, classes=pool)
    else:
        clf.fit(X, y)
    T = LabelBinarizer(neg_label=-1).fit(pool).transform(y).astype(float)
    np.testing.assert_array_equal(clf.classes_, np.sort(pool))
    np.testing.assert_allclose(clf.coef_, T.T @ X / n, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(clf.intercept_, T.mean(axis=0), rtol=1e-12, atol=1e-15)


@SETTINGS
@given(
    values=st.lists(
        st.sampled_from([0, 1, 2, -3, 2**40, 0.5, -1.25, 1e300, -0.0]), min_size=2, max_size=12
    ),
    dtype=st.sampled_from(["int64", "int8", "uint16", "bool", "float64", "float32", "float16"]),
    cls=st.sampled_from([PerceptronClassifier, AdalineClassifier, MLPBackpropClassifier]),
)
def test_labels_are_accepted_as_type_of_target_types_them(values, dtype, cls):
    """A classifier takes the labels that scikit-learn's ``type_of_target``
    calls classes (binary or multiclass) and refuses the others with
    scikit-learn's message, whatever their dtype and values."""
    from sklearn.utils.multiclass import type_of_target

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # casts that overflow the dtype
        y = np.array(values).astype(dtype)
    if not np.all(np.isfinite(y.astype(float))):
        return  # refused by validation before the labels are typed
    X = np.arange(2 * len(y), dtype=float).reshape(len(y), 2)
    y_type = type_of_target(y)
    clf = cls(max_iter=1, tol=None, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if y_type == "continuous":
            with pytest.raises(ValueError, match="Unknown label type: continuous"):
                clf.fit(X, y)
        elif len(np.unique(y)) < 2:
            with pytest.raises(ValueError, match="at least 2 classes"):
                clf.fit(X, y)
        else:
            assert y_type in ("binary", "multiclass")
            clf.fit(X, y)
            np.testing.assert_array_equal(clf.classes_, np.unique(y))
            assert clf.predict(X).dtype == y.dtype


def fitted_weights(clf):
    """Copies of a fitted classifier's weights and intercepts."""
    if hasattr(clf, "coefs_"):
        return [p.copy() for p in clf.coefs_ + clf.intercepts_]
    return [clf.coef_.copy(), clf.intercept_.copy()]


@settings(SETTINGS, max_examples=15)
@given(
    seed=st.one_of(
        st.integers(0, 2**32 - 1),
        st.sampled_from([np.uint32(7), np.int64(2**32 - 1), True]),
    ),
    cls=st.sampled_from([PerceptronClassifier, MLPBackpropClassifier]),
)
def test_an_integer_seed_draws_what_its_random_state_draws(seed, cls, raw_iris):
    """``random_state=seed`` trains as ``random_state=np.random.RandomState(seed)``
    does, through the shuffles, the initial weights, the dropout masks and the
    early-stopping split of a fit and of the ``partial_fit`` that continues it."""
    X, y = raw_iris
    kwargs = {"max_iter": 4, "tol": None, "early_stopping": True}
    if cls is MLPBackpropClassifier:
        kwargs.update(hidden_layer_sizes=(5,), batch_size=32, dropout=0.2)
    fits = []
    for random_state in (seed, np.random.RandomState(seed)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf = cls(random_state=random_state, **kwargs).fit(X, y)
            first = fitted_weights(clf) + [clf.validation_scores_]
            clf.partial_fit(X, y)
        fits.append(first + fitted_weights(clf))
    for a, b in zip(*fits):
        np.testing.assert_array_equal(a, b)


@settings(SETTINGS, max_examples=40)
@given(
    counts=st.lists(st.integers(1, 40), min_size=2, max_size=6),
    fraction=st.floats(0.02, 0.6),
    seed=st.integers(0, 2**32 - 1),
    kind=st.sampled_from(["int", "str", "float"]),
)
def test_the_early_stopping_split_is_train_test_splits(counts, fraction, seed, kind):
    """An early-stopping fit trains and validates on the rows scikit-learn's
    stratified ``train_test_split`` draws from its random state, and shuffles
    from where that leaves the state; where the split cannot be made, the fit
    raises ``train_test_split``'s error.  (A Perceptron draws nothing before
    the split: its weights start at zero.)"""
    y = np.repeat(np.arange(len(counts)), counts)
    np.random.default_rng(seed).shuffle(y)
    y = {"int": y, "str": np.array([f"c{v}" for v in y]), "float": y + 0.0}[kind]
    X = np.random.default_rng(seed + 1).normal(size=(len(y), 3))
    kwargs = {"max_iter": 3, "tol": None, "early_stopping": True}
    clf = PerceptronClassifier(validation_fraction=fraction, random_state=seed, **kwargs)
    random_state = np.random.RandomState(seed)
    try:
        train, val = train_test_split(
            np.arange(len(y)), test_size=fraction, random_state=random_state, stratify=y
        )
    except ValueError as error:
        with pytest.raises(ValueError, match=re.escape(str(error))):
            clf.fit(X, y)
        return
    train, val = np.sort(train), np.sort(val)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
        if not np.array_equal(np.unique(y[train]), np.unique(y)):
            return  # a class only in the validation rows: no fit to compare with
        given = PerceptronClassifier(random_state=random_state, **kwargs)
        given.fit(X[train], y[train], X_val=X[val], y_val=y[val])
    assert clf.t_ == given.t_
    for a, b in zip(fitted_weights(clf), fitted_weights(given)):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(clf.validation_scores_, given.validation_scores_)
    np.testing.assert_array_equal(clf.validation_loss_curve_, given.validation_loss_curve_)


@settings(SETTINGS, max_examples=40)
@given(
    n=st.integers(1, 12),
    m=st.integers(0, 4),
    dtype=st.sampled_from([np.float32, np.float64]),
    special=st.one_of(st.none(), st.sampled_from([np.nan, np.inf, -np.inf, "huge"])),
    labels=st.sampled_from(["int", "bool", "str", "float", "float with nan"]),
    name=st.sampled_from(["perceptron", "adaline-sgd", "mlp"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_a_plain_array_fits_as_any_other_array_does(n, m, dtype, special, labels, name, seed):
    """A C-contiguous float ``X`` with a 1-d ``y`` fits, or fails with the
    same error, as the same values in a strided view and a list do; a model
    that had feature names loses them."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m)).astype(dtype)
    if special == "huge":
        X[...] = np.finfo(dtype).max / 2  # finite values whose sum overflows
    elif special is not None and X.size:
        X.flat[rng.integers(X.size)] = special
    y = np.arange(n) % 2
    y = {
        "int": y,
        "bool": y.astype(bool),
        "str": np.array([f"c{v}" for v in y]),
        "float": y + 0.0,
        "float with nan": np.where(np.arange(n) == n - 1, np.nan, y + 0.0),
    }[labels]
    strided = np.repeat(X, 2, axis=1)[:, ::2]
    outcomes = []
    for X_in, y_in in [(X, y), (strided, y.tolist())]:
        clf = MAKERS[name](max_iter=2, random_state=0)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                clf.fit(pd.DataFrame(np.ones((2, 2)), columns=["a", "b"]), [0, 1])
                clf.fit(X_in, y_in)
        except ValueError as error:
            outcomes.append(str(error))
        else:
            assert not hasattr(clf, "feature_names_in_")
            outcomes.append(clf)
    if isinstance(outcomes[0], str) or isinstance(outcomes[1], str):
        assert outcomes[0] == outcomes[1]
    else:
        assert_same_state(*outcomes)
