#!/usr/bin/env bash
# Fuzzes the IDX and CIFAR-10 readers and the model-file loader for a bounded time each
# (default 120 s).
#   bash fuzz/run.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-120}
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz
rustup toolchain list | grep -q nightly || rustup toolchain install nightly --profile minimal
# Seed corpora: a valid small IDX file (raw and gzip) and one CIFAR record.
mkdir -p corpus/idx corpus/cifar
printf '\x00\x00\x08\x03\x00\x00\x00\x02\x00\x00\x00\x02\x00\x00\x00\x02\x01\x02\x03\x04\x05\x06\x07\x08' > corpus/idx/valid
gzip -c corpus/idx/valid > corpus/idx/valid.gz
head -c 3073 /dev/zero > corpus/cifar/one-record
# Small real model files of each kind, written by the CLI.
mkdir -p corpus/model
(cd .. && cargo build --release -q -p deepday-cli)
tmp=$(mktemp -d)
../target/release/deepday train knn --train-limit 20 --test-limit 10 --k 3 --out "$tmp/knn" >/dev/null
../target/release/deepday train linear --train-limit 100 --test-limit 10 --epochs 1 --out "$tmp/linear" >/dev/null
cp "$tmp/knn/model.safetensors" corpus/model/knn
cp "$tmp/linear/model.safetensors" corpus/model/linear
rm -rf "$tmp"
for target in idx cifar model; do
  echo "fuzzing $target for ${secs}s"
  cargo +nightly fuzz run "$target" "corpus/$target" -- -max_total_time="$secs" -rss_limit_mb=2048 -max_len=65536 2>&1 \
    | grep -E '^(#[0-9]+ *DONE|Done|==|SUMMARY|INFO: -max_total_time)|panicked|ERROR' || true
done
