"""The core: gradients against central differences, activations, optimizers."""

import os

import numpy as np
import pytest
from scipy import sparse

from skmlp._core import (
    ACTIVATIONS,
    DERIVATIVES,
    HIDDEN_ACTIVATIONS,
    OUTPUT_LOSSES,
    Architecture,
    History,
    Network,
    TrainingConfig,
    TrainingState,
    activations,
    initialize,
    make_optimizer,
    make_rows,
    numerical_gradient,
    objective,
    squared_error_step_size,
    train,
)

# Output activations whose loss is differentiable (the unit step is not).
SMOOTH_OUTPUTS = [name for name in OUTPUT_LOSSES if name != "step"]


def _problem(output, dtype, weighted, rng, n=12, n_features=4, n_outputs=3):
    X = rng.normal(size=(n, n_features)).astype(dtype)
    if output == "identity":
        T = rng.normal(size=(n, n_outputs))
    elif output == "softmax":
        T = np.eye(n_outputs)[rng.integers(0, n_outputs, n)]
    else:
        T = rng.integers(0, 2, size=(n, n_outputs)).astype(float)
    s = rng.uniform(0.1, 3.0, n).astype(dtype) if weighted else None
    return X, T.astype(dtype), s


@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("output", SMOOTH_OUTPUTS)
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_gradient_matches_central_differences(activation, output, dtype, weighted):
    rng = np.random.default_rng(0)
    X, T, s = _problem(output, dtype, weighted, rng)
    alpha = 0.3
    net = initialize(Architecture([4, 5, 3, 3], activation, output, "glorot"), rng, np.float64)
    # Central differences in float64 are the reference for both dtypes.
    expected = numerical_gradient(
        net,
        X.astype(np.float64),
        T.astype(np.float64),
        None if s is None else s.astype(np.float64),
        alpha,
        1e-6,
    )
    net_typed = initialize(Architecture([4, 5, 3, 3], activation, output, "zeros"), rng, dtype)
    net_typed.set_params(net.params)
    J, grads = objective(net_typed, X, T, s, alpha)
    assert np.isfinite(J)
    rtol = 1e-6 if dtype == np.float64 else 2e-3
    for g, e in zip(grads, expected):
        assert g.dtype == dtype
        scale = max(np.abs(e).max(), 1e-3)
        np.testing.assert_allclose(g, e, rtol=0, atol=rtol * scale)


