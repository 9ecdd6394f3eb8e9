"""The per-sample kernels agree with the generic training loop."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.datasets import load_digits
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, PerceptronClassifier
from skmlp._core import _kernels

PATHS = ["numpy"] + (["numba"] if _kernels.HAVE_NUMBA else [])


@pytest.fixture
def path(request, monkeypatch):
    monkeypatch.setattr(_kernels, "USE_NUMBA", request.param == "numba")
    return request.param


def _generic(estimator, X, y, **fit_params):
    # Sparse input takes the generic mini-batch loop (batches of one row).
    return estimator.fit(sparse.csr_matrix(X), y, **fit_params)


@pytest.mark.parametrize("path", PATHS, indirect=True)
@pytest.mark.parametrize("weighted", [False, True])
def test_perceptron_kernels_equal_the_generic_loop(path, weighted):
    # Digits are small integers, so with eta0=1 and integer weights every
    # operation is exact and the weights must agree bit for bit.
    X, y = load_digits(return_X_y=True)
    X, y = X[:600], y[:600]
    sw = np.random.default_rng(0).integers(1, 4, len(y)).astype(float) if weighted else None
    params = dict(max_iter=8, tol=None, random_state=0)
    fast = PerceptronClassifier(**params).fit(X, y, sample_weight=sw)
    slow = _generic(PerceptronClassifier(**params), X, y, sample_weight=sw)
    if weighted:
        # Weights are divided by their mean, which is not exact.
        np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=1e-12)
    else:
        np.testing.assert_array_equal(fast.coef_, slow.coef_)
        np.testing.assert_array_equal(fast.intercept_, slow.intercept_)
    assert fast.errors_ == slow.errors_
    np.testing.assert_allclose(fast.loss_curve_, slow.loss_curve_, rtol=1e-12)


@pytest.mark.parametrize("path", PATHS, indirect=True)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("weighted", [False, True])
def test_adaline_kernels_equal_the_generic_loop(path, dtype, weighted):
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:400]).astype(dtype)
    y = y[:400]
    sw = np.random.default_rng(0).uniform(0.5, 2.0, len(y)) if weighted else None
    params = dict(batch_size=1, eta0=0.002, alpha=5.0, max_iter=4, tol=None, random_state=0)
    fast = AdalineClassifier(**params).fit(X, y, sample_weight=sw)
    slow = _generic(AdalineClassifier(**params), X, y, sample_weight=sw)
    rtol = 1e-10 if dtype == np.float64 else 1e-4
    assert fast.coef_.dtype == dtype
    np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=rtol, atol=rtol * 1e-2)
    np.testing.assert_allclose(fast.intercept_, slow.intercept_, rtol=rtol, atol=rtol * 1e-2)
    np.testing.assert_allclose(fast.loss_curve_, slow.loss_curve_, rtol=rtol)


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
def test_numba_and_numpy_paths_give_identical_perceptrons(monkeypatch):
    X, y = load_digits(return_X_y=True)
    fits = {}
    for flag in (True, False):
        monkeypatch.setattr(_kernels, "USE_NUMBA", flag)
        fits[flag] = PerceptronClassifier(max_iter=10, tol=None, random_state=1).fit(X, y)
    np.testing.assert_array_equal(fits[True].coef_, fits[False].coef_)
    assert fits[True].errors_ == fits[False].errors_


@pytest.mark.skipif(not _kernels.HAVE_NUMBA, reason="numba is not installed")
@pytest.mark.parametrize("solver", ["sgd", "adam"])
@pytest.mark.parametrize("nesterovs_momentum", [True, False])
def test_fused_mlp_updates_equal_the_numpy_ones(monkeypatch, solver, nesterovs_momentum):
    from skmlp import MLPBackpropClassifier

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:500])
    y = y[:500]
    fits = {}
    for flag in (True, False):
        monkeypatch.setattr(_kernels, "USE_NUMBA", flag)
        fits[flag] = MLPBackpropClassifier(
            hidden_layer_sizes=(20,),
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
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fits[True].loss_curve_, fits[False].loss_curve_, rtol=1e-10)


@pytest.mark.parametrize("path", PATHS, indirect=True)
def test_penalised_perceptron_equals_the_generic_loop(path):
    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X[:300])
    y = y[:300]
    params = dict(alpha=3.0, max_iter=4, tol=None, random_state=0)
    fast = PerceptronClassifier(**params).fit(X, y)
    slow = _generic(PerceptronClassifier(**params), X, y)
    np.testing.assert_allclose(fast.coef_, slow.coef_, rtol=1e-10, atol=1e-12)
    assert fast.errors_ == slow.errors_
