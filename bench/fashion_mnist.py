"""Fashion-MNIST from its four gzip IDX files, for the bench scripts."""

import gzip
import os

import numpy as np


def load_idx(path):
    """One IDX array (the magic's third byte is u8 here; the fourth gives the dimensions)."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndims = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndims).reshape(dims)


def load(directory):
    """(x_train, y_train, x_test, y_test): pixels as (n, 784) u8, labels as int64."""
    def part(name):
        return load_idx(os.path.join(directory, name))
    xtr = part("train-images-idx3-ubyte.gz").reshape(60000, -1)
    ytr = part("train-labels-idx1-ubyte.gz").astype(np.int64)
    xte = part("t10k-images-idx3-ubyte.gz").reshape(10000, -1)
    yte = part("t10k-labels-idx1-ubyte.gz").astype(np.int64)
    return xtr, ytr, xte, yte