@pytest.mark.parametrize("output", SMOOTH_OUTPUTS)
def test_gradient_on_sparse_input_equals_dense(output):
    rng = np.random.default_rng(1)
    X, T, s = _problem(output, np.float64, True, rng)
    X[X < 0.3] = 0
    net = initialize(Architecture([4, 6, 3], "tanh", output, "glorot"), rng, np.float64)
    J_dense, g_dense = objective(net, X, T, s, 0.1)
    g_dense = [g.copy() for g in g_dense]
    J_sparse, g_sparse = objective(net, sparse.csr_matrix(X), T, s, 0.1)
    assert J_sparse == pytest.approx(J_dense, rel=1e-12)
    for a, b in zip(g_sparse, g_dense):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_objective_is_the_weighted_mean_loss_plus_penalty():
    rng = np.random.default_rng(2)
    X, T, s = _problem("logistic", np.float64, True, rng)
    net = initialize(Architecture([4, 3], "logistic", "logistic", "glorot"), rng, np.float64)
    A = 1 / (1 + np.exp(-(X @ net.coefs[0] + net.intercepts[0])))
    per_sample = -(T * np.log(A) + (1 - T) * np.log(1 - A)).sum(axis=1)
    alpha = 0.5
    expected = (s @ per_sample) / s.sum() + alpha / (2 * s.sum()) * (net.coefs[0] ** 2).sum()
    assert objective(net, X, T, s, alpha)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_loss_is_accurate_where_units_are_nearly_right(dtype):
    # Each unit's loss -t log a - (1 - t) log(1 - a) is tiny where a is close
    # to t; computed from the rounded a it would lose most of its digits.
    rng = np.random.default_rng(4)
    Z = (rng.normal(size=(50, 6)) * 12).astype(dtype)
    T = rng.integers(0, 2, size=Z.shape).astype(dtype)
    T[:, 0] = Z[:, 0] > 0  # all right: every term of the column below 1
    z = Z.astype(np.float64)
    terms = np.where(T == 1, np.logaddexp(0, -z), np.logaddexp(0, z))
    expected = np.minimum(terms, -np.log(np.finfo(dtype).eps)).sum(axis=1)
    A = 1 / (1 + np.exp(-z))
    got = OUTPUT_LOSSES["logistic"](T, A.astype(dtype), Z.copy(), (A - T).astype(dtype))
    assert got.dtype == dtype
    rtol = 1e-14 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(got, expected, rtol=rtol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_logistic_loss_caps_saturated_units_and_keeps_nan(dtype):
    cap = -np.log(np.finfo(dtype).eps)
    Z = np.array([[np.inf, -np.inf, 1e30, -1e30], [np.nan, 0, 0, 0]], dtype=dtype)
    T = np.array([[0, 1, 0, 0], [1, 1, 1, 1]], dtype=dtype)
    got = OUTPUT_LOSSES["logistic"](T, None, Z.copy(), None)
    # Three wrong units, capped each; the fourth right to the last bit.
    assert got[0] == pytest.approx(3 * cap, rel=1e-6)
    assert np.isnan(got[1])


def test_integer_weights_equal_repeated_rows():
    rng = np.random.default_rng(3)
    X, T, _ = _problem("softmax", np.float64, False, rng)
    counts = rng.integers(0, 4, len(X))
    counts[0] = 1
    net = initialize(Architecture([4, 5, 3], "relu", "softmax", "glorot"), rng, np.float64)
    J_w, g_w = objective(net, X, T, counts.astype(float), 0.2)
    g_w = [g.copy() for g in g_w]
    J_r, g_r = objective(
        net, np.repeat(X, counts, axis=0), np.repeat(T, counts, axis=0), None, 0.2
    )
    assert J_w == pytest.approx(J_r, rel=1e-12)
    for a, b in zip(g_w, g_r):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("name", HIDDEN_ACTIVATIONS)
def test_derivative_in_terms_of_output(name):
    Z = np.linspace(-3, 3, 41).reshape(1, -1) + 0.01
    eps = 1e-6
    A = ACTIVATIONS[name](Z.copy(), out=np.empty_like(Z))
    numeric = (
        ACTIVATIONS[name](Z + eps, np.empty_like(Z)) - ACTIVATIONS[name](Z - eps, np.empty_like(Z))
    ) / (2 * eps)
    delta = np.ones_like(Z)
    DERIVATIVES[name](A, delta)
    np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-8)


def test_logistic_through_tanh_matches_the_definition():
    Z = np.linspace(-50, 50, 1001)
    A = ACTIVATIONS["logistic"](Z, out=np.empty_like(Z))
    np.testing.assert_allclose(A, 1 / (1 + np.exp(-Z)), rtol=1e-12, atol=1e-16)


