#!/usr/bin/env bash
# k-NN on the full Fashion-MNIST (60k train / 10k test): deepday against faiss and
# scikit-learn, side by side in one run. Installs what it needs: the data set (Debian's
# dataset-fashion-mnist), a Python virtual environment with the peers, a release build.
#
#   bash bench/knn.sh            # everything (scikit-learn's L1 run takes minutes)
#   bash bench/knn.sh --skip-l1  # leave out scikit-learn's L1 run
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh scikit-learn faiss-cpu numpy
# OPENBLAS_CORETYPE slows current numpy builds; unset for the peers here only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE DEEPDAY_DATA="$data" \
  "$venv/bin/python" bench/knn.py --data "$data" --deepday target/release/deepday "$@"
