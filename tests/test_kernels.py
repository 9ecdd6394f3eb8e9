"""The per-sample kernels follow the rule sample by sample, dense or CSR.

``linear_sgd_epoch`` is tested directly against ``reference_epoch``, the rule
of its docstring written out one sample at a time, on both paths (numba, when
installed, and the NumPy fallbacks).
"""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from skmlp._core import _kernels
from skmlp._core._linear_epochs import linear_sgd_epoch

PATHS = ["numpy"] + (["numba"] if _kernels.HAVE_NUMBA else [])
DECAYS = [1.0, 0.98, 0.5, 0.0]


def reference_epoch(W, b, X, T, s, inv_norm, order, eta, decay, step):
    """The rule, in plain Python: returns new ``W, b`` and ``(weighted_loss, errors)``."""
    X = X.toarray() if sparse.issparse(X) else X
    W, b = W.copy(), b.copy()
    loss, errors = 0.0, 0
    for i in order:
        x, t = X[i], T[i]
        z = x @ W + b
        if step:
            a = np.where(z >= 0, 1.0, -1.0)
            ell = np.maximum(-t * z, 0).sum()
            errors += bool(np.any(a != t))
        else:
            a = z
            ell = 0.5 * ((z - t) ** 2).sum()
        weight = 1.0 if s is None else s[i]
        loss += weight * ell
        d = (a - t) * weight * inv_norm
        W = decay * W - eta * np.outer(x, d)
        b = b - eta * d
    return W, b, (loss, errors)


def digits(n, dtype, scale, n_classes=10):
    """``X`` (integers, or standardised when ``scale``), ``T`` in {-1, +1}; row 5 is zero."""
    X, y = load_digits(return_X_y=True)
    X, y = X[:n].copy(), y[:n]
    if scale:
        X = StandardScaler().fit_transform(X)
    X[5] = 0
    if n_classes == 2:
        T = np.where(y % 2 == 1, 1.0, -1.0)[:, None]
    else:
        T = np.where(y[:, None] == np.arange(n_classes), 1.0, -1.0)
    return X.astype(dtype), T.astype(dtype)


def to_csr(X, layout):
    """``X`` as CSR: canonical, with each row's indices reversed, or with repeats."""
    A = sparse.csr_matrix(X)
    if layout == "canonical":
        return A
    rows = np.repeat(np.arange(A.shape[0]), np.diff(A.indptr))
    cols, vals = A.indices, A.data
    if layout == "unsorted":
        # Reverse the columns of every row (row-major order kept).
        key = np.lexsort((-cols, rows))
        rows, cols, vals = rows[key], cols[key], vals[key]
    else:  # "repeats": every value split in two halves under the same column
        rows, cols = np.repeat(rows, 2), np.repeat(cols, 2)
        vals = np.repeat(vals / 2, 2)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=A.shape[0]))])
    B = sparse.csr_matrix((vals, cols, indptr), shape=A.shape)
    assert not B.has_canonical_format
    return B


def run_epochs(X, T, s, inv_norm, orders, eta, decay, step, kernel):
    W = np.zeros((X.shape[1], T.shape[1]), dtype=T.dtype)
    b = np.zeros(T.shape[1], dtype=T.dtype)
    results = []
    for order in orders:
        if kernel is reference_epoch:
            W, b, result = reference_epoch(W, b, X, T, s, inv_norm, order, eta, decay, step)
        else:
            result = kernel(W, b, X, T, s, inv_norm, order, eta, decay, step)
        results.append(result)
    return W, b, results


def orders(n, epochs=3, seed=0):
    """A random order per epoch, each leaving some rows out (as a validation split does)."""
    rng = np.random.default_rng(seed)
    return [rng.permutation(n)[: n - 17] for _ in range(epochs)]


def weights(n, weighted, inv_norm=None):
    """Integer sample weights (or None) and ``1 / mean`` (or ``inv_norm``)."""
    if not weighted:
        return None, 1.0
    s = np.random.default_rng(1).integers(1, 4, n).astype(np.float64)
    return s, 1 / s.mean() if inv_norm is None else inv_norm


