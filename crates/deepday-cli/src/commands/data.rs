//! `deepday data info|show|subset`.

use super::open;
use crate::plot;
use anyhow::{bail, Result};
use deepday::data::{stratified_subset, write_idx_dir, Dataset, Split};
use serde_json::json;
use std::path::Path;

pub fn info(spec: &str, as_json: bool) -> Result<()> {
    let split = open(spec)?;
    let shape = split.train.shape();
    let describe = |set: &Dataset| {
        let (lo, hi) = set.pixel_range().unwrap_or((0, 0));
        json!({ "images": set.len(), "per_class": set.class_counts(), "pixel_min": lo, "pixel_max": hi })
    };
    if as_json {
        let out = json!({
            "data": spec,
            "shape": { "channels": shape.channels, "height": shape.height, "width": shape.width },
            "classes": split.train.class_names(),
            "train": describe(&split.train),
            "test": describe(&split.test),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("data    {spec}");
    println!("shape   {} (channels x height x width)", shape);
    for (name, set) in [("train", &split.train), ("test", &split.test)] {
        let (lo, hi) = set.pixel_range().unwrap_or((0, 0));
        println!("{name:<7} {} images, pixels {lo}..{hi}", set.len());
    }
    println!("\n{:<14} {:>7} {:>7}", "class", "train", "test");
    let (train, test) = (split.train.class_counts(), split.test.class_counts());
    for (i, name) in split.train.class_names().iter().enumerate() {
        println!("{:<14} {:>7} {:>7}", name, train[i], test[i]);
    }
    Ok(())
}

pub fn show(spec: &str, out: &Path, per_class: usize, which: &str, seed: u64) -> Result<()> {
    if per_class == 0 || per_class > 100 {
        bail!("--per-class must be between 1 and 100, not {per_class}");
    }
    let split = open(spec)?;
    let set = pick(&split, which)?;
    plot::drawable(set.shape())?;
    plot::class_grid(set, per_class, seed).save(out)?;
    println!("wrote {}", out.display());
    Ok(())
}

fn pick<'a>(split: &'a Split, which: &str) -> Result<&'a Dataset> {
    match which {
        "train" => Ok(&split.train),
        "test" => Ok(&split.test),
        _ => bail!("--split must be train or test, not `{which}`"),
    }
}

pub fn subset(spec: &str, n_train: usize, n_test: usize, out: &Path, seed: u64) -> Result<()> {
    if n_train == 0 || n_test == 0 {
        bail!("--train and --test must be at least 1");
    }
    let split = open(spec)?;
    let take = |set: &Dataset, n: usize| set.select(&stratified_subset(set.labels(), n, seed));
    let subset = Split::new(take(&split.train, n_train), take(&split.test, n_test))?;
    write_idx_dir(out, &subset)?;
    println!(
        "wrote {} training and {} test images to {}",
        subset.train.len(),
        subset.test.len(),
        out.display()
    );
    Ok(())
}
