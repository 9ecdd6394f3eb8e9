"""Dask: searches on a cluster, and data that lives there (LocalCluster on 127.0.0.1)."""

import pickle
import warnings

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from skmlp import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture(scope="module")
def client():
    # Worker processes, loopback only, no dashboard; the one line that
    # changes for a real cluster is Client("tcp://scheduler:8786").
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            memory_limit="2GiB",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_grid_search_on_the_cluster_scores_as_the_sequential_one(client, digits):
    import joblib
    from sklearn.model_selection import GridSearchCV, cross_validate
    from sklearn.pipeline import make_pipeline

    X, y = digits
    X, y = X[:600], y[:600]
    pipe = make_pipeline(
        StandardScaler(), MLPBackpropClassifier(max_iter=15, random_state=0, tol=None)
    )
    grid = {
        "mlpbackpropclassifier__alpha": [1e-4, 1e-1],
        "mlpbackpropclassifier__hidden_layer_sizes": [(8,), (16,)],
    }
    sequential = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    with joblib.parallel_backend("dask"):
        distributed_search = GridSearchCV(pipe, grid, cv=3, n_jobs=-1).fit(X, y)
        cv = cross_validate(pipe, X, y, cv=3, n_jobs=-1)
    np.testing.assert_array_equal(
        distributed_search.cv_results_["mean_test_score"],
        sequential.cv_results_["mean_test_score"],
    )
    assert distributed_search.best_params_ == sequential.best_params_
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sklearn.model_selection import cross_validate as cv_seq

        np.testing.assert_array_equal(cv["test_score"], cv_seq(pipe, X, y, cv=3)["test_score"])


def _split(X, y, n_train):
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def _as_dask(X, y, chunk):
    return da.from_array(X, chunks=(chunk, -1)), da.from_array(y, chunks=chunk)


@pytest.mark.parametrize(
    "make",
    [
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(10,), solver="lbfgs", alpha=1e-2, max_iter=40, random_state=0
        ),
        lambda: AdalineClassifier(alpha=1e-2, max_iter=15, tol=None),
        lambda: AdalineClassifier(alpha=1e-2, max_iter=15, class_weight={0: 2.0, 1: 1.0}),
    ],
    ids=["mlp-lbfgs", "adaline-batch", "adaline-class-weight"],
)
def test_full_batch_training_is_data_parallel_and_equals_in_memory(client, digits, make):
    X, y = digits
    X_train, y_train, X_test, y_test = _split(X, y, 1200)
    sw = np.random.default_rng(0).uniform(0.5, 2, len(y_train))
    memory = make().fit(X_train, y_train, sample_weight=sw)
    Xd, yd = _as_dask(X_train, y_train, 250)
    swd = da.from_array(sw, chunks=250)
    cluster = make().fit(Xd, yd, sample_weight=swd)
    assert cluster.n_iter_ == memory.n_iter_
    for a, b in zip(cluster._network().params, memory._network().params):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9 * np.abs(b).max())
    np.testing.assert_array_equal(cluster.predict(X_test), memory.predict(X_test))
    assert cluster.loss_curve_ == pytest.approx(memory.loss_curve_, rel=1e-9)


@pytest.mark.parametrize(
    "make",
    [
        lambda: PerceptronClassifier(shuffle=False, max_iter=4, tol=None),
        lambda: AdalineClassifier(batch_size=1, eta0=0.001, shuffle=False, max_iter=3, tol=None),
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(8,), solver="sgd", shuffle=False, max_iter=3, random_state=0
        ),
    ],
    ids=["perceptron", "adaline-sgd", "mlp-sgd"],
)
def test_stochastic_training_equals_partial_fit_over_the_same_blocks(client, digits, make):
    X, y = digits
    X, y = X[:900], y[:900]
    chunk = 300
    cluster = make().fit(*_as_dask(X, y, chunk))
    memory = make()
    for _ in range(cluster.n_iter_):
        for start in range(0, len(y), chunk):
            memory.partial_fit(X[start : start + chunk], y[start : start + chunk], np.unique(y))
    for a, b in zip(cluster._network().params, memory._network().params):
        np.testing.assert_array_equal(a, b)
    assert cluster.loss_curve_ == memory.loss_curve_
    assert cluster.n_iter_ == 3 or cluster.n_iter_ == 4