@pytest.mark.parametrize("kernel_path", PATHS, indirect=True)
@pytest.mark.parametrize("fmt", ["dense", "canonical", "unsorted", "repeats"])
@pytest.mark.parametrize("n_classes", [2, 10])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_perceptron_is_exact_on_integers(kernel_path, fmt, n_classes, dtype):
    # Small integers, eta=1, unit weights, no decay: every operation is exact,
    # so both paths, dense or CSR, must give the reference's weights bit for bit.
    X, T = digits(400, dtype, scale=False, n_classes=n_classes)
    Xk = X if fmt == "dense" else to_csr(X, fmt)
    epochs = orders(len(X))
    W_ref, b_ref, res_ref = run_epochs(X, T, None, 1.0, epochs, 1.0, 1.0, True, reference_epoch)
    W, b, res = run_epochs(Xk, T, None, 1.0, epochs, 1.0, 1.0, True, linear_sgd_epoch)
    assert W.dtype == dtype
    np.testing.assert_array_equal(W, W_ref)
    np.testing.assert_array_equal(b, b_ref)
    assert res == res_ref
    assert all(errors > 0 for _, errors in res)


def _against_the_rule(X, Xk, args, dtype):
    """Epochs of the kernel on ``Xk`` and of the rule written out on ``X``;
    the weights (in ``dtype``) and the losses agree, for both rules.

    Returns ``(b, b_ref, res, res_ref, rtol, atol)`` for the rule's own checks.
    """
    W_ref, b_ref, res_ref = run_epochs(X.astype(np.float64), *args, reference_epoch)
    W, b, res = run_epochs(Xk, *args, linear_sgd_epoch)
    rtol = 1e-9 if dtype == np.float64 else 1e-4
    atol = rtol * np.abs(W_ref).max()
    assert W.dtype == dtype
    np.testing.assert_allclose(W, W_ref, rtol=rtol, atol=atol)
    np.testing.assert_allclose([loss for loss, _ in res], [loss for loss, _ in res_ref], rtol=rtol)
    return b, b_ref, res, res_ref, rtol, atol


def _rule_grid(formats):
    """The grid of ``*_follows_the_rule``: paths, CSR formats, weights, decays,
    dtypes and output counts."""
    marks = [
        pytest.mark.parametrize("kernel_path", PATHS, indirect=True),
        pytest.mark.parametrize("fmt", formats),
        pytest.mark.parametrize("weighted", [False, True]),
        pytest.mark.parametrize("decay", DECAYS),
        pytest.mark.parametrize("dtype", [np.float64, np.float32]),
        pytest.mark.parametrize("n_classes", [2, 10]),
    ]

    def grid(test):
        for mark in reversed(marks):
            test = mark(test)
        return test

    return grid


@_rule_grid(["dense", "canonical", "unsorted"])
def test_perceptron_follows_the_rule(kernel_path, fmt, weighted, decay, dtype, n_classes):
    X, T = digits(400, dtype, scale=False, n_classes=n_classes)
    Xk = X if fmt == "dense" else to_csr(X, fmt)
    # Binary fractions: float32 rounding must not flip a decision on a tie
    # (row 5 is zero, so its z is b, which may cancel to exactly zero).
    s, inv_norm = weights(len(X), weighted, inv_norm=0.5)
    eta = 0.75
    epochs = orders(len(X))
    b, b_ref, res, res_ref, rtol, atol = _against_the_rule(
        X, Xk, (T, s, inv_norm, epochs, eta, decay, True), dtype
    )
    np.testing.assert_allclose(b, b_ref, rtol=rtol, atol=atol)
    assert [e for _, e in res] == [e for _, e in res_ref]


@_rule_grid(["dense", "canonical", "unsorted", "repeats"])
def test_adaline_follows_the_rule(kernel_path, fmt, weighted, decay, dtype, n_classes):
    X, T = digits(300, dtype, scale=True, n_classes=n_classes)
    Xk = X if fmt == "dense" else to_csr(X, fmt)
    s, inv_norm = weights(len(X), weighted)
    eta = 0.002
    epochs = orders(len(X))
    b, b_ref, res, _, rtol, _ = _against_the_rule(
        X, Xk, (T, s, inv_norm, epochs, eta, decay, False), dtype
    )
    np.testing.assert_allclose(b, b_ref, rtol=rtol, atol=rtol * np.abs(b_ref).max())
    assert all(errors == 0 for _, errors in res)


