"""The skmlp demo: ``python -m skmlp``.

On the digits data that scikit-learn ships, the three estimators behind a
``StandardScaler``, a small grid search over ``alpha`` and the hidden units of
the MLP, and a table of 5-fold cross-validated accuracy and fit time.
``--compare`` adds each estimator's scikit-learn counterpart to the table.
"""

import argparse
import time
import warnings

from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import AdalineClassifier, MLPBackpropClassifier, PerceptronClassifier


def _counterparts():
    from sklearn.linear_model import Perceptron, RidgeClassifier
    from sklearn.neural_network import MLPClassifier

    return {
        "PerceptronClassifier": Perceptron(random_state=0),
        "AdalineClassifier": RidgeClassifier(),
        "MLPBackpropClassifier": MLPClassifier(activation="logistic", random_state=0),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m skmlp", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--compare", action="store_true", help="add scikit-learn's counterparts to the table"
    )
    args = parser.parse_args(argv)
    # The networks here stop at max_iter=200 epochs, as scikit-learn's do by
    # default; the scores show whether that was enough.
    warnings.simplefilter("ignore", ConvergenceWarning)

    X, y = load_digits(return_X_y=True)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    print(f"digits: {X.shape[0]} samples, {X.shape[1]} features, 10 classes\n")

    tic = time.perf_counter()
    search = GridSearchCV(
        make_pipeline(StandardScaler(), MLPBackpropClassifier(random_state=0)),
        {
            "mlpbackpropclassifier__alpha": [1e-4, 1e-2, 1.0],
            "mlpbackpropclassifier__hidden_layer_sizes": [(30,), (100,)],
        },
        cv=3,
    ).fit(X, y)
    print(f"MLP grid search over alpha and hidden units ({time.perf_counter() - tic:.1f} s):")
    for params, score in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
        alpha = params["mlpbackpropclassifier__alpha"]
        hidden = params["mlpbackpropclassifier__hidden_layer_sizes"]
        print(f"  alpha={alpha:<7g} hidden_layer_sizes={hidden!s:<7} accuracy {score:.4f}")
    best = search.best_params_
    print(f"  best: {best}\n")

    mlp = MLPBackpropClassifier(
        alpha=best["mlpbackpropclassifier__alpha"],
        hidden_layer_sizes=best["mlpbackpropclassifier__hidden_layer_sizes"],
        random_state=0,
    )
    models = {
        "PerceptronClassifier": PerceptronClassifier(random_state=0),
        "AdalineClassifier": AdalineClassifier(random_state=0),
        "MLPBackpropClassifier": mlp,
    }
    rows = []
    counterparts = _counterparts() if args.compare else {}
    for name, model in models.items():
        entries = [(name, model)]
        if name in counterparts:
            entries.append((f"  sklearn {type(counterparts[name]).__name__}", counterparts[name]))
        for label, estimator in entries:
            result = cross_validate(make_pipeline(StandardScaler(), estimator), X, y, cv=cv)
            rows.append(
                (
                    label,
                    result["test_score"].mean(),
                    result["test_score"].std(),
                    result["fit_time"].mean(),
                )
            )

    print("5-fold cross-validation behind StandardScaler:")
    print(f"  {'estimator':<36} {'accuracy':>15} {'fit time':>10}")
    for label, mean, std, fit_time in rows:
        print(f"  {label:<36} {mean:.4f} ± {std:.4f} {fit_time:>8.2f} s")
    print(f"\ntotal {time.perf_counter() - tic:.1f} s")


if __name__ == "__main__":
    main()
