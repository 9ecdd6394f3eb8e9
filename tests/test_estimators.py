"""Behaviour of the three estimators in everyday scikit-learn code."""

import pickle

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_digits, load_iris, make_multilabel_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

ESTIMATORS = {
    "perceptron": lambda **kw: PerceptronClassifier(**{"random_state": 0, **kw}),
    "adaline": lambda **kw: AdalineClassifier(**{"random_state": 0, **kw}),
    "mlp": lambda **kw: MLPBackpropClassifier(
        **{
            "hidden_layer_sizes": (8,),
            "learning_rate_init": 0.05,
            "max_iter": 100,
            "random_state": 0,
            **kw,
        }
    ),
}


@pytest.fixture(params=list(ESTIMATORS))
def make(request):
    return ESTIMATORS[request.param]


@pytest.fixture(scope="module")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def test_string_labels(make, iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = make().fit(X, names)
    assert set(clf.predict(X)) <= set(names)
    np.testing.assert_array_equal(clf.classes_, np.unique(names))
    assert clf.score(X, names) > 0.7


def test_pandas_feature_names_are_kept(make, iris):
    pd = pytest.importorskip("pandas")
    X, y = iris
    df = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    clf = make().fit(df, y)
    np.testing.assert_array_equal(clf.feature_names_in_, ["sl", "sw", "pl", "pw"])
    with pytest.warns(UserWarning, match="feature names"):
        clf.predict(X)


def test_pickle_round_trip_predicts_the_same_and_keeps_training(make, iris):
    X, y = iris
    clf = make().fit(X, y)
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(copy.predict_proba(X), clf.predict_proba(X))
    copy.partial_fit(X, y)
    clf.partial_fit(X, y)
    np.testing.assert_array_equal(copy.decision_function(X), clf.decision_function(X))


def test_fixed_random_state_is_deterministic(make, iris):
    X, y = iris
    a = make().fit(X, y)
    b = clone(a).fit(X, y)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    assert a.loss_curve_ == b.loss_curve_


def test_proba_rows_sum_to_one_and_argmax_is_predict(make, iris):
    X, y = iris
    for classes in [[0, 1, 2], [0, 1]]:
        mask = np.isin(y, classes)
        clf = make().fit(X[mask], y[mask])
        P = clf.predict_proba(X)
        np.testing.assert_allclose(P.sum(axis=1), 1.0)
        np.testing.assert_array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))
        np.testing.assert_allclose(np.exp(clf.predict_log_proba(X)), P)


@pytest.mark.parametrize("n_classes", [2, 3])
def test_ties_go_the_same_way_in_predict_and_proba(make, iris, n_classes):
    X, y = iris
    mask = y < n_classes
    clf = make().fit(X[mask], y[mask])
    # Zero weights put every sample on a tie.
    for p in clf._network().params:
        p[...] = 0
    P = clf.predict_proba(X)
    np.testing.assert_array_equal(clf.classes_[P.argmax(axis=1)], clf.predict(X))
    if isinstance(clf, PerceptronClassifier) and n_classes == 2:
        # The unit step sends z = 0 to the positive class.
        assert np.all(clf.predict(X) == clf.classes_[1])


def test_float32_stays_float32(make, iris):
    X, y = iris
    clf = make().fit(X.astype(np.float32), y)
    for p in clf._network().params:
        assert p.dtype == np.float32
    assert clf.predict_proba(X.astype(np.float32)).dtype == np.float32
    assert clf.decision_function(X.astype(np.float32)).dtype == np.float32
    assert clf.score(X, y) > 0.7


def test_sparse_input_gives_the_dense_model(make, iris):
    X, y = iris
    dense = make(shuffle=False).fit(X, y)
    sp = make(shuffle=False).fit(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sp.decision_function(X), dense.decision_function(X), rtol=1e-10)
    np.testing.assert_allclose(
        sp.predict_proba(sparse.csr_matrix(X)), dense.predict_proba(X), rtol=1e-10
    )


def test_streaming_partial_fit(make, iris):
    X, y = iris
    rng = np.random.default_rng(0)
    order = rng.permutation(len(y))
    clf = make()
    for _ in range(20):
        for chunk in np.array_split(order, 5):
            clf.partial_fit(X[chunk], y[chunk], classes=np.unique(y))
    # n_iter_ counts the epochs of the last call, as in scikit-learn.
    assert clf.n_iter_ == 1
    assert len(clf.loss_curve_) == 100
    assert clf.t_ == 20 * len(y)
    assert clf.score(X, y) > 0.8


