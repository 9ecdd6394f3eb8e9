"""The regressors: parity with scikit-learn, the exact update rules, and what
makes a regressor a regressor (values as targets, shapes, R^2).

The features they share with the classifiers (rollback, callbacks, input
layouts, warm starts) are tested with every estimator in the modules for
those features; this module holds what is particular to regression.
"""

import copy

import numpy as np
import pytest
from _state import assert_same_state
from scipy import sparse
from sklearn.base import is_regressor
from sklearn.datasets import load_diabetes, load_linnerud, make_friedman1, make_regression
from sklearn.linear_model import Ridge, SGDRegressor
from sklearn.metrics import r2_score
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.neural_network import MLPRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineRegressor, MLPBackpropRegressor, check_gradients

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

CV = KFold(5, shuffle=True, random_state=0)


def _scaled(X, y):
    return StandardScaler().fit_transform(X), y / np.std(y, axis=0)


DATASETS = {
    "diabetes": lambda: load_diabetes(return_X_y=True),
    "make_regression": lambda: make_regression(
        n_samples=300, n_features=20, noise=10.0, random_state=0
    ),
    "friedman1": lambda: make_friedman1(n_samples=400, noise=1.0, random_state=0),
    "linnerud": lambda: load_linnerud(return_X_y=True),
}


@pytest.fixture(scope="module")
def diabetes():
    return _scaled(*load_diabetes(return_X_y=True))


# -- parity with scikit-learn --------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
@pytest.mark.parametrize("alpha", [1.0, 10.0])
def test_adaline_scores_as_ridge_with_the_same_alpha(name, alpha):
    """Batch descent reaches ridge's minimiser: 5-fold R^2 within 0.01 (in fact
    1e-4) of ``Ridge(alpha)``, one and several targets."""
    X, y = DATASETS[name]()
    y = y / np.std(y, axis=0)
    ours = make_pipeline(StandardScaler(), AdalineRegressor(alpha=alpha, tol=1e-8, max_iter=5000))
    ridge = make_pipeline(StandardScaler(), Ridge(alpha=alpha))
    a = cross_val_score(ours, X, y, cv=CV).mean()
    r = cross_val_score(ridge, X, y, cv=CV).mean()
    assert abs(a - r) < 1e-4


MLP_CASES = {
    # (data, MLPBackpropRegressor's parameters, MLPRegressor's alpha)
    "diabetes-logistic-lbfgs": ("diabetes", {"activation": "logistic"}, 1.0),
    "make_regression-tanh-lbfgs": ("make_regression", {"activation": "tanh"}, 1.0),
    "friedman1-relu-lbfgs": ("friedman1", {"activation": "relu"}, 1.0),
    "friedman1-tanh-adam-full-batch": (
        "friedman1",
        {"activation": "tanh", "solver": "adam", "batch_size": 320, "learning_rate_init": 0.01},
        1.0,
    ),
    "friedman1-tanh-sgd-full-batch": (
        "friedman1",
        {"activation": "tanh", "solver": "sgd", "batch_size": 320, "learning_rate_init": 0.01},
        1.0,
    ),
    "three-targets-relu-lbfgs": ("three-targets", {"activation": "relu"}, 1.0),
}


@pytest.mark.parametrize("case", list(MLP_CASES))
def test_mlp_scores_as_mlp_regressor_with_the_same_architecture(case):
    """The same architecture, solver and objective: 5-fold R^2 within 0.02 of
    ``MLPRegressor``'s.  For ``k`` targets, the same objective takes
    ``alpha = k * sklearn_alpha`` (``MLPRegressor`` averages over targets)."""
    data, params, sk_alpha = MLP_CASES[case]
    if data == "three-targets":
        X, y = make_regression(n_samples=300, n_features=10, n_targets=3, noise=10, random_state=0)
    else:
        X, y = DATASETS[data]()
    y = y / np.std(y, axis=0)
    k = 1 if y.ndim == 1 else y.shape[1]
    common = {
        "hidden_layer_sizes": (10,),
        "solver": "lbfgs",
        "max_iter": 300,
        "random_state": 0,
        **params,
    }
    ours = MLPBackpropRegressor(alpha=k * sk_alpha, **common)
    theirs = MLPRegressor(alpha=sk_alpha, **common)
    a = cross_val_score(make_pipeline(StandardScaler(), ours), X, y, cv=CV).mean()
    s = cross_val_score(make_pipeline(StandardScaler(), theirs), X, y, cv=CV).mean()
    assert abs(a - s) < 0.02, (a, s)