@pytest.mark.parametrize(
    "make, width",
    [
        (lambda: AdalineRegressor(alpha=1.0, max_iter=15, tol=None), 0),
        (lambda: AdalineRegressor(alpha=1.0, max_iter=15, tol=None), 2),
        (
            lambda: MLPBackpropRegressor(
                hidden_layer_sizes=(6,), solver="lbfgs", alpha=1.0, max_iter=30, random_state=0
            ),
            2,
        ),
    ],
    ids=["adaline-1d", "adaline-2-targets", "mlp-lbfgs-2-targets"],
)
def test_regressors_train_data_parallel_and_score_on_the_cluster(client, digits, make, width):
    """Full-batch regression on Dask equals the fit in memory, one target or
    several; predictions are lazy and R^2 is computed from sums over blocks."""
    X, labels = digits
    y = X[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * labels
    Y = y if width == 0 else np.column_stack([y, X[:, 4]])
    sw = np.random.default_rng(0).uniform(0.5, 2, len(y))
    memory = make().fit(X[:1400], Y[:1400], sample_weight=sw[:1400])
    Xd = da.from_array(X[:1400], chunks=(350, -1))
    Yd = da.from_array(Y[:1400], chunks=(350,) + Y.shape[1:])
    cluster = make().fit(Xd, Yd, sample_weight=da.from_array(sw[:1400], chunks=350))
    for a, b in zip(cluster._network().params, memory._network().params):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9 * np.abs(b).max())
    assert cluster.loss_curve_ == pytest.approx(memory.loss_curve_, rel=1e-9)
    Xt = da.from_array(X[1400:], chunks=(100, -1))
    Yt = da.from_array(Y[1400:], chunks=(100,) + Y.shape[1:])
    predicted = cluster.predict(Xt)
    assert isinstance(predicted, da.Array) and predicted.shape == Y[1400:].shape
    np.testing.assert_allclose(predicted.compute(), memory.predict(X[1400:]), rtol=1e-6)
    assert cluster.score(Xt, Yt) == pytest.approx(memory.score(X[1400:], Y[1400:]), rel=1e-9)
    weights = da.from_array(sw[1400:], chunks=100)
    assert cluster.score(Xt, Yt, sample_weight=weights) == pytest.approx(
        memory.score(X[1400:], Y[1400:], sample_weight=sw[1400:]), rel=1e-9
    )
    # Validation data on the cluster: R^2 and J computed there, as in memory.
    params = {"max_iter": 3, "tol": None}
    with_val = make().set_params(**params).fit(Xd, Yd, X_val=Xt, y_val=Yt)
    in_memory = make().set_params(**params).fit(Xd, Yd, X_val=X[1400:], y_val=Y[1400:])
    if with_val.validation_scores_ is not None:
        assert with_val.validation_scores_ == pytest.approx(in_memory.validation_scores_, rel=1e-9)


def test_stochastic_regression_is_partial_fit_block_by_block(client, digits):
    X, labels = digits
    y = X[:, :3] @ [1.0, -2.0, 0.5] + 0.1 * labels
    make = lambda: AdalineRegressor(batch_size=1, eta0=0.001, shuffle=False, max_iter=2, tol=None)  # noqa: E731
    cluster = make().fit(da.from_array(X[:900], chunks=(300, -1)), da.from_array(y[:900], 300))
    memory = make()
    for _ in range(2):
        for start in range(0, 900, 300):
            memory.partial_fit(X[start : start + 300], y[start : start + 300])
    np.testing.assert_array_equal(cluster.coef_, memory.coef_)
    assert cluster.loss_curve_ == memory.loss_curve_


def test_prediction_is_lazy_and_block_wise(client, digits):
    X, y = digits
    clf = MLPBackpropClassifier(hidden_layer_sizes=(8,), max_iter=20, random_state=0).fit(X, y)
    Xd, yd = _as_dask(X, y, 400)
    for method in ["predict", "predict_proba", "predict_log_proba", "decision_function"]:
        out = getattr(clf, method)(Xd)
        assert isinstance(out, da.Array)
        assert out.chunks[0] == Xd.chunks[0]
        np.testing.assert_allclose(out.compute(), getattr(clf, method)(X), rtol=1e-12)
    assert clf.score(Xd, yd) == pytest.approx(clf.score(X, y))
    for layer in (0, -1):
        H = clf.hidden_activations(Xd, layer=layer)
        assert isinstance(H, da.Array) and H.chunks[0] == Xd.chunks[0]
        np.testing.assert_allclose(H.compute(), clf.hidden_activations(X, layer=layer))
    binary = AdalineClassifier().fit(X, y % 2)
    np.testing.assert_allclose(binary.decision_function(Xd).compute(), binary.decision_function(X))


