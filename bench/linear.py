"""deepday's linear classifiers against scikit-learn's on the same CPU, in one run.

scikit-learn's models get the pixels scaled to [0, 1] (float64) and run with their default
settings; their time is `fit` alone (data already loaded and scaled). deepday's time is the
whole `deepday train linear` process, wall clock: loading the gzip files, preprocessing,
training, testing and writing the model and pictures. The ratio deepday / LogisticRegression
is the issue's target (at most 0.2).
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

import fashion_mnist


def run_deepday(binary, extra):
    with tempfile.TemporaryDirectory() as out:
        cmd = [binary, "train", "linear", "--data", "fashion-mnist", "--json", "--out", out, *extra]
        start = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True)
        wall = time.perf_counter() - start
    if r.returncode != 0:
        sys.exit(f"deepday failed: {r.stderr}")
    return json.loads(r.stdout), wall


def fit_sklearn(model, x, y, xt, yt):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning at default max_iter
        start = time.perf_counter()
        model.fit(x, y)
        seconds = time.perf_counter() - start
    return seconds, float((model.predict(xt) == yt).mean())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--deepday", required=True)
    ap.add_argument("--skip-svc", action="store_true", help="skip LinearSVC (minutes)")
    args = ap.parse_args()

    import sklearn
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.svm import LinearSVC

    x, y, xt, yt = fashion_mnist.load(args.data)
    x, xt = x / 255.0, xt / 255.0
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}; 60000 train / 10000 test\n")

    rows = []
    lr_s, lr_acc = fit_sklearn(LogisticRegression(), x, y, xt, yt)
    rows.append(("sklearn LogisticRegression()", lr_s, lr_acc))
    print(f"LogisticRegression fit {lr_s:.2f} s, test accuracy {lr_acc:.4f}", flush=True)
    s, a = fit_sklearn(SGDClassifier(loss="hinge"), x, y, xt, yt)
    rows.append(('sklearn SGDClassifier(loss="hinge")', s, a))
    print(f"SGDClassifier(hinge) fit {s:.2f} s, test accuracy {a:.4f}", flush=True)
    if not args.skip_svc:
        s, a = fit_sklearn(LinearSVC(), x, y, xt, yt)
        rows.append(("sklearn LinearSVC()", s, a))
        print(f"LinearSVC fit {s:.2f} s, test accuracy {a:.4f}", flush=True)

    targets = {"softmax": 0.845, "svm": 0.835}
    runs = [("softmax", []), ("svm", []), ("random search (softmax)", ["--optimizer", "random-search"]),
            ("random local search (softmax)", ["--optimizer", "random-local-search"])]
    verdicts = []
    for name, extra in runs:
        loss = ["--loss", name] if name in targets else []
        result, wall = run_deepday(args.deepday, loss + extra)
        acc = result["test_accuracy"]
        rows.append((f"deepday train linear {' '.join(loss + extra)}".strip(), wall, acc))
        print(f"deepday {name}: {wall:.2f} s (train {result['train_seconds']:.2f} s), test accuracy {acc:.4f}", flush=True)
        if name in targets:
            ratio = wall / lr_s
            ok = acc >= targets[name] and ratio <= 0.2
            verdicts.append(f"{name}: accuracy {acc:.4f} (target >= {targets[name]}), "
                            f"time {wall:.2f} s = {ratio:.3f}x LogisticRegression's fit (target <= 0.2): "
                            f"{'met' if ok else 'NOT met'}")

    print("\n| run | seconds | test accuracy | seconds / LogisticRegression |")
    print("|---|---|---|---|")
    for name, s, a in rows:
        print(f"| {name} | {s:.2f} | {a:.4f} | {s / lr_s:.3f} |")
    print()
    for v in verdicts:
        print(v)


if __name__ == "__main__":
    main()
