"""Input layouts and dtypes: Fortran, strided, DataFrame, CSR (canonical or not), float32."""

import numpy as np
import pytest
from _state import assert_same_state
from scipy import sparse

from skmlp import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_float32_stays_float32(make_estimator, iris):
    X, y = iris
    clf = make_estimator().fit(X.astype(np.float32), y)
    for p in clf._network().params:
        assert p.dtype == np.float32
    assert clf.predict_proba(X.astype(np.float32)).dtype == np.float32
    assert clf.decision_function(X.astype(np.float32)).dtype == np.float32
    assert clf.score(X, y) > 0.7


def test_sparse_input_gives_the_dense_model(make_estimator, iris):
    X, y = iris
    dense = make_estimator(shuffle=False).fit(X, y)
    sp = make_estimator(shuffle=False).fit(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sp.decision_function(X), dense.decision_function(X), rtol=1e-10)
    np.testing.assert_allclose(
        sp.predict_proba(sparse.csr_matrix(X)), dense.predict_proba(X), rtol=1e-10
    )


def _non_canonical(D, parts, seed):
    """``D`` (CSR) with each entry stored as ``parts`` duplicates that sum to
    it, and each row's column indices in a random order."""
    rng = np.random.default_rng(seed)
    indices, data = [], []
    for i in range(D.shape[0]):
        row = slice(D.indptr[i], D.indptr[i + 1])
        order = rng.permutation((D.indptr[i + 1] - D.indptr[i]) * parts)
        indices.append(np.repeat(D.indices[row], parts)[order])
        data.append(np.repeat(D.data[row] / parts, parts)[order])
    indptr = np.concatenate([[0], np.cumsum([len(c) for c in indices])])
    out = sparse.csr_matrix((np.concatenate(data), np.concatenate(indices), indptr), D.shape)
    assert not out.has_canonical_format
    return out


NON_CANONICAL_CASES = {
    "adaline-sgd-auto": lambda: AdalineClassifier(batch_size=1, random_state=0),
    "adaline-minibatch-auto": lambda: AdalineClassifier(batch_size=16, random_state=0),
    "adaline-full-auto": lambda: AdalineClassifier(random_state=0),
    "perceptron": lambda: PerceptronClassifier(random_state=0),
    "mlp": lambda: MLPBackpropClassifier(hidden_layer_sizes=(5,), max_iter=20, random_state=0),
}


@pytest.mark.parametrize("parts", [1, 2, 10])
@pytest.mark.parametrize("case", list(NON_CANONICAL_CASES))
def test_non_canonical_csr_fits_like_its_dense_form(iris, case, parts):
    """Duplicate entries (read as their sum) and unsorted indices fit exactly
    as the matrix they stand for, and the input is left as it was."""
    X, y = iris
    D = _non_canonical(sparse.csr_matrix(X), parts, seed=parts)
    given = D.copy()
    clf = NON_CANONICAL_CASES[case]().fit(D, y)
    same = NON_CANONICAL_CASES[case]().fit(sparse.csr_matrix(D.toarray()), y)
    assert_same_state(clf, same)
    dense = NON_CANONICAL_CASES[case]().fit(D.toarray(), y)
    if hasattr(dense, "eta_"):
        assert clf.eta_ == pytest.approx(dense.eta_, rel=1e-12)
    np.testing.assert_allclose(clf.predict_proba(D), dense.predict_proba(X), atol=1e-10)
    clf.partial_fit(D, y)
    same.partial_fit(sparse.csr_matrix(D.toarray()), y)
    assert_same_state(clf, same)
    for name in ("data", "indices", "indptr"):
        np.testing.assert_array_equal(getattr(D, name), getattr(given, name))
    assert not D.has_canonical_format


def _captured_training_X(monkeypatch, estimator, X, y):
    from skmlp._source import MemorySource

    seen = []
    original = MemorySource.rows

    def spy(self, data, indices):
        seen.append(data.X)
        return original(self, data, indices)

    monkeypatch.setattr(MemorySource, "rows", spy)
    estimator.fit(X, y)
    return seen[0]


@pytest.mark.parametrize("layout", ["fortran", "dataframe-by-column", "strided"])
def test_training_sees_c_ordered_data(make_any_solver, iris, layout, monkeypatch):
    X, y = iris
    if layout == "fortran":
        given = np.asfortranarray(X)
    elif layout == "strided":
        wide = np.repeat(X, 2, axis=1)
        given = wide[:, ::2]
    else:
        pd = pytest.importorskip("pandas")
        given = pd.DataFrame({f"f{j}": X[:, j] for j in range(X.shape[1])})
    seen = _captured_training_X(monkeypatch, make_any_solver(max_iter=2), given, y)
    assert seen.flags.c_contiguous
    reference = make_any_solver(max_iter=2).fit(np.ascontiguousarray(X), y)
    ours = make_any_solver(max_iter=2).fit(given, y)
    for a, b in zip(ours._network().params, reference._network().params):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("cls", [PerceptronClassifier, AdalineClassifier])
def test_csr_input_takes_the_per_sample_kernel(iris, cls, monkeypatch):
    X, y = iris
    params = dict(batch_size=1, max_iter=3, tol=None, shuffle=False)
    if cls is AdalineClassifier:
        params["eta0"] = 0.01
    dense = cls(**params).fit(X, y)

    def no_batches(*args, **kwargs):
        raise AssertionError("the per-sample rule gathered mini-batches")

    from skmlp._core.rows import ArrayRows

    monkeypatch.setattr(ArrayRows, "batches", no_batches)
    sp = cls(**params).fit(sparse.csr_matrix(X), y)
    np.testing.assert_allclose(sp.coef_, dense.coef_, rtol=1e-10, atol=1e-12)