def test_dataframes_classes_partial_fit_and_the_fitted_model(client, iris):
    dd = pytest.importorskip("dask.dataframe")
    pd = pytest.importorskip("pandas")
    X, y = iris
    names = ["sl", "sw", "pl", "pw"]
    frame = dd.from_pandas(pd.DataFrame(X, columns=names), npartitions=3)
    labels = dd.from_pandas(pd.Series(np.array(["a", "b", "c"])[y]), npartitions=3)
    clf = AdalineClassifier(max_iter=20).fit(frame, labels)
    np.testing.assert_array_equal(clf.classes_, ["a", "b", "c"])  # found on the cluster
    np.testing.assert_array_equal(clf.feature_names_in_, names)
    assert clf.score(frame, labels) > 0.8
    # An ordinary estimator: it pickles and predicts in-memory data.
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(
        copy.predict(pd.DataFrame(X, columns=names)), clf.predict(frame).compute()
    )
    online = PerceptronClassifier(random_state=0)
    online.partial_fit(frame, labels, classes=["a", "b", "c"])
    assert online.n_iter_ == 1
    assert len(online.loss_curve_) == 3  # one partial_fit per block


def test_validation_data_with_dask_input(client, digits):
    X, y = digits
    X_train, y_train, X_val, y_val = _split(X, y, 1400)
    Xd, yd = _as_dask(X_train, y_train, 350)
    clf = AdalineClassifier(
        early_stopping=True, scoring="loss", n_iter_no_change=3, tol=0.0, max_iter=20
    )
    clf.fit(Xd, yd, X_val=X_val, y_val=y_val)
    assert len(clf.validation_loss_curve_) == clf.n_iter_
    with pytest.raises(ValueError, match="X_val"):
        AdalineClassifier(early_stopping=True).fit(Xd, yd)
    # Validation data on the cluster give the same curves, computed there.
    Xv, yv = _as_dask(X_val, y_val, 150)
    for scoring in ["loss", None]:
        params = dict(scoring=scoring, max_iter=8, tol=None)
        memory = AdalineClassifier(**params).fit(Xd, yd, X_val=X_val, y_val=y_val)
        cluster = AdalineClassifier(**params).fit(Xd, yd, X_val=Xv, y_val=yv)
        assert cluster.validation_loss_curve_ == pytest.approx(
            memory.validation_loss_curve_, rel=1e-12
        )
        assert cluster.validation_scores_ == pytest.approx(memory.validation_scores_, rel=1e-12)
    with pytest.raises(ValueError, match="in memory"):
        PerceptronClassifier().fit(Xd, yd, X_val=Xv, y_val=yv)


def test_bad_dask_input_is_refused_with_a_clear_error(client, digits):
    X, y = digits
    X = X.copy()
    X[5, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        AdalineClassifier().fit(*_as_dask(X, y, 500))
    with pytest.raises(ValueError, match="samples"):
        AdalineClassifier().fit(da.from_array(X[:100]), da.from_array(y[:90]))
    fitted = AdalineClassifier(max_iter=3).fit(np.nan_to_num(X), y)
    with pytest.raises(ValueError, match="64 features"):
        fitted.predict(da.from_array(X[:, :10]))  # said at once, not when computed


def test_larger_than_memory_data_never_comes_to_the_client(client):
    import tracemalloc

    n, m, chunk = 2_000_000, 16, 125_000
    rng = da.random.default_rng(0)
    X = rng.standard_normal((n, m), chunks=(chunk, m))
    w = np.linspace(-1, 1, m)
    y = (X @ w > 0).astype(int)
    nbytes = n * m * 8  # 256 MB, generated block by block on the workers
    for make in [
        lambda: AdalineClassifier(eta0=0.5, max_iter=2, tol=None),
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(4,), solver="lbfgs", max_iter=3, random_state=0
        ),
    ]:
        make().fit(X[:1000], y[:1000])  # imports and caches: not data-sized
        tracemalloc.start()
        clf = make().fit(X, y)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 0.02 * nbytes, (peak, nbytes)
        assert clf.loss_curve_[-1] < clf.loss_curve_[0]  # it trained


@pytest.mark.parametrize(
    "make",
    [
        lambda: PerceptronClassifier(random_state=0),
        lambda: AdalineClassifier(batch_size=10, random_state=0),
        lambda: MLPBackpropClassifier(
            hidden_layer_sizes=(8,), learning_rate_init=0.05, random_state=0
        ),
    ],
    ids=["perceptron", "adaline", "mlp"],
)
def test_dask_ml_wrappers(client, digits, make):
    wrappers = pytest.importorskip("dask_ml.wrappers")
    X, y = digits
    Xd, yd = _as_dask(X, y, 300)
    incremental = wrappers.Incremental(make(), scoring="accuracy", shuffle_blocks=False)
    incremental.fit(Xd, yd, classes=np.unique(y))
    assert isinstance(incremental.predict(Xd), da.Array)
    assert incremental.score(Xd, yd) > 0.3  # one pass; chance is 0.1
    post = wrappers.ParallelPostFit(make()).fit(X, y)
    predicted = post.predict(Xd)
    assert isinstance(predicted, da.Array)
    np.testing.assert_array_equal(predicted.compute(), post.estimator.predict(X))
    assert post.predict_proba(Xd).shape == (len(y), 10)