def test_full_batch_mlp_objective_equals_mlp_regressors(diabetes):
    """For one target and the whole batch, ``J`` is ``MLPRegressor``'s loss:
    the same weights give the same value (one L-BFGS iteration each from the
    same start)."""
    X, y = diabetes
    ours = MLPBackpropRegressor(
        hidden_layer_sizes=(5,), solver="lbfgs", alpha=0.5, max_iter=1, random_state=0
    ).fit(X, y)
    theirs = MLPRegressor(
        hidden_layer_sizes=(5,), solver="lbfgs", alpha=0.5, max_iter=1, activation="logistic"
    )
    theirs.fit(X, y)
    # Put our weights into scikit-learn's network and compare the losses.
    theirs.coefs_ = [W.copy() for W in ours.coefs_]
    theirs.intercepts_ = [b.copy() for b in ours.intercepts_]
    residual = y - theirs.predict(X)
    penalty = 0.5 * 0.5 * sum((W**2).sum() for W in ours.coefs_) / len(y)
    their_loss = 0.5 * np.mean(residual**2) + penalty
    from skmlp._core import objective_value

    J = objective_value(ours._network(), X, y[:, None], None, 0.5)[0]
    assert J == pytest.approx(their_loss, rel=1e-12)


# -- the exact update rules ----------------------------------------------------