@pytest.mark.parametrize("kernel_path", PATHS, indirect=True)
@pytest.mark.parametrize("step", [True, False])
@pytest.mark.parametrize("n_classes", [2, 10])
def test_csr_scale_is_folded_back(kernel_path, step, n_classes):
    # decay 0.3 pushes the CSR kernels' weight scale below 1e-9 within 20
    # samples: the weights must still follow the rule over long runs.
    X, T = digits(200, np.float64, scale=not step, n_classes=n_classes)
    epochs = orders(len(X), epochs=2)
    eta = 1.0 if step else 0.002
    args = (T, None, 1.0, epochs, eta, 0.3, step)
    W_ref, b_ref, res_ref = run_epochs(X, *args, reference_epoch)
    W, b, res = run_epochs(sparse.csr_matrix(X), *args, linear_sgd_epoch)
    np.testing.assert_allclose(W, W_ref, rtol=1e-9, atol=1e-12 * np.abs(W_ref).max())
    np.testing.assert_allclose(b, b_ref, rtol=1e-9)
    np.testing.assert_allclose([r[0] for r in res], [r[0] for r in res_ref], rtol=1e-9)


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize("fmt", ["dense", "csr"])
def test_numba_and_numpy_paths_give_identical_perceptrons(monkeypatch, fmt):
    X, T = digits(1797, np.float64, scale=False)
    Xk = X if fmt == "dense" else sparse.csr_matrix(X)
    epochs = orders(len(X), epochs=10, seed=1)
    fits = {}
    for flag in (True, False):
        monkeypatch.setattr(_kernels, "USE_NUMBA", flag)
        fits[flag] = run_epochs(Xk, T, None, 1.0, epochs, 1.0, 1.0, True, linear_sgd_epoch)
    np.testing.assert_array_equal(fits[True][0], fits[False][0])
    np.testing.assert_array_equal(fits[True][1], fits[False][1])
    assert fits[True][2] == fits[False][2]


@pytest.mark.parametrize("kernel_path", PATHS, indirect=True)
@pytest.mark.parametrize("fmt", ["dense", "csr"])
@pytest.mark.parametrize("raise_", [False, True])
def test_adaline_overflow_returns_a_non_finite_loss(kernel_path, fmt, raise_):
    # A row of 1e200 made np.linalg.solve raise "Singular matrix"; the kernel
    # must return a non-finite loss instead, whatever np.errstate says.
    rng = np.random.default_rng(0)
    X = rng.standard_normal((100, 5))
    X[7] = 1e200
    T = np.where(rng.random((100, 1)) < 0.5, 1.0, -1.0)
    order = np.concatenate([[7], np.delete(np.arange(100), 7)])
    Xk = X if fmt == "dense" else sparse.csr_matrix(X)
    W, b = np.zeros((5, 1)), np.zeros(1)
    with np.errstate(all="raise" if raise_ else "ignore"):
        loss, errors = linear_sgd_epoch(W, b, Xk, T, None, 1.0, order, 0.01, 1.0, False)
    assert not np.isfinite(loss)
    assert errors == 0


@pytest.mark.parametrize("kernel_path", PATHS, indirect=True)
@pytest.mark.parametrize("fmt", ["dense", "csr"])
@pytest.mark.parametrize("step", [True, False])
def test_right_samples_only_shrink(kernel_path, fmt, step):
    # Samples with d == 0 (targets hit exactly) change nothing with decay ==
    # 1; with decay < 1 every sample, right or wrong, shrinks W (not b).
    X = np.array([[1.0, 2.0], [3.0, 1.0]])
    Xk = X if fmt == "dense" else sparse.csr_matrix(X)
    cases = {1.0: ([-0.0, 2.0], [4.25, 2.25]), 0.5: ([-0.0, 0.5], [4.25, 1.25])}
    for decay, (expected, z) in cases.items():
        T = np.ones((2, 1)) if step else np.array(z)[:, None]
        W, b = np.array([[-0.0], [2.0]]), np.array([0.25])
        loss, errors = linear_sgd_epoch(W, b, Xk, T, None, 1.0, np.array([0, 1]), 1.0, decay, step)
        assert (loss, errors) == (0.0, 0)
        np.testing.assert_array_equal(W[:, 0], expected)
        np.testing.assert_array_equal(b, [0.25])


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("nesterovs_momentum", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("activation", ["logistic", "tanh"])
def test_fused_mlp_updates_equal_the_numpy_ones(
    monkeypatch, solver, nesterovs_momentum, dtype, activation
):
    # The fused kernels (updates, derivatives) perform NumPy's operations in
    # NumPy's order: the two paths agree to the last bit.  (Batch by batch:
    # the compiled epoch agrees to rounding, tested below.)
    from skmlp import MLPBackpropClassifier
    from skmlp._core import _compiled_epoch

    monkeypatch.setattr(_compiled_epoch, "ENABLED", False)

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:500]).astype(dtype)
    y = y[:500]
    fits = {}
    for flag in (True, False):
        monkeypatch.setattr(_kernels, "USE_NUMBA", flag)
        fits[flag] = MLPBackpropClassifier(
            hidden_layer_sizes=(20,),
            activation=activation,
            solver=solver,
            nesterovs_momentum=nesterovs_momentum,
            alpha=0.5,
            batch_size=50,
            learning_rate_init=0.01,
            max_iter=5,
            tol=None,
            random_state=0,
        ).fit(X, y)
    for a, b in zip(
        fits[True].coefs_ + fits[True].intercepts_, fits[False].coefs_ + fits[False].intercepts_
    ):
        assert a.dtype == dtype
        np.testing.assert_array_equal(a, b)
    assert fits[True].loss_curve_ == fits[False].loss_curve_