def test_partial_fit_needs_classes_first(make, iris):
    X, y = iris
    with pytest.raises(ValueError, match="classes must be passed"):
        make().partial_fit(X, y)


def test_partial_fit_rejects_unseen_labels(make, iris):
    X, y = iris
    clf = make().partial_fit(X[y < 2], y[y < 2], classes=[0, 1])
    with pytest.raises(ValueError, match=r"labels \[2\]"):
        clf.partial_fit(X, y)
    with pytest.raises(ValueError, match=r"labels \[2\]"):
        make().partial_fit(X, y, classes=[0, 1])
    with pytest.raises(ValueError, match="not the same"):
        clf.partial_fit(X[y < 2], y[y < 2], classes=[0, 1, 2])


def test_warm_start_continues_from_the_previous_weights(make, iris):
    X, y = iris
    clf = make(warm_start=True, max_iter=3, tol=None).fit(X, y)
    first = clf.n_iter_
    clf.fit(X, y)
    # n_iter_ counts the epochs of the last call; the history keeps growing.
    assert clf.n_iter_ == first
    assert len(clf.loss_curve_) == 2 * first
    assert clf.t_ == 2 * first * len(y)
    if isinstance(clf, MLPBackpropClassifier):
        # The second fit starts where the first stopped, not from scratch.
        assert clf.loss_curve_[first] < clf.loss_curve_[0]
    else:
        # Plain gradient descent has no state besides the weights.
        cold = make(max_iter=2 * first, tol=None).fit(X, y)
        np.testing.assert_allclose(clf.coef_, cold.coef_, rtol=1e-10)


def test_cross_validation_and_grid_search_in_a_pipeline(make, iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), make())
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() > 0.7
    step = pipe.steps[-1][0]
    grid = {f"{step}__alpha": [1e-4, 1e-1]}
    if isinstance(pipe[-1], MLPBackpropClassifier):
        grid[f"{step}__hidden_layer_sizes"] = [(4,), (8,)]
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == np.prod([len(v) for v in grid.values()])
    assert search.best_score_ > 0.7


def test_alpha_shrinks_the_weights(make, iris):
    X, y = iris
    small = make(alpha=1e-4).fit(X, y)
    large = make(alpha=100.0).fit(X, y)
    norm = lambda clf: sum(float((W**2).sum()) for W in clf._network().coefs)  # noqa: E731
    assert norm(large) < norm(small)


def test_class_weight_moves_the_decision(make, iris):
    X, y = iris
    mask = y > 0
    X, y = X[mask], y[mask]
    plain = make().fit(X, y)
    heavy = make(class_weight={1: 1.0, 2: 50.0}).fit(X, y)
    assert np.mean(heavy.predict(X) == 2) > np.mean(plain.predict(X) == 2)
    balanced = make(class_weight="balanced").fit(X[:80], y[:80])
    assert balanced.score(X, y) > 0.5


def test_sample_weight_of_zero_ignores_a_sample_in_batch_training(iris):
    X, y = iris
    w = np.ones(len(y))
    w[::3] = 0
    a = AdalineClassifier(tol=None, max_iter=50).fit(X, y, sample_weight=w)
    b = AdalineClassifier(tol=None, max_iter=50).fit(X[w > 0], y[w > 0])
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=1e-10)


def test_early_stopping_keeps_the_best_weights(make, iris):
    X, y = iris
    clf = make(early_stopping=True, validation_fraction=0.2, max_iter=100).fit(X, y)
    assert len(clf.validation_scores_) == clf.n_iter_
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert clf.best_loss_ is None
    no_es = make(max_iter=100).fit(X, y)
    assert no_es.validation_scores_ is None


def test_loss_curve_is_recorded_each_epoch(make, iris):
    X, y = iris
    clf = make(max_iter=7, tol=None).fit(X, y)
    assert len(clf.loss_curve_) == clf.n_iter_ == 7 or isinstance(clf, PerceptronClassifier)
    assert all(np.isfinite(clf.loss_curve_))
    assert clf.t_ == clf.n_iter_ * len(y)


def test_convergence_warning_when_max_iter_is_reached(iris):
    X, y = iris
    with pytest.warns(ConvergenceWarning, match="max_iter=2"):
        MLPBackpropClassifier(max_iter=2, random_state=0).fit(X, y)


def test_linear_models_have_one_unit_per_class(iris):
    X, y = iris
    for cls in (AdalineClassifier, PerceptronClassifier):
        assert cls().fit(X, y).coef_.shape == (3, 4)
        binary = cls().fit(X[y < 2], y[y < 2])
        assert binary.coef_.shape == (1, 4)
        assert binary.intercept_.shape == (1,)
        assert binary.decision_function(X).shape == (len(X),)


