#!/usr/bin/env bash
# Linear classifiers on the full Fashion-MNIST (60k train / 10k test): deepday's
# `train linear` with its default settings against scikit-learn's LogisticRegression,
# LinearSVC and SGDClassifier(hinge), side by side in one run. Installs what it needs: the
# data set (Debian's dataset-fashion-mnist), a Python virtual environment with
# scikit-learn, a release build.
#
#   bash bench/linear.sh               # everything (LinearSVC takes minutes)
#   bash bench/linear.sh --skip-svc    # leave out LinearSVC
set -euo pipefail
cd "$(dirname "$0")/.."

source bench/common.sh scikit-learn numpy
# OPENBLAS_CORETYPE slows current numpy builds; unset for the peers here only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE DEEPDAY_DATA="$data" \
  "$venv/bin/python" bench/linear.py --data "$data" --deepday target/release/deepday "$@"