def _count_compiled_calls(monkeypatch, name="_epoch"):
    """A list that grows by one at every call of the compiled function
    ``name`` (the epoch, or ``"_evaluate"``, the validation's)."""
    from skmlp._core import _compiled_epoch

    calls = []
    compiled = getattr(_compiled_epoch, name)

    def spy(*args):
        calls.append(1)
        return compiled(*args)

    monkeypatch.setattr(_compiled_epoch, name, spy)
    return calls


def _compiled_cases():
    from skmlp import (
        AdalineClassifier,
        AdalineRegressor,
        MLPBackpropClassifier,
        MLPBackpropRegressor,
    )

    net = {"hidden_layer_sizes": (12, 7), "alpha": 0.5, "learning_rate_init": 0.01}
    return {
        "relu-logistic-adam": lambda: MLPBackpropClassifier(activation="relu", **net),
        "logistic-logistic-adam": lambda: MLPBackpropClassifier(**net),
        "tanh-softmax-sgd": lambda: MLPBackpropClassifier(
            activation="tanh", output_activation="softmax", solver="sgd", **net
        ),
        "elu-regressor-sgd": lambda: MLPBackpropRegressor(activation="elu", solver="sgd", **net),
        "softplus-logistic-adam": lambda: MLPBackpropClassifier(activation="softplus", **net),
        "leaky-relu-logistic-nesterov": lambda: MLPBackpropClassifier(
            activation="leaky_relu", solver="sgd", **net
        ),
        "relu-softmax-nesterov": lambda: MLPBackpropClassifier(
            activation="relu", output_activation="softmax", solver="sgd", **net
        ),
        "tanh-logistic-binary-adam": lambda: MLPBackpropClassifier(activation="tanh", **net),
        "relu-logistic-3-classes-sgd": lambda: MLPBackpropClassifier(
            activation="relu", solver="sgd", **net
        ),
        "identity-logistic-momentum": lambda: MLPBackpropClassifier(
            activation="identity", solver="sgd", nesterovs_momentum=False, **net
        ),
        "relu-plain-sgd-one-layer": lambda: MLPBackpropClassifier(
            activation="relu", solver="sgd", momentum=0.0, hidden_layer_sizes=(9,)
        ),
        "relu-regressor-adam": lambda: MLPBackpropRegressor(activation="relu", **net),
        "adaline-minibatch": lambda: AdalineClassifier(batch_size=40, eta0=0.01, alpha=0.5),
        "adaline-regressor-minibatch": lambda: AdalineRegressor(batch_size=40, eta0=0.01),
        # Batches of consecutive rows, read in place: the whole set, and no shuffling.
        "adaline-full-batch": lambda: AdalineClassifier(alpha=0.5),
        "relu-regressor-unshuffled": lambda: MLPBackpropRegressor(
            activation="relu", shuffle=False, **net
        ),
        "relu-full-batch-sgd": lambda: MLPBackpropClassifier(
            activation="relu", solver="sgd", batch_size=None, **net
        ),
    }


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize("case", list(_compiled_cases()))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("early_stopping", [False, True], ids=["", "early-stopping"])
def test_the_compiled_epoch_equals_the_batch_one(
    monkeypatch, case, dtype, weighted, early_stopping
):
    """The compiled epoch is an optimisation of the same mathematics: its
    weights and losses equal the batch-by-batch path's to 1e-12 (float64) and
    1e-5 (float32), with shuffling, a last partial batch, sample weights and
    an early-stopping split, whose validation the compiled forward pass
    computes."""
    from skmlp._core import _compiled_epoch

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:530]).astype(dtype)
    y = y[:530]
    make = _compiled_cases()[case]
    if "regressor" in case:
        y = np.column_stack([X[:, 20] - X[:, 40], X[:, 30]]) + 0.1 * y[:, None]
    if "binary" in case:
        y = y % 2  # one logistic output unit
    if "3-classes" in case:
        y = y % 3  # three logistic output units; ten otherwise
    sw = np.random.default_rng(0).uniform(0.5, 2, len(y)) if weighted else None
    calls = _count_compiled_calls(monkeypatch)
    validations = _count_compiled_calls(monkeypatch, "_evaluate")
    fits = {}
    for enabled in (True, False):
        monkeypatch.setattr(_compiled_epoch, "ENABLED", enabled)
        est = make().set_params(max_iter=4, tol=None, random_state=0)
        est.set_params(early_stopping=early_stopping)
        fits[enabled] = est.fit(X, y, sample_weight=sw)
        if enabled:
            assert len(calls) == 4  # every epoch ran compiled
            assert len(validations) == (4 if early_stopping else 0)
    assert len(validations) == (4 if early_stopping else 0)  # none with ENABLED off
    rtol = 1e-12 if dtype == np.float64 else 1e-5
    a, b = fits[True]._network().params, fits[False]._network().params
    for p, q in zip(a, b):
        assert p.dtype == dtype
        np.testing.assert_allclose(p, q, rtol=rtol, atol=rtol * np.abs(q).max())
    np.testing.assert_allclose(fits[True].loss_curve_, fits[False].loss_curve_, rtol=rtol)
    if early_stopping:
        # Scores of order one (accuracy, R^2, which may be near 0).
        np.testing.assert_allclose(
            fits[True].validation_scores_, fits[False].validation_scores_, rtol=rtol, atol=rtol
        )
        np.testing.assert_allclose(
            fits[True].validation_loss_curve_, fits[False].validation_loss_curve_, rtol=rtol
        )


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize("order", ["C", "F"])
def test_a_large_validation_set_is_evaluated_in_chunks(monkeypatch, order):
    """Validation data of more rows than one compiled call takes (4096) are
    evaluated chunk by chunk, whatever their memory order, with sample
    weights: the validation losses and scores equal the NumPy path's, and
    the last score is ``score``'s, which predicts through the same pass."""
    from skmlp import MLPBackpropClassifier
    from skmlp._core import _compiled_epoch

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_val = np.asarray(np.tile(X, (5, 1)) + 0.1, order=order)  # 8 985 rows: 3 chunks
    y_val = np.tile(y, 5)
    s_val = np.random.default_rng(0).uniform(0.5, 2, len(y_val))
    validations = _count_compiled_calls(monkeypatch, "_evaluate")
    fits = {}
    for enabled in (True, False):
        monkeypatch.setattr(_compiled_epoch, "ENABLED", enabled)
        est = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=2, random_state=0)
        fits[enabled] = est.fit(
            X[:400], y[:400], X_val=X_val, y_val=y_val, sample_weight_val=s_val
        )
    assert len(validations) == 2 * 3
    np.testing.assert_allclose(
        fits[True].validation_loss_curve_, fits[False].validation_loss_curve_, rtol=1e-12
    )
    np.testing.assert_allclose(
        fits[True].validation_scores_, fits[False].validation_scores_, rtol=1e-12
    )
    # Predictions take the same compiled pass, and equal NumPy's to rounding.
    proba = {}
    for enabled in (True, False):
        monkeypatch.setattr(_compiled_epoch, "ENABLED", enabled)
        proba[enabled] = fits[True].predict_proba(X_val)
    np.testing.assert_allclose(proba[True], proba[False], rtol=1e-12, atol=1e-15)
    assert len(validations) == 2 * 3 + 3
    for enabled, fitted in fits.items():
        # One prediction of another class would move the score by 3e-5.
        monkeypatch.setattr(_compiled_epoch, "ENABLED", enabled)
        score = fitted.score(X_val, y_val, sample_weight=s_val)
        assert fitted.validation_scores_[-1] == pytest.approx(score, rel=1e-12)


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize(
    "case", ["logistic-logistic-adam", "relu-regressor-unshuffled", "tanh-softmax-sgd"]
)
def test_an_epoch_in_several_calls_equals_the_batch_one(monkeypatch, case):
    """A large epoch runs in several compiled calls (so that Ctrl-C is seen
    between them); with one batch per call the fit still equals the
    batch-by-batch path, Adam's step count and the data-order views
    carrying over from call to call."""
    from skmlp._core import _compiled_epoch

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:530])
    y = y[:530]
    if "regressor" in case:
        y = np.column_stack([X[:, 20] - X[:, 40], X[:, 30]]) + 0.1 * y[:, None]
    sw = np.random.default_rng(0).uniform(0.5, 2, len(y))
    calls = _count_compiled_calls(monkeypatch)
    monkeypatch.setattr(_compiled_epoch, "CALL_PRODUCTS", 1)
    fits = {}
    for enabled in (True, False):
        monkeypatch.setattr(_compiled_epoch, "ENABLED", enabled)
        est = _compiled_cases()[case]().set_params(
            max_iter=3, tol=None, random_state=0, batch_size=100
        )
        fits[enabled] = est.fit(X, y, sample_weight=sw)
    assert len(calls) == 3 * 6  # six batches of at most 100 rows an epoch, a call each
    for p, q in zip(fits[True]._network().params, fits[False]._network().params):
        np.testing.assert_allclose(p, q, rtol=1e-12, atol=1e-12 * np.abs(q).max())
    np.testing.assert_allclose(fits[True].loss_curve_, fits[False].loss_curve_, rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("solver", ["sgd", "adam", "lbfgs"])
def test_the_logistic_form_changes_a_fit_only_by_rounding(monkeypatch, solver, dtype):
    """Either form of the logistic function (chosen by its time on the CPU)
    gives the same fit: weights to 1e-9 (float64) or 1e-4 (float32) and the
    same predictions."""
    from skmlp import MLPBackpropClassifier
    from skmlp._core import activations

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:400]).astype(dtype)
    y = y[:400]
    fits = {}
    for form in activations.LOGISTIC_FORMS:
        monkeypatch.setattr(activations, "_logistic_choice", {})
        monkeypatch.setenv("SKMLP_LOGISTIC_FORM", form)
        est = MLPBackpropClassifier(
            hidden_layer_sizes=(12,), solver=solver, max_iter=5, tol=None, random_state=0
        )
        fits[form] = est.fit(X, y)
    rtol = 1e-9 if dtype == np.float64 else 1e-4
    a, b = (f._network().params for f in fits.values())
    for p, q in zip(a, b):
        np.testing.assert_allclose(p, q, rtol=rtol, atol=rtol * np.abs(q).max())
    np.testing.assert_array_equal(fits["tanh"].predict(X), fits["exp"].predict(X))


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_compiled_logistic_matches_the_definition(dtype):
    """The compiled epoch's logistic hidden units (an exp of its own) against
    ``1 / (1 + exp(-z))``, to a few units in the last place, and at the
    extremes: 1 and (almost) 0 where the function saturates, NaN stays NaN."""
    from skmlp._core import _compiled_epoch

    z = np.concatenate([np.linspace(-60, 60, 2400), [-800, 800, -np.inf, np.inf, np.nan]])
    Z = z.astype(dtype).reshape(-1, 5)
    A = Z.copy()
    _compiled_epoch._logistic(A)
    a = A.ravel().astype(np.float64)
    with np.errstate(over="ignore"):
        expected = 1 / (1 + np.exp(-Z.ravel().astype(np.float64)))
    normal = slice(0, 2400)
    tolerance = 2e-15 if dtype == np.float64 else 2 * np.finfo(np.float32).eps
    np.testing.assert_allclose(a[normal], expected[normal], rtol=tolerance, atol=0)
    assert a[2401] == 1 and a[2403] == 1
    assert 0 <= a[2400] < 1e-307 and 0 <= a[2402] < 1e-307
    assert np.isnan(a[2404])