def test_adaline_modes_all_learn(iris):
    X, y = iris
    for batch_size in [None, 1, 16]:
        for learning_rate in ["constant", "invscaling", "adaptive"]:
            clf = AdalineClassifier(
                batch_size=batch_size, learning_rate=learning_rate, random_state=0
            ).fit(X, y)
            assert clf.score(X, y) > 0.75, (batch_size, learning_rate)


@pytest.mark.parametrize("solver", ["adam", "sgd", "lbfgs"])
@pytest.mark.parametrize("output_activation", ["logistic", "softmax"])
def test_mlp_solvers_and_outputs(iris, solver, output_activation):
    X, y = iris
    clf = MLPBackpropClassifier(
        hidden_layer_sizes=(10,),
        solver=solver,
        output_activation=output_activation,
        learning_rate_init=0.1 if solver == "sgd" else 0.01,
        max_iter=300,
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.9
    assert clf.out_activation_ == output_activation
    assert clf.n_layers_ == 3
    assert clf.n_outputs_ == 3
    assert [W.shape for W in clf.coefs_] == [(4, 10), (10, 3)]


def test_mlp_softmax_binary_has_two_units(iris):
    X, y = iris
    clf = MLPBackpropClassifier(output_activation="softmax", random_state=0).fit(
        X[y < 2], y[y < 2]
    )
    assert clf.n_outputs_ == 2
    assert clf.score(X[y < 2], y[y < 2]) == 1.0


def test_mlp_multilabel():
    X, Y = make_multilabel_classification(n_samples=200, n_classes=4, random_state=0)
    X = StandardScaler().fit_transform(X)
    clf = MLPBackpropClassifier(hidden_layer_sizes=(20,), max_iter=500, random_state=0).fit(X, Y)
    pred = clf.predict(X)
    assert pred.shape == Y.shape
    np.testing.assert_array_equal(pred, (clf.predict_proba(X) > 0.5).astype(int))
    assert np.mean(pred == Y) > 0.8
    clf.partial_fit(X, Y)
    with pytest.raises(ValueError, match="1d array"):
        PerceptronClassifier().fit(X, Y)


def test_mlp_hidden_layers_and_activations(iris):
    X, y = iris
    for activation in ["logistic", "tanh", "relu", "identity"]:
        clf = MLPBackpropClassifier(
            hidden_layer_sizes=(6, 5), activation=activation, solver="lbfgs", random_state=0
        ).fit(X, y)
        assert [W.shape for W in clf.coefs_] == [(4, 6), (6, 5), (5, 3)]
        assert clf.score(X, y) > 0.9, activation


def test_mlp_partial_fit_is_not_offered_by_lbfgs():
    clf = MLPBackpropClassifier(solver="lbfgs")
    assert not hasattr(clf, "partial_fit")


def test_mlp_defaults_match_sklearn_on_digits():
    from sklearn.neural_network import MLPClassifier

    X, y = load_digits(return_X_y=True)
    X = X[:600]
    y = y[:600]
    ours = cross_val_score(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(random_state=0)), X, y, cv=3
    ).mean()
    theirs = cross_val_score(
        make_pipeline(StandardScaler(), MLPClassifier(activation="logistic", random_state=0)),
        X,
        y,
        cv=3,
    ).mean()
    assert ours > theirs - 0.03


def test_the_html_repr_links_the_estimator_page_and_documents_each_parameter(make):
    """The "?" icon links the estimator's API page, and (scikit-learn 1.7 or
    newer) each parameter's name links into it with its description."""
    import re
    from importlib.metadata import metadata

    import sklearn
    from sklearn.utils import estimator_html_repr
    from sklearn.utils.fixes import parse_version

    clf = make()
    name = type(clf).__name__
    home = dict(
        entry.split(", ", 1) for entry in metadata("skmlp").get_all("Project-URL") or []
    )["Documentation"]
    assert clf._get_doc_link() == f"{home}generated/skmlp.{name}.html"
    html = estimator_html_repr(clf)
    assert f'href="{clf._get_doc_link()}"' in html
    if parse_version(sklearn.__version__).release >= (1, 7):
        links = re.findall(r'<a class="param-doc-link".*?href="([^"]+)"', html, re.S)
        assert len(links) == len(clf.get_params())
        assert all(link.startswith(clf._get_doc_link() + "#") for link in links)
        assert "param-doc-description" in html
