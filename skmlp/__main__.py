"""The skmlp demo: ``python -m skmlp``.

On the digits data that scikit-learn ships, the three classifiers behind a
``StandardScaler``: a small grid search over ``alpha`` and the hidden units of
the MLP, and a table of cross-validated accuracy and fit time.  Both use one
cross-validation scheme, ``StratifiedKFold(n_splits=5, shuffle=True,
random_state=0)``, so the MLP's row of the table is the best candidate's
result in the grid search (the same folds would give the same scores again).
Then the two regressors on the diabetes data, with cross-validated R^2 on
5 shuffled folds.  ``--compare`` adds each estimator's scikit-learn
counterpart to the tables.

It says up front how long it should take, then prints a line as each grid
candidate and each estimator of the table is done.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_diabetes, load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import KFold, ParameterGrid, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from . import (
    AdalineClassifier,
    AdalineRegressor,
    MLPBackpropClassifier,
    MLPBackpropRegressor,
    PerceptronClassifier,
)

# argparse prints this as it stands: plain text, not the docstring's markup.
DESCRIPTION = (
    "The skmlp demo. On scikit-learn's digits data, with each estimator behind a "
    "StandardScaler: a grid search over the MLP's alpha and hidden units, then a table "
    "of cross-validated accuracy and fit time for PerceptronClassifier, AdalineClassifier "
    "and the best MLPBackpropClassifier. The grid search and the table use the same "
    "folds: stratified 5-fold cross-validation, shuffled with random_state=0. Then "
    "AdalineRegressor and MLPBackpropRegressor on the diabetes data: a table of "
    "cross-validated R^2 on 5 shuffled folds."
)

STEP = "mlpbackpropclassifier"

#: Seconds the demo took on a two-core machine, by (--quick, --compare):
#: printed up front as the expected duration.
EXPECTED_SECONDS = {(False, False): 15, (False, True): 25, (True, False): 5, (True, True): 5}


#: The regressors of the second table: the MLP's network as small as the data.
REGRESSOR_PARAMS = {"hidden_layer_sizes": (10,), "solver": "lbfgs", "alpha": 1.0}


def _counterparts():
    from sklearn.linear_model import Perceptron, Ridge, RidgeClassifier
    from sklearn.neural_network import MLPClassifier, MLPRegressor

    return {
        "PerceptronClassifier": Perceptron(random_state=0),
        "AdalineClassifier": RidgeClassifier(),
        "MLPBackpropClassifier": MLPClassifier(activation="logistic", random_state=0),
        "AdalineRegressor": Ridge(alpha=1.0),
        "MLPBackpropRegressor": MLPRegressor(
            activation="logistic", random_state=0, **REGRESSOR_PARAMS
        ),
    }


def scheme(cv):
    """A short name of the cross-validation scheme, used in every heading."""
    shuffled = f", shuffled with random_state={cv.random_state}" if cv.shuffle else ""
    return f"stratified {cv.n_splits}-fold cross-validation{shuffled}"


def _parser():
    parser = argparse.ArgumentParser(prog="python -m skmlp", description=DESCRIPTION)
    parser.add_argument(
        "--compare", action="store_true", help="add scikit-learn's counterparts to the table"
    )
    # A small, fast run for the tests: fewer candidates, fewer epochs.
    parser.add_argument("--quick", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    # The networks here are small: BLAS threads cost more than they save (on
    # a busy two-core machine they made the demo three times slower).
    with warnings.catch_warnings(), threadpool_limits(limits=1, user_api="blas"):
        # The networks here stop at max_iter=200 epochs, as scikit-learn's do
        # by default; the scores show whether that was enough.
        warnings.simplefilter("ignore", ConvergenceWarning)
        _demo(args)


def _say(text=""):
    """Print a line at once, also when the output goes to a pipe or a file."""
    print(text, flush=True)


def _demo(args):
    X, y = load_digits(return_X_y=True)
    # One scheme for the grid search and for the table: the same folds.
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    if args.quick:
        max_iter = 30
        grid = {f"{STEP}__alpha": [1e-4, 1.0], f"{STEP}__hidden_layer_sizes": [(30,)]}
    else:
        max_iter = 200
        # 4 candidates x 5 folds: about the fits of the former 3-fold search
        # of 6 candidates plus a separate 5-fold run of the best.
        grid = {f"{STEP}__alpha": [1e-4, 1.0], f"{STEP}__hidden_layer_sizes": [(30,), (100,)]}
    candidates = list(ParameterGrid(grid))
    n_fits = len(candidates) * cv.n_splits
    _say(f"digits: {X.shape[0]} samples, {X.shape[1]} features, 10 classes")
    _say(f"cross-validation (grid search and table): {cv!r}")
    seconds = EXPECTED_SECONDS[args.quick, args.compare]
    _say(
        f"expected duration: about {seconds} s on a two-core machine "
        "(a line appears as each step is done)"
    )
    _say()

    tic = time.perf_counter()
    _say(
        f"MLP grid search over alpha and hidden units, {scheme(cv)} "
        f"({len(candidates)} candidates, {n_fits} fits):"
    )
    best = _grid_search(X, y, cv, candidates, max_iter)
    _say(f"  best: {candidates[best[0]]} ({time.perf_counter() - tic:.1f} s)\n")
    _table(X, y, cv, best[1], args, max_iter)
    _regression_table(args)
    _say(f"\ntotal {time.perf_counter() - tic:.1f} s")


def _grid_search(X, y, cv, candidates, max_iter):
    """``(index, cross_validate result)`` of the best candidate.

    One candidate at a time, so that each prints its line when it is done:
    what ``GridSearchCV(pipeline, grid, cv=cv)`` computes.
    """
    pipeline = make_pipeline(
        StandardScaler(), MLPBackpropClassifier(max_iter=max_iter, random_state=0)
    )
    results = []
    for params in candidates:
        start = time.perf_counter()
        result = cross_validate(pipeline.set_params(**params), X, y, cv=cv)
        results.append(result)
        alpha = params[f"{STEP}__alpha"]
        hidden = params[f"{STEP}__hidden_layer_sizes"]
        _say(
            f"  alpha={alpha:<7g} hidden_layer_sizes={hidden!s:<7} "
            f"{time.perf_counter() - start:5.1f} s  "
            f"accuracy {result['test_score'].mean():.4f}"
        )
    # The first of the best, as GridSearchCV's best_index_.
    best = int(np.argmax([result["test_score"].mean() for result in results]))
    return best, results[best]


def _table(X, y, cv, best, args, max_iter):
    """The accuracy table: the three classifiers (the MLP as ``best``, the grid
    search's result), each beside its scikit-learn counterpart with ``--compare``."""
    models = {
        "PerceptronClassifier": PerceptronClassifier(random_state=0),
        "AdalineClassifier": AdalineClassifier(random_state=0),
        "MLPBackpropClassifier": best,  # from the grid search
    }
    _say(f"Accuracy behind StandardScaler, {scheme(cv)}:")
    _rows(models, X, y, cv, args, max_iter, "accuracy")


def _regression_table(args):
    """The R^2 table of the regressors on the diabetes data (``y`` scaled to
    unit variance, which R^2 does not see and the network trains better on)."""
    X, y = load_diabetes(return_X_y=True)
    y = y / y.std()
    cv = KFold(n_splits=5, shuffle=True, random_state=0)
    models = {
        "AdalineRegressor": AdalineRegressor(alpha=1.0),
        "MLPBackpropRegressor": MLPBackpropRegressor(random_state=0, **REGRESSOR_PARAMS),
    }
    _say(f"\ndiabetes: {X.shape[0]} samples, {X.shape[1]} features, one target")
    _say("R^2 behind StandardScaler, 5-fold cross-validation, shuffled with random_state=0:")
    # Small enough to train in full in the quick mode too.
    _rows(models, X, y, cv, args, None, "R^2")


def _rows(models, X, y, cv, args, max_iter, score):
    """A row per model (a model, or the ``cross_validate`` result of one), each
    followed by its scikit-learn counterpart's with ``--compare`` (limited to
    ``max_iter`` epochs in the quick mode, unless None)."""
    counterparts = _counterparts() if args.compare else {}
    _say(f"  {'estimator':<36} {score:>15} {'fit time':>10}")

    def row(label, scores, fit_time):
        _say(f"  {label:<36} {scores.mean():.4f} ± {scores.std():.4f} {fit_time:>8.2f} s")

    for name, model in models.items():
        if isinstance(model, dict):
            result = model
            row(f"{name} (best above)", result["test_score"], result["fit_time"].mean())
        else:
            result = cross_validate(make_pipeline(StandardScaler(), model), X, y, cv=cv)
            row(name, result["test_score"], result["fit_time"].mean())
        if name in counterparts:
            estimator = counterparts[name]
            if args.quick and max_iter is not None:
                estimator.set_params(max_iter=max_iter)
            result = cross_validate(make_pipeline(StandardScaler(), estimator), X, y, cv=cv)
            label = f"  sklearn {type(estimator).__name__}"
            row(label, result["test_score"], result["fit_time"].mean())


if __name__ == "__main__":
    main()
