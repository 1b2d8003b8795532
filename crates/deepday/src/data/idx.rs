//! The IDX format of MNIST and Fashion-MNIST: a 4-byte magic (`0, 0, type, ndims`), `ndims`
//! big-endian `u32` sizes, then the values. Only unsigned bytes (type `0x08`) are images or
//! labels, so only they are read. Files may be gzip-compressed.
//!
//! Every size in the header is checked against the bytes that are really there before
//! anything is allocated for it.

use super::{read_class_names, Dataset, ImageShape, Split};
use crate::{io::write_atomic, Error, Result};
use flate2::{write::GzEncoder, Compression};
use ndarray::Array2;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Fashion-MNIST's class names, by label.
pub const FASHION_MNIST_CLASSES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// Largest payload an IDX file may declare (1 GiB): far above MNIST's 47 MB, far below what
/// a corrupt header could ask for.
pub const MAX_IDX_BYTES: u64 = 1 << 30;

/// deflate cannot compress better than about 1032:1, so a gzip file of `m` bytes holds at
/// most this many times `m` bytes.
const MAX_DEFLATE_RATIO: u64 = 1032;

/// An IDX array of unsigned bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxArray {
    pub dims: Vec<usize>,
    pub data: Vec<u8>,
}

/// Parses an IDX file's bytes, gzip or raw; `path` names the file in errors.
pub fn parse_idx(path: &Path, raw: &[u8]) -> Result<IdxArray> {
    let gzip = raw.starts_with(&[0x1f, 0x8b]);
    if !gzip && path.extension().is_some_and(|e| e == "gz") {
        return Err(Error::format(path, "named .gz but is not a gzip file"));
    }
    let mut reader: Box<dyn Read + '_> = if gzip {
        Box::new(flate2::read::GzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let read_err = |e: std::io::Error| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            Error::format(path, "truncated: the file ends inside the IDX header")
        } else {
            Error::format(path, format!("corrupt gzip stream: {e}"))
        }
    };

    let mut magic = [0u8; 4];
    reader.read_exact(&mut magic).map_err(read_err)?;
    if magic[0] != 0 || magic[1] != 0 {
        return Err(Error::format(
            path,
            format!("wrong magic number {magic:02x?}: not an IDX file"),
        ));
    }
    if magic[2] != 0x08 {
        return Err(Error::format(
            path,
            format!(
                "IDX value type 0x{:02x} is not supported (only unsigned bytes, 0x08)",
                magic[2]
            ),
        ));
    }
    let ndims = magic[3] as usize;
    if ndims == 0 || ndims > 4 {
        return Err(Error::format(
            path,
            format!("IDX file with {ndims} dimensions (1 to 4 expected)"),
        ));
    }
    let mut dims = Vec::with_capacity(ndims);
    let mut total: u64 = 1;
    for _ in 0..ndims {
        let mut b = [0u8; 4];
        reader.read_exact(&mut b).map_err(read_err)?;
        let d = u32::from_be_bytes(b) as u64;
        total = total.saturating_mul(d);
        dims.push(d as usize);
    }
    // Zero-sized arrays count too: with one dimension 0, the others must still be sane, or
    // any product of them taken later could overflow.
    let nonzero = dims
        .iter()
        .filter(|&&d| d > 0)
        .fold(1u64, |a, &d| a.saturating_mul(d as u64));
    if total > MAX_IDX_BYTES || nonzero > MAX_IDX_BYTES {
        return Err(Error::format(
            path,
            format!(
                "header declares {dims:?} = {total} values, more than the {MAX_IDX_BYTES} allowed"
            ),
        ));
    }
    let header = 4 + 4 * ndims as u64;
    let available = if gzip {
        (raw.len() as u64).saturating_mul(MAX_DEFLATE_RATIO)
    } else {
        raw.len() as u64 - header
    };
    if total > available {
        return Err(Error::format(
            path,
            format!(
                "truncated: header declares {dims:?} = {total} values but the file holds fewer"
            ),
        ));
    }

    let mut data = Vec::with_capacity(total.min(raw.len() as u64 * 8) as usize);
    reader
        .take(total + 1)
        .read_to_end(&mut data)
        .map_err(read_err)?;
    if (data.len() as u64) < total {
        return Err(Error::format(
            path,
            format!(
                "truncated: header declares {total} values but the file holds {}",
                data.len()
            ),
        ));
    }
    if data.len() as u64 > total {
        return Err(Error::format(
            path,
            format!("trailing bytes after the {total} values the header declares {dims:?}"),
        ));
    }
    Ok(IdxArray { dims, data })
}

fn read_idx(path: &Path) -> Result<IdxArray> {
    let raw = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    parse_idx(path, &raw)
}

