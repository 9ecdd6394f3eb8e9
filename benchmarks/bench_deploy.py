"""Prediction time of a fitted model, in Python and served by onnxruntime.

Run from the repository root (needs ``pip install -e ".[onnx]"``)::

    python benchmarks/bench_deploy.py            # about half a minute
    python benchmarks/bench_deploy.py --repeats 15

An ``MLPBackpropClassifier`` and scikit-learn's ``MLPClassifier`` (100
logistic hidden units, ``max_iter=50``, ``random_state=0``) and a
``PerceptronClassifier`` and ``Perceptron`` are fitted on the standardized
digits.  For one row (timed over 200 calls) and for 10 000 rows (the digits
repeated), the table gives the median time of one call of ``predict_proba`` (``predict`` for the
perceptrons) in Python on float64 rows, and of one ``session.run`` of each
model's ONNX graph in onnxruntime (skl2onnx, ``zipmap=False``: labels and
probabilities at once) on float32 and on float64 rows.  BLAS and
onnxruntime run on one thread.
"""

import argparse
import warnings

import numpy as np
from _harness import cpu_model, markdown_table, median_time, thread_limits

#: Calls per timing on one row (the time of one is quoted).
ONE_ROW_CALLS = 200


def _session(model, X):
    import onnxruntime as ort
    from skl2onnx import to_onnx

    options = ort.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    onx = to_onnx(model, X[:1], options={"zipmap": False})
    session = ort.InferenceSession(
        onx.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    name = session.get_inputs()[0].name

    def run(rows):
        return session.run(None, {name: rows})

    run.dtype = X.dtype
    return run


def _time(predict, rows, repeats):
    """Median seconds of one ``predict(rows)`` (one row: timed over many calls)."""
    calls = range(ONE_ROW_CALLS if len(rows) == 1 else 1)
    return median_time(lambda: [predict(rows) for _ in calls], repeats) / len(calls)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)

    import onnxruntime
    import skl2onnx
    import threadpoolctl
    from sklearn.datasets import load_digits
    from sklearn.linear_model import Perceptron
    from sklearn.neural_network import MLPClassifier
    from sklearn.preprocessing import StandardScaler

    import skmlp.onnx  # noqa: F401  (registers the converters)
    from skmlp import MLPBackpropClassifier, PerceptronClassifier

    X, y = load_digits(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    mlp = {"hidden_layer_sizes": (100,), "activation": "logistic", "max_iter": 50}
    models = [
        ("MLP", "skmlp", MLPBackpropClassifier(**mlp, random_state=0), "predict_proba"),
        ("MLP", "sklearn", MLPClassifier(**mlp, random_state=0), "predict_proba"),
        ("Perceptron", "skmlp", PerceptronClassifier(random_state=0), "predict"),
        ("Perceptron", "sklearn", Perceptron(random_state=0), "predict"),
    ]
    warnings.simplefilter("ignore")
    big = np.tile(X, (10_000 // len(X) + 1, 1))[:10_000]
    lines = []
    with thread_limits(single_thread=True):
        for kind, library, model, method in models:
            model.fit(X, y)
            python = getattr(model, method)
            served = {
                dtype: _session(model, X.astype(dtype)) for dtype in (np.float32, np.float64)
            }
            for rows in (X[:1], big):
                times = [_time(python, rows, args.repeats)]
                times += [
                    _time(run, rows.astype(run.dtype), args.repeats) for run in served.values()
                ]
                lines.append(
                    [kind, library, method, f"{len(rows):,}".replace(",", " ")]
                    + [f"{1e6 * t:,.0f}".replace(",", " ") for t in times]
                )
    blas = [
        f"{lib['internal_api']} {lib['version']} ({lib.get('architecture')})"
        for lib in threadpoolctl.threadpool_info()
        if lib["user_api"] == "blas"
    ]
    print(
        f"- {cpu_model()}; BLAS {', '.join(blas)}; onnxruntime {onnxruntime.__version__}, "
        f"skl2onnx {skl2onnx.__version__}; one thread\n"
    )
    columns = ["model", "library", "method", "rows", "Python, f64 (us)"]
    columns += ["onnxruntime, f32 (us)", "onnxruntime, f64 (us)"]
    print(markdown_table(columns, lines))


if __name__ == "__main__":
    main()
