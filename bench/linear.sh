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

data=${DEEPDAY_DATA:-/usr/share/datasets/fashion-mnist}
if [ ! -e "$data/train-images-idx3-ubyte.gz" ] && [ ! -e "$data/fashion-mnist/train-images-idx3-ubyte.gz" ]; then
  echo "installing dataset-fashion-mnist" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q dataset-fashion-mnist >&2; else sudo apt-get install -y -q dataset-fashion-mnist >&2; fi
  data=/usr/share/datasets/fashion-mnist
fi
[ -d "$data/fashion-mnist" ] && data="$data/fashion-mnist"

venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q --disable-pip-version-check scikit-learn numpy >&2

cargo build --release -q -p deepday-cli
# OPENBLAS_CORETYPE slows current numpy builds; unset for the peers here only.
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE DEEPDAY_DATA="$data" \
  "$venv/bin/python" bench/linear.py --data "$data" --deepday target/release/deepday "$@"