def test_a_full_batch_step_is_theta_minus_eta_grad_j(diabetes):
    """Each epoch of batch descent is ``theta - eta grad J`` (to 1e-12), with
    ``grad J`` written out from the Notes, sample weights included."""
    X, y = diabetes
    s = np.random.default_rng(0).uniform(0.5, 2, len(y))
    alpha, eta = 3.0, 0.05
    reg = AdalineRegressor(alpha=alpha, eta0=eta, max_iter=1, tol=None, warm_start=True)
    w, b = np.zeros(X.shape[1]), 0.0
    S = s.sum()
    for _ in range(5):
        reg.fit(X, y, sample_weight=s)
        error = y - (X @ w + b)
        grad_w = -(s * error) @ X / S + alpha / S * w
        grad_b = -(s * error).sum() / S
        w, b = w - eta * grad_w, b - eta * grad_b
        np.testing.assert_allclose(reg.coef_, w, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(reg.intercept_, [b], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("weighted", [False, True])
def test_batch_descent_converges_to_ridges_closed_form(diabetes, weighted):
    X, y = diabetes
    s = np.random.default_rng(1).uniform(0.5, 2, len(y)) if weighted else None
    Y = np.column_stack([y, -2 * y + X[:, 0]])
    reg = AdalineRegressor(alpha=5.0, tol=None, max_iter=20000).fit(X, Y, sample_weight=s)
    ridge = Ridge(alpha=5.0, solver="cholesky", tol=1e-12).fit(X, Y, sample_weight=s)
    np.testing.assert_allclose(reg.coef_, ridge.coef_, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(reg.intercept_, ridge.intercept_, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("epochs", [1, 3])
def test_per_sample_descent_equals_sgd_regressor(diabetes, epochs):
    """``batch_size=1`` is ``SGDRegressor``'s rule (squared error, L2, constant
    rate, no shuffling) once ``alpha`` is scaled: ``alpha = n * sklearn_alpha``."""
    X, y = diabetes
    n, sk_alpha, eta = len(y), 1e-3, 0.01
    ours = AdalineRegressor(
        batch_size=1, eta0=eta, alpha=n * sk_alpha, max_iter=epochs, tol=None, shuffle=False
    ).fit(X, y)
    theirs = SGDRegressor(
        loss="squared_error",
        penalty="l2",
        alpha=sk_alpha,
        learning_rate="constant",
        eta0=eta,
        max_iter=epochs,
        tol=None,
        shuffle=False,
    ).fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=1e-10)
    np.testing.assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-10)


# -- what makes a regressor ----------------------------------------------------


@pytest.fixture(params=["adaline", "adaline-sgd", "mlp-adam", "mlp-lbfgs"])
def make_reg(request):
    return {
        "adaline": lambda **kw: AdalineRegressor(random_state=0, **kw),
        "adaline-sgd": lambda **kw: AdalineRegressor(
            batch_size=1, eta0=0.005, random_state=0, **kw
        ),
        "mlp-adam": lambda **kw: MLPBackpropRegressor(
            **{
                "hidden_layer_sizes": (8,),
                "learning_rate_init": 0.01,
                "max_iter": 50,
                "random_state": 0,
                **kw,
            }
        ),
        "mlp-lbfgs": lambda **kw: MLPBackpropRegressor(
            **{
                "hidden_layer_sizes": (8,),
                "solver": "lbfgs",
                "max_iter": 50,
                "random_state": 0,
                **kw,
            }
        ),
    }[request.param]


@pytest.mark.parametrize("shape", ["1d", "column", "two"])
def test_predictions_have_the_shape_of_y(make_reg, diabetes, shape):
    X, y = diabetes
    Y = {"1d": y, "column": y[:, None], "two": np.column_stack([y, X[:, 1]])}[shape]
    reg = make_reg().fit(X, Y)
    predicted = reg.predict(X[:7])
    assert predicted.shape == (7,) + Y.shape[1:]
    assert is_regressor(reg) and not hasattr(reg, "predict_proba")
    assert not hasattr(reg, "classes_")
    assert reg.score(X, Y) == pytest.approx(r2_score(Y, reg.predict(X)))
    if hasattr(reg, "coef_"):
        assert reg.coef_.shape == ((X.shape[1],) if shape == "1d" else (Y.shape[1], X.shape[1]))
    else:
        assert reg.n_outputs_ == (1 if shape != "two" else 2)


def test_float32_stays_float32(make_reg, diabetes):
    X, y = diabetes
    reg = make_reg().fit(X.astype(np.float32), y)
    assert reg.predict(X.astype(np.float32)).dtype == np.float32
    assert all(W.dtype == np.float32 for W in reg._network().params)


def test_sparse_and_dataframe_input_give_the_dense_model(make_reg, diabetes):
    pd = pytest.importorskip("pandas")
    X, y = diabetes
    X = np.where(np.abs(X) < 0.5, 0, X)
    dense = make_reg().fit(X, y)
    for other in (sparse.csr_matrix(X), pd.DataFrame(X, columns=[f"f{j}" for j in range(10)])):
        reg = make_reg().fit(other, pd.Series(y) if hasattr(other, "columns") else y)
        np.testing.assert_allclose(reg.predict(other), dense.predict(X), rtol=1e-6, atol=1e-8)


def test_validation_scores_are_r2_and_early_stopping_keeps_the_best(make_reg, diabetes):
    X, y = diabetes
    X_tr, y_tr, X_val, y_val = X[:300], y[:300], X[300:], y[300:]
    if "lbfgs" in repr(make_reg()):
        pytest.skip("L-BFGS has no epochs to validate")
    one = make_reg(max_iter=1, tol=None).fit(X_tr, y_tr, X_val=X_val, y_val=y_val)
    assert one.validation_scores_ == [pytest.approx(one.score(X_val, y_val), rel=1e-9)]
    assert len(one.validation_loss_curve_) == 1
    reg = make_reg(early_stopping=True, max_iter=200).fit(X_tr, y_tr, X_val=X_val, y_val=y_val)
    assert reg.best_validation_score_ == max(reg.validation_scores_)
    assert reg.score(X_val, y_val) == pytest.approx(reg.best_validation_score_, rel=1e-9)
    mse = make_reg(max_iter=2, tol=None, scoring="neg_mean_squared_error")
    mse.fit(X_tr, y_tr, X_val=X_val, y_val=y_val)
    assert mse.validation_scores_[-1] == pytest.approx(
        -np.mean((mse.predict(X_val) - y_val) ** 2), rel=1e-9
    )


def test_partial_fit_takes_no_classes_and_keeps_the_targets_width(make_reg, diabetes):
    X, y = diabetes
    if "lbfgs" in repr(make_reg()):
        pytest.skip("no partial_fit with L-BFGS")
    Y = np.column_stack([y, -y])
    reg = make_reg()
    for _ in range(3):
        reg.partial_fit(X, Y)
    assert reg.n_iter_ == 1 and reg.t_ == 3 * len(y)
    before = copy.deepcopy(reg)
    with pytest.raises(ValueError, match="y has 1 target column"):
        reg.partial_fit(X, y)
    assert_same_state(reg, before)
    with pytest.raises(TypeError):
        reg.partial_fit(X, Y, classes=[0, 1])


@pytest.mark.parametrize(
    "bad, match",
    [
        (lambda y: np.where(np.arange(len(y)) == 3, np.nan, y), "y contains NaN"),
        (lambda y: np.where(np.arange(len(y)) == 3, np.inf, y), "y contains infinity"),
        (lambda y: np.array(["a"] * len(y), dtype=object), "could not convert"),
    ],
    ids=["nan", "inf", "strings"],
)
def test_bad_targets_are_named_and_change_nothing(make_reg, diabetes, bad, match):
    X, y = diabetes
    reg = make_reg().fit(X, y)
    before = copy.deepcopy(reg)
    with pytest.raises(ValueError, match=match):
        reg.fit(X, bad(y))
    assert_same_state(reg, before)


def test_targets_too_large_to_train_on_are_named(make_reg, diabetes):
    """A target scale that overflows the squared error is divergence, and the
    message says to scale the targets, not only the features."""
    X, y = diabetes
    reg = make_reg().fit(X, y)
    before = copy.deepcopy(reg)
    with pytest.raises(ValueError, match="diverged.*the features and the targets"):
        reg.fit(X, y * 1e200)
    assert_same_state(reg, before)


@pytest.mark.parametrize(
    "y_val, match",
    [
        (lambda y: np.column_stack([y, y]), "y_val has shape"),
        (lambda y: np.where(np.arange(len(y)) == 0, np.nan, y), "y_val contains NaN"),
    ],
    ids=["width", "nan"],
)
def test_bad_validation_targets_are_named(diabetes, y_val, match):
    X, y = diabetes
    reg = AdalineRegressor(max_iter=3)
    with pytest.raises(ValueError, match=match):
        reg.fit(X[:300], y[:300], X_val=X[300:], y_val=y_val(y[300:]))
    assert not hasattr(reg, "coef_")


def test_gradients_check_out(diabetes):
    X, y = diabetes
    Y = np.column_stack([y, X[:, 0]])
    for reg in (
        AdalineRegressor(alpha=0.3),
        MLPBackpropRegressor(hidden_layer_sizes=(4, 3), activation="tanh", alpha=0.3),
    ):
        errors = check_gradients(reg, X[:20], Y[:20], sample_weight=np.linspace(0.5, 2, 20))
        assert errors.max() < 1e-6, (reg, errors)


def test_grid_search_over_alpha_and_hidden_units(diabetes):
    X, y = diabetes
    search = GridSearchCV(
        MLPBackpropRegressor(solver="lbfgs", max_iter=100, random_state=0),
        {"alpha": [1e-2, 10.0], "hidden_layer_sizes": [(3,), (10,)]},
        cv=3,
    ).fit(X, y)
    assert set(search.best_params_) == {"alpha", "hidden_layer_sizes"}
    assert search.best_score_ > 0.3
