//! Image folders: `train/<class>/*.png|jpg|...` and `test/<class>/*`. Each image is decoded
//! by the `image` crate, resized to an explicit size and converted to an explicit number of
//! channels, so that every row of the data set has the same length.

use super::{Dataset, ImageShape, Split};
use crate::{Error, Result};
use image::imageops::FilterType;
use ndarray::Array2;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// The size and channels every image is converted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FolderOptions {
    pub height: usize,
    pub width: usize,
    /// 1 (grey) or 3 (RGB).
    pub channels: usize,
}

impl Default for FolderOptions {
    fn default() -> Self {
        FolderOptions {
            height: 28,
            width: 28,
            channels: 1,
        }
    }
}

const EXTENSIONS: [&str; 6] = ["png", "jpg", "jpeg", "bmp", "gif", "pgm"];

/// Loads `dir/train/<class>/*` and `dir/test/<class>/*`. Classes are the training
/// subdirectories in name order; a test class that training lacks is an error.
pub fn load_folder(dir: &Path, opts: &FolderOptions) -> Result<Split> {
    if !(opts.channels == 1 || opts.channels == 3) {
        return Err(Error::config(
            "channels",
            format!("{} (1 or 3 expected)", opts.channels),
        ));
    }
    if opts.height == 0 || opts.width == 0 || opts.height * opts.width > 4096 * 4096 {
        return Err(Error::config(
            "image size",
            format!("{}x{}", opts.height, opts.width),
        ));
    }
    let train_dir = dir.join("train");
    let names = subdirs(&train_dir)?;
    if names.is_empty() {
        return Err(Error::format(&train_dir, "holds no class subdirectories"));
    }
    let train = load_set(&train_dir, &names, opts)?;
    let test_dir = dir.join("test");
    for name in subdirs(&test_dir)? {
        if !names.contains(&name) {
            return Err(Error::format(
                test_dir.join(&name),
                "class is not among the training classes",
            ));
        }
    }
    let test = load_set(&test_dir, &names, opts)?;
    Split::new(train, test)
}

fn subdirs(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        if entry.path().is_dir() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

fn load_set(dir: &Path, names: &[String], opts: &FolderOptions) -> Result<Dataset> {
    let mut files: Vec<(PathBuf, usize)> = Vec::new();
    for (label, name) in names.iter().enumerate() {
        let class_dir = dir.join(name);
        if !class_dir.is_dir() {
            continue;
        }
        let mut paths = Vec::new();
        for entry in std::fs::read_dir(&class_dir).map_err(|e| Error::io(&class_dir, e))? {
            let path = entry.map_err(|e| Error::io(&class_dir, e))?.path();
            let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
            if path.is_file() && ext.is_some_and(|e| EXTENSIONS.contains(&e.as_str())) {
                paths.push(path);
            }
        }
        paths.sort();
        files.extend(paths.into_iter().map(|p| (p, label)));
    }
    if files.is_empty() {
        return Err(Error::format(
            dir,
            "holds no images (png, jpg, jpeg, bmp, gif, pgm)",
        ));
    }
    let shape = ImageShape {
        channels: opts.channels,
        height: opts.height,
        width: opts.width,
    };
    let rows: Vec<Vec<u8>> = files
        .par_iter()
        .map(|(path, _)| load_image(path, shape))
        .collect::<Result<_>>()?;
    let pixels =
        Array2::from_shape_vec((rows.len(), shape.len()), rows.concat()).expect("same size rows");
    let labels = files.iter().map(|&(_, l)| l).collect();
    Dataset::new(pixels, labels, shape, names.to_vec())
}

/// Decodes one image file into a CHW row of `shape`.
pub fn load_image(path: &Path, shape: ImageShape) -> Result<Vec<u8>> {
    let img = image::ImageReader::open(path)
        .map_err(|e| Error::io(path, e))?
        .with_guessed_format()
        .map_err(|e| Error::io(path, e))?
        .decode()
        .map_err(|e| Error::format(path, format!("cannot decode image: {e}")))?;
    let (w, h) = (shape.width as u32, shape.height as u32);
    let img = img.resize_exact(w, h, FilterType::Triangle);
    Ok(match shape.channels {
        1 => img.to_luma8().into_raw(),
        _ => {
            let rgb = img.to_rgb8();
            let plane = shape.height * shape.width;
            let mut chw = vec![0u8; 3 * plane];
            for (i, px) in rgb.pixels().enumerate() {
                for c in 0..3 {
                    chw[c * plane + i] = px[c];
                }
            }
            chw
        }
    })
}
