"""The estimators in everyday scikit-learn code: labels, pickling, clone, pipelines, searches."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_string_labels(make_estimator, iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"])[y]
    clf = make_estimator().fit(X, names)
    assert set(clf.predict(X)) <= set(names)
    np.testing.assert_array_equal(clf.classes_, np.unique(names))
    assert clf.score(X, names) > 0.7


def test_pandas_feature_names_are_kept(make_estimator, iris):
    pd = pytest.importorskip("pandas")
    X, y = iris
    df = pd.DataFrame(X, columns=["sl", "sw", "pl", "pw"])
    clf = make_estimator().fit(df, y)
    np.testing.assert_array_equal(clf.feature_names_in_, ["sl", "sw", "pl", "pw"])
    with pytest.warns(UserWarning, match="feature names"):
        clf.predict(X)


def test_pickle_round_trip_predicts_the_same_and_keeps_training(make_estimator, iris):
    X, y = iris
    clf = make_estimator().fit(X, y)
    copy = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(copy.predict_proba(X), clf.predict_proba(X))
    copy.partial_fit(X, y)
    clf.partial_fit(X, y)
    np.testing.assert_array_equal(copy.decision_function(X), clf.decision_function(X))


def test_fixed_random_state_is_deterministic(make_estimator, iris):
    X, y = iris
    a = make_estimator().fit(X, y)
    b = clone(a).fit(X, y)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    assert a.loss_curve_ == b.loss_curve_


def test_clone_of_a_fitted_model_is_unfitted_and_independent(make_any_solver, iris):
    X, y = iris
    clf = make_any_solver(max_iter=2).fit(X, y)
    twin = clone(clf)
    assert not hasattr(twin, "classes_")


def test_cross_validation_and_grid_search_in_a_pipeline(make_estimator, iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), make_estimator())
    scores = cross_val_score(pipe, X, y, cv=3)
    assert scores.mean() > 0.7
    step = pipe.steps[-1][0]
    grid = {f"{step}__alpha": [1e-4, 1e-1]}
    if isinstance(pipe[-1], MLPBackpropClassifier):
        grid[f"{step}__hidden_layer_sizes"] = [(4,), (8,)]
    search = GridSearchCV(pipe, grid, cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == np.prod([len(v) for v in grid.values()])
    assert search.best_score_ > 0.7


def test_linear_models_have_one_unit_per_class(iris):
    X, y = iris
    for cls in (AdalineClassifier, PerceptronClassifier):
        assert cls().fit(X, y).coef_.shape == (3, 4)
        binary = cls().fit(X[y < 2], y[y < 2])
        assert binary.coef_.shape == (1, 4)
        assert binary.intercept_.shape == (1,)
        assert binary.decision_function(X).shape == (len(X),)


def test_the_html_repr_links_the_estimator_page_and_documents_each_parameter(make_estimator):
    """The "?" icon links the estimator's API page, and (scikit-learn 1.7 or
    newer) each parameter's name links into it with its description."""
    import re
    from importlib.metadata import metadata

    import sklearn
    from sklearn.utils import estimator_html_repr
    from sklearn.utils.fixes import parse_version

    clf = make_estimator()
    name = type(clf).__name__
    home = dict(entry.split(", ", 1) for entry in metadata("skmlp").get_all("Project-URL") or [])[
        "Documentation"
    ]
    assert clf._get_doc_link() == f"{home}generated/skmlp.{name}.html"
    html = estimator_html_repr(clf)
    assert f'href="{clf._get_doc_link()}"' in html
    if parse_version(sklearn.__version__).release >= (1, 7):
        links = re.findall(r'<a class="param-doc-link".*?href="([^"]+)"', html, re.S)
        assert len(links) == len(clf.get_params())
        assert all(link.startswith(clf._get_doc_link() + "#") for link in links)
        assert "param-doc-description" in html