@pytest.mark.parametrize("in_place", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_softplus_matches_the_definition_at_every_scale(dtype, in_place):
    Z = np.concatenate([np.linspace(-60, 60, 1201), [-1e4, -800.0, 800.0, 1e4]]).astype(dtype)
    z = Z.astype(np.float64)
    # log(1 + e^z) by the two forms that are exact on each side.
    expected = np.where(z > 0, z + np.log1p(np.exp(-np.abs(z))), np.log1p(np.exp(-np.abs(z))))
    with np.errstate(all="raise", under="ignore"):
        A = ACTIVATIONS["softplus"](Z, out=Z if in_place else np.empty_like(Z))
    assert A.dtype == dtype
    np.testing.assert_allclose(A, expected, rtol=4 * np.finfo(dtype).eps, atol=0)
    special = np.array([np.inf, -np.inf, np.nan], dtype=dtype)
    special = ACTIVATIONS["softplus"](special, out=special)
    np.testing.assert_array_equal(special, [np.inf, 0, np.nan])


@pytest.mark.parametrize("form", sorted(activations.LOGISTIC_FORMS))
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_both_logistic_forms_match_the_definition_without_warnings(form, dtype):
    Z = np.concatenate([np.linspace(-50, 50, 1001), [-1e4, -800.0, 800.0, 1e4]]).astype(dtype)
    with np.errstate(all="raise"):
        A = activations.LOGISTIC_FORMS[form](Z, out=np.empty_like(Z))
    expected = 0.5 * (1 + np.tanh(0.5 * Z.astype(np.float64)))
    np.testing.assert_allclose(A, expected, rtol=0, atol=4 * np.finfo(dtype).eps)
    assert A.dtype == dtype and A[-4] == 0 and A[-1] == 1


def test_the_logistic_form_is_chosen_by_its_time():
    choose = activations.choose_logistic_form
    margin = activations.LOGISTIC_EXP_MARGIN
    assert choose({"tanh": 1.0, "exp": 0.5}) == "exp"
    assert choose({"tanh": 1.0, "exp": margin}) == "exp"
    assert choose({"tanh": 1.0, "exp": margin * 1.01}) == "tanh"
    assert choose({"tanh": 0.5, "exp": 1.0}) == "tanh"
    form, seconds = activations.logistic_form(np.float64)
    assert form == choose(seconds) or os.environ.get("SKMLP_LOGISTIC_FORM") == form


def test_the_measured_logistic_form_is_kept_for_later_processes(monkeypatch, tmp_path):
    monkeypatch.setenv("SKMLP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SKMLP_LOGISTIC_FORM", raising=False)
    monkeypatch.setattr(activations, "_logistic_choice", {})
    first = activations.logistic_form(np.float64)
    assert first[0] == activations.choose_logistic_form(first[1])
    assert (tmp_path / "cache" / "logistic_form.json").is_file()

    def measure(dtype):
        raise AssertionError("a later process measured again")

    # A later process starts with nothing in memory and reads the file.
    monkeypatch.setattr(activations, "_logistic_choice", {})
    monkeypatch.setattr(activations, "_time_logistic_forms", measure)
    assert activations.logistic_form(np.float64) == first
    # Another dtype is measured on its own.
    with pytest.raises(AssertionError, match="measured again"):
        activations.logistic_form(np.float32)


@pytest.mark.parametrize("content", [None, "not json", '{"key": 1}', "[1, 2]"])
def test_an_unusable_logistic_cache_means_measuring(monkeypatch, tmp_path, content):
    target = tmp_path / "cache"
    if content is not None:
        target.mkdir()
        (target / "logistic_form.json").write_text(content)
    else:
        target.write_text("a file where the directory should be")
    monkeypatch.setenv("SKMLP_CACHE_DIR", str(target))
    monkeypatch.delenv("SKMLP_LOGISTIC_FORM", raising=False)
    monkeypatch.setattr(activations, "_logistic_choice", {})
    form, seconds = activations.logistic_form(np.float64)
    assert set(seconds) == set(activations.LOGISTIC_FORMS)
    assert form == activations.choose_logistic_form(seconds)


@pytest.mark.parametrize("fixed", ["tanh", "exp", "sigmoid"])
def test_an_environment_variable_fixes_the_logistic_form(monkeypatch, fixed):
    monkeypatch.setattr(activations, "_logistic_choice", {})
    monkeypatch.setenv("SKMLP_LOGISTIC_FORM", fixed)
    if fixed not in activations.LOGISTIC_FORMS:
        with pytest.raises(ValueError, match="SKMLP_LOGISTIC_FORM must be one of"):
            activations.logistic_form(np.float64)
        return
    assert activations.logistic_form(np.float32) == (fixed, {})


def test_softmax_rows_sum_to_one_and_survive_large_inputs():
    Z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    P = ACTIVATIONS["softmax"](Z, out=np.empty_like(Z))
    assert np.all(np.isfinite(P))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)


def test_step_is_plus_one_at_zero():
    Z = np.array([[-1.0, 0.0, 2.0]])
    np.testing.assert_array_equal(ACTIVATIONS["step"](Z, np.empty_like(Z)), [[-1, 1, 1]])


def test_adam_and_momentum_minimise_a_quadratic():
    for name, options in [
        ("adam", {"learning_rate_init": 0.1}),
        ("sgd", {"learning_rate_init": 0.1, "momentum": 0.9, "nesterov": True}),
        ("sgd", {"learning_rate_init": 0.1, "momentum": 0.9}),
    ]:
        p = [np.array([3.0, -2.0])]
        opt = make_optimizer(name, **options)
        for _ in range(500):
            opt.step(p, [p[0].copy()])  # gradient of ||p||^2 / 2
        assert np.abs(p[0]).max() < 1e-2, name


