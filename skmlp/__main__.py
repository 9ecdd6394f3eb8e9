"""The skmlp demo: ``python -m skmlp``.

On the digits data that scikit-learn ships, the three estimators behind a
``StandardScaler``: a small grid search over ``alpha`` and the hidden units of
the MLP, and a table of cross-validated accuracy and fit time.  Both use one
cross-validation scheme, ``StratifiedKFold(n_splits=5, shuffle=True,
random_state=0)``, so the MLP's row of the table is the best candidate's
result in the grid search (the same folds would give the same scores again).
``--compare`` adds each estimator's scikit-learn counterpart to the table.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier

# argparse prints this as it stands: plain text, not the docstring's markup.
DESCRIPTION = (
    "The skmlp demo. On scikit-learn's digits data, with each estimator behind a "
    "StandardScaler: a grid search over the MLP's alpha and hidden units, then a table "
    "of cross-validated accuracy and fit time for PerceptronClassifier, AdalineClassifier "
    "and the best MLPBackpropClassifier. The grid search and the table use the same "
    "folds: stratified 5-fold cross-validation, shuffled with random_state=0."
)

STEP = "mlpbackpropclassifier"


def _counterparts():
    from sklearn.linear_model import Perceptron, RidgeClassifier
    from sklearn.neural_network import MLPClassifier

    return {
        "PerceptronClassifier": Perceptron(random_state=0),
        "AdalineClassifier": RidgeClassifier(),
        "MLPBackpropClassifier": MLPClassifier(activation="logistic", random_state=0),
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
    with warnings.catch_warnings():
        # The networks here stop at max_iter=200 epochs, as scikit-learn's do
        # by default; the scores show whether that was enough.
        warnings.simplefilter("ignore", ConvergenceWarning)
        _demo(args)


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
    print(f"digits: {X.shape[0]} samples, {X.shape[1]} features, 10 classes")
    print(f"cross-validation (grid search and table): {cv!r}\n")

    tic = time.perf_counter()
    # refit=False: only the scores are needed, and the best candidate's are
    # already its row of the table.
    search = GridSearchCV(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(max_iter=max_iter, random_state=0)),
        grid,
        cv=cv,
        refit=False,
    ).fit(X, y)
    results = search.cv_results_
    print(
        f"MLP grid search over alpha and hidden units, {scheme(cv)} "
        f"({time.perf_counter() - tic:.1f} s):"
    )
    for params, score in zip(results["params"], results["mean_test_score"]):
        alpha = params[f"{STEP}__alpha"]
        hidden = params[f"{STEP}__hidden_layer_sizes"]
        print(f"  alpha={alpha:<7g} hidden_layer_sizes={hidden!s:<7} accuracy {score:.4f}")
    best = search.best_index_
    best_params = results["params"][best]
    print(f"  best: {best_params}\n")

    models = {
        "PerceptronClassifier": PerceptronClassifier(random_state=0),
        "AdalineClassifier": AdalineClassifier(random_state=0),
        "MLPBackpropClassifier": None,  # from the grid search
    }
    rows = []
    counterparts = _counterparts() if args.compare else {}
    for name, model in models.items():
        if model is None:
            scores = np.array([results[f"split{k}_test_score"][best] for k in range(cv.n_splits)])
            rows.append((f"{name} (best above)", scores, results["mean_fit_time"][best]))
        else:
            result = cross_validate(make_pipeline(StandardScaler(), model), X, y, cv=cv)
            rows.append((name, result["test_score"], result["fit_time"].mean()))
        if name in counterparts:
            estimator = counterparts[name]
            if args.quick:
                estimator.set_params(max_iter=max_iter)
            result = cross_validate(make_pipeline(StandardScaler(), estimator), X, y, cv=cv)
            label = f"  sklearn {type(estimator).__name__}"
            rows.append((label, result["test_score"], result["fit_time"].mean()))

    print(f"Accuracy behind StandardScaler, {scheme(cv)}:")
    print(f"  {'estimator':<36} {'accuracy':>15} {'fit time':>10}")
    for label, scores, fit_time in rows:
        print(f"  {label:<36} {scores.mean():.4f} ± {scores.std():.4f} {fit_time:>8.2f} s")
    print(f"\ntotal {time.perf_counter() - tic:.1f} s")


if __name__ == "__main__":
    main()
