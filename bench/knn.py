"""deepday k-NN against faiss and scikit-learn on the same CPU, in one run.

Each peer gets the raw pixel values (0..255) as float64 (scikit-learn: its distances are then
exact integers, like deepday's) or float32 (faiss). Times cover fit + predict (deepday's
`predict_seconds`: index build + search + vote, data loading excluded for everyone).
Peak memory is each process's maximum resident set size.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

import fashion_mnist


def run_deepday(binary, k, metric, weights, preds_path):
    """Runs the CLI in a child process; returns its JSON, predictions and peak RSS (MB)."""
    cmd = [binary, "knn", "--data", "fashion-mnist", "--k", str(k), "--metric", metric,
           "--weights", weights, "--json", "--save-predictions", preds_path]
    wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True);"
               "sys.stderr.write(r.stderr); print(r.stdout); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    *body, rss = out.stdout.strip().splitlines()
    result = json.loads("\n".join(body))
    preds = np.loadtxt(preds_path, dtype=np.int64)
    return result, preds, int(rss) / 1024, wall


def vote_uniform(labels, idx, n_classes):
    counts = np.zeros((idx.shape[0], n_classes), dtype=np.int64)
    for j in range(idx.shape[1]):
        np.add.at(counts, (np.arange(idx.shape[0]), labels[idx[:, j]]), 1)
    return counts.argmax(axis=1)  # smallest class among equal votes, as scikit-learn


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--deepday", required=True)
    ap.add_argument("--skip-l1", action="store_true", help="skip scikit-learn's minutes-long L1 run")
    args = ap.parse_args()

    import faiss
    import sklearn
    from sklearn.neighbors import KNeighborsClassifier
    from threadpoolctl import threadpool_info

    xtr, ytr, xte, yte = fashion_mnist.load(args.data)
    print(f"Fashion-MNIST {xtr.shape[0]} train / {xte.shape[0]} test, {xtr.shape[1]} pixels; "
          f"{os.cpu_count()} CPUs; faiss {faiss.__version__}, scikit-learn {sklearn.__version__}")
    print("BLAS:", ", ".join(f"{i['internal_api']} {i.get('architecture', '')}" for i in threadpool_info()))

    tmp = tempfile.mkdtemp()
    rows = []

    def report(name, ours, peer_name, peer_time, peer_acc, peer_mem, agree):
        res, _, mem, wall = ours
        ratio = res["predict_seconds"] / peer_time
        rows.append((name, res["accuracy"], res["predict_seconds"], wall, mem, peer_name, peer_acc, peer_time,
                     peer_mem, ratio, agree))

    def py_peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # 1. k=5 L2 uniform: faiss IndexFlatL2 + vote (and scikit-learn for agreement).
    ours = run_deepday(args.deepday, 5, "l2", "uniform", os.path.join(tmp, "l2u.txt"))
    xtr32, xte32 = xtr.astype(np.float32), xte.astype(np.float32)
    start = time.perf_counter()
    index = faiss.IndexFlatL2(xtr32.shape[1])
    index.add(xtr32)
    _, idx = index.search(xte32, 5)
    faiss_pred = vote_uniform(ytr, idx, 10)
    faiss_time = time.perf_counter() - start
    faiss_acc = float((faiss_pred == yte).mean())
    del index, xtr32, xte32
    xtr64, xte64 = xtr.astype(np.float64), xte.astype(np.float64)

    def sklearn_run(metric, weights):
        start = time.perf_counter()
        sk = KNeighborsClassifier(n_neighbors=5, algorithm="brute", metric=metric, weights=weights).fit(xtr64, ytr)
        pred = sk.predict(xte64)
        return pred, time.perf_counter() - start

    sk_pred, sk_time = sklearn_run("euclidean", "uniform")
    agree = f"{(ours[1] == sk_pred).mean():.4f}"
    report("L2 k=5 uniform", ours, "faiss", faiss_time, faiss_acc, py_peak_mb(), agree)
    report("L2 k=5 uniform", ours, "scikit-learn", sk_time, float((sk_pred == yte).mean()), py_peak_mb(), agree)

    # 2. k=5 L2 distance-weighted: scikit-learn brute.
    ours = run_deepday(args.deepday, 5, "l2", "distance", os.path.join(tmp, "l2d.txt"))
    sk_pred, sk_time = sklearn_run("euclidean", "distance")
    report("L2 k=5 distance", ours, "scikit-learn", sk_time, float((sk_pred == yte).mean()), py_peak_mb(),
           f"{(ours[1] == sk_pred).mean():.4f}")

    # 3. k=5 L1 distance-weighted: scikit-learn brute (minutes).
    ours = run_deepday(args.deepday, 5, "l1", "distance", os.path.join(tmp, "l1d.txt"))
    if args.skip_l1:
        rows.append(("L1 k=5 distance", ours[0]["accuracy"], ours[0]["predict_seconds"], ours[3], ours[2],
                     "scikit-learn (skipped)", float("nan"), float("nan"), float("nan"), float("nan"), "-"))
    else:
        sk_pred, sk_time = sklearn_run("manhattan", "distance")
        report("L1 k=5 distance", ours, "scikit-learn", sk_time, float((sk_pred == yte).mean()), py_peak_mb(),
               f"{(ours[1] == sk_pred).mean():.4f}")

    print()
    head = ("setting", "deepday acc", "deepday s", "wall s", "peak MB", "peer", "peer acc", "peer s",
            "py peak MB", "deepday/peer", "same preds")
    print("{:<17} {:>11} {:>9} {:>7} {:>7}  {:<22} {:>8} {:>8} {:>10} {:>12} {:>10}".format(*head))
    for r in rows:
        print("{:<17} {:>11.4f} {:>9.3f} {:>7.2f} {:>7.0f}  {:<22} {:>8.4f} {:>8.2f} {:>10.0f} {:>11.3f}x {:>10}".format(*r))
    print("\ndeepday/peer < 1 means deepday is faster; 'same preds' is the fraction of test images on which "
          "deepday's prediction equals scikit-learn's.")


if __name__ == "__main__":
    main()