/// The file `stem` or `stem.gz` in `dir`, whichever exists (raw first).
pub(super) fn find(dir: &Path, stem: &str) -> Option<PathBuf> {
    [stem.to_string(), format!("{stem}.gz")]
        .into_iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

fn require(dir: &Path, stem: &str) -> Result<PathBuf> {
    find(dir, stem).ok_or_else(|| {
        Error::format(
            dir.join(stem),
            "missing (neither it nor its .gz is in the directory)",
        )
    })
}

/// Loads `train-*` and `t10k-*` IDX images and labels from `dir`.
///
/// Class names come from `classes.txt` (one per line) when present, else MNIST's digits when
/// the path names plain MNIST, else Fashion-MNIST's names.
pub fn load_idx_dir(dir: &Path) -> Result<Split> {
    let names = class_names(dir)?;
    let train = load_pair(dir, "train", &names)?;
    let test = load_pair(dir, "t10k", &names)?;
    Split::new(train, test).map_err(|e| Error::format(dir, e.to_string()))
}

/// Loads one images/labels pair from files already in memory (used for the bundled sample).
pub(super) fn dataset_from_bytes(
    images_path: &Path,
    images: &[u8],
    labels_path: &Path,
    labels: &[u8],
    names: &[String],
) -> Result<Dataset> {
    let images = (images_path, parse_idx(images_path, images)?);
    let labels = (labels_path, parse_idx(labels_path, labels)?);
    to_dataset(images, labels, names)
}

fn load_pair(dir: &Path, prefix: &str, names: &[String]) -> Result<Dataset> {
    let images_path = require(dir, &format!("{prefix}-images-idx3-ubyte"))?;
    let labels_path = require(dir, &format!("{prefix}-labels-idx1-ubyte"))?;
    let images = read_idx(&images_path)?;
    let labels = read_idx(&labels_path)?;
    to_dataset((&images_path, images), (&labels_path, labels), names)
}

fn to_dataset(
    (images_path, images): (&Path, IdxArray),
    (labels_path, labels): (&Path, IdxArray),
    names: &[String],
) -> Result<Dataset> {
    let [n, h, w] = images.dims[..] else {
        return Err(Error::format(
            images_path,
            format!(
                "images must have 3 dimensions (n, height, width), found {:?}",
                images.dims
            ),
        ));
    };
    if labels.dims.len() != 1 {
        return Err(Error::format(
            labels_path,
            format!("labels must have 1 dimension, found {:?}", labels.dims),
        ));
    }
    if labels.dims[0] != n {
        return Err(Error::format(
            labels_path,
            format!(
                "{} labels for the {n} images of {}",
                labels.dims[0],
                images_path.display()
            ),
        ));
    }
    if n == 0 || h == 0 || w == 0 {
        return Err(Error::format(
            images_path,
            format!("empty data set: dimensions {:?}", images.dims),
        ));
    }
    if let Some(pos) = labels.data.iter().position(|&l| l as usize >= names.len()) {
        return Err(Error::format(
            labels_path,
            format!(
                "label {} at index {pos} is outside the {} classes",
                labels.data[pos],
                names.len()
            ),
        ));
    }
    let pixels = Array2::from_shape_vec((n, h * w), images.data).expect("sizes checked above");
    let shape = ImageShape {
        channels: 1,
        height: h,
        width: w,
    };
    let labels = labels.data.iter().map(|&l| l as usize).collect();
    Dataset::new(pixels, labels, shape, names.to_vec())
}

fn class_names(dir: &Path) -> Result<Vec<String>> {
    let listed = dir.join("classes.txt");
    if listed.is_file() {
        return read_class_names(&listed);
    }
    let path = dir.to_string_lossy().to_lowercase();
    if path.contains("mnist") && !path.contains("fashion") {
        return Ok((0..10).map(|d| d.to_string()).collect());
    }
    Ok(FASHION_MNIST_CLASSES
        .iter()
        .map(|s| s.to_string())
        .collect())
}

fn encode_idx(dims: &[usize], data: &[u8]) -> Vec<u8> {
    let mut out = vec![0, 0, 0x08, dims.len() as u8];
    for &d in dims {
        out.extend_from_slice(&(d as u32).to_be_bytes());
    }
    out.extend_from_slice(data);
    out
}

fn write_gz(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)
        .and_then(|_| enc.finish())
        .map_err(|e| Error::io(path, e))
        .and_then(|gz| write_atomic(path, &gz))
}

/// Writes a single-channel split as gzip IDX files plus `classes.txt`, the layout
/// [`load_idx_dir`] reads.
pub fn write_idx_dir(dir: &Path, split: &Split) -> Result<()> {
    let shape = split.train.shape();
    if shape.channels != 1 {
        return Err(Error::Data(format!(
            "IDX holds grey images; these have {} channels",
            shape.channels
        )));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    for (prefix, set) in [("train", &split.train), ("t10k", &split.test)] {
        let dims = [set.len(), shape.height, shape.width];
        let pixels = set.pixels();
        let data = pixels.as_slice().expect("datasets are stored row-major");
        write_gz(
            &dir.join(format!("{prefix}-images-idx3-ubyte.gz")),
            &encode_idx(&dims, data),
        )?;
        let labels: Vec<u8> = set.labels().iter().map(|&l| l as u8).collect();
        write_gz(
            &dir.join(format!("{prefix}-labels-idx1-ubyte.gz")),
            &encode_idx(&[set.len()], &labels),
        )?;
    }
    let names = split.train.class_names().join("\n") + "\n";
    write_atomic(&dir.join("classes.txt"), names.as_bytes())
}
