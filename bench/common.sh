# Shared set-up for the bench scripts (sourced, not run): finds or installs Fashion-MNIST
# (Debian's dataset-fashion-mnist) into $data, makes the Python virtual environment
# bench/.venv with the packages given as arguments, and builds deepday in release mode.
#
#   source bench/common.sh scikit-learn numpy

data=${DEEPDAY_DATA:-/usr/share/datasets/fashion-mnist}
if [ ! -e "$data/train-images-idx3-ubyte.gz" ] && [ ! -e "$data/fashion-mnist/train-images-idx3-ubyte.gz" ]; then
  echo "installing dataset-fashion-mnist" >&2
  if [ "$(id -u)" = 0 ]; then apt-get install -y -q dataset-fashion-mnist >&2; else sudo apt-get install -y -q dataset-fashion-mnist >&2; fi
  data=/usr/share/datasets/fashion-mnist
fi
[ -d "$data/fashion-mnist" ] && data="$data/fashion-mnist"

venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then python3 -m venv "$venv"; fi
"$venv/bin/pip" install -q --disable-pip-version-check "$@" >&2

cargo build --release -q -p deepday-cli