def test_adaptive_schedule_divides_by_five_before_stopping():
    opt = make_optimizer("sgd", learning_rate_init=1.0, learning_rate="adaptive")
    assert not opt.should_stop()
    assert opt.learning_rate == pytest.approx(0.2)
    opt.learning_rate = 1e-7
    assert opt.should_stop()


def test_invscaling_schedule():
    opt = make_optimizer("sgd", learning_rate_init=1.0, learning_rate="invscaling", power_t=0.5)
    opt.epoch_end(99)
    assert opt.learning_rate == pytest.approx(0.1)


@pytest.mark.parametrize("full_batch", [True, False])
def test_step_size_keeps_descent_stable_on_badly_scaled_data(full_batch):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 5)) * np.array([1, 10, 100, 1000, 0.1])
    T = np.sign(rng.normal(size=(200, 1)))
    eta = squared_error_step_size(X, None, 0.0, full_batch)
    net = initialize(Architecture([5, 1], "identity", "identity", "zeros"), rng, np.float64)
    history = History()
    train(
        net,
        TrainingState(make_optimizer("sgd", learning_rate_init=eta), history, rng),
        make_rows(X, T, None),
        TrainingConfig(batch_size=None if full_batch else 1, max_iter=30, patience=5),
    )
    if full_batch:
        # Descent with step 1 / L on a quadratic never increases J.
        assert np.all(np.diff(history.loss_curve) <= 1e-12)
    assert np.all(np.isfinite(history.loss_curve))
    assert history.loss_curve[-1] < history.loss_curve[0]


@pytest.mark.parametrize("kind", ["dense", "csr", "array_api"])
@pytest.mark.parametrize("weighted", [False, True])
def test_rows_give_the_solver_the_same_data_in_every_kind(kind, weighted):
    """Every kind of rows: the same total weight, batches of the rows asked
    for in the order asked for, and data terms summed over the same rows."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(23, 4))
    T = rng.integers(0, 2, size=(23, 3)).astype(float)
    s = rng.uniform(0.5, 2, 23) if weighted else None
    xp = np
    Xk, Tk, sk = X, T, s
    if kind == "csr":
        Xk = sparse.csr_matrix(X)
    elif kind == "array_api":
        xp = pytest.importorskip("array_api_strict")
        Xk, Tk = xp.asarray(X), xp.asarray(T)
        sk = None if s is None else xp.asarray(s)
    subset = np.array([1, 4, 5, 9, 12, 20, 22])
    rows = make_rows(Xk, Tk, sk, xp).subset(subset)
    assert rows.n == len(subset)
    expected_S = len(subset) if s is None else s[subset].sum()
    assert rows.total_weight == pytest.approx(expected_S, rel=1e-15)
    order = rows.order(True, np.random.RandomState(0))
    assert sorted(order) == subset.tolist()
    seen = []  # copies: the NumPy rows reuse their batch buffers
    for Xb, Tb, sb in rows.batches(3, order):
        Xb = Xb.toarray() if sparse.issparse(Xb) else np.array(Xb)
        seen.append((Xb, np.array(Tb), None if sb is None else np.array(sb)))
    np.testing.assert_array_equal(np.vstack([b[0] for b in seen]), X[order])
    np.testing.assert_array_equal(np.vstack([b[1] for b in seen]), T[order])
    if s is not None:
        np.testing.assert_array_equal(np.concatenate([b[2] for b in seen]), s[order])
    net = initialize(Architecture([4, 5, 3], "tanh", "logistic", "glorot"), rng, np.float64)
    if xp is not np:
        net = Network(
            [xp.asarray(W) for W in net.coefs],
            [xp.asarray(b) for b in net.intercepts],
            net.activation,
            net.output_activation,
            xp,
        )
    loss, grads = rows.data_terms(net, rows.total_weight)
    ref = make_rows(X[subset], T[subset], None if s is None else s[subset])
    ref_net = initialize(
        Architecture([4, 5, 3], "tanh", "logistic", "glorot"), np.random.default_rng(0), np.float64
    )
    ref_net.set_params([np.asarray(p) for p in net.params])
    ref_loss, ref_grads = ref.data_terms(ref_net, ref.total_weight)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for g, r in zip(grads, ref_grads):
        np.testing.assert_allclose(np.asarray(g), r, rtol=1e-12, atol=1e-15)
