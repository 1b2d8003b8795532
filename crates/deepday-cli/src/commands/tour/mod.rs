//! `deepday tour`: the course's chapters run on the bundled sample, written to one HTML
//! report with its pictures beside it.

mod knn;
mod linear;

use super::seconds;
use crate::args::TourArgs;
use crate::{plot, report::Report};
use anyhow::{Context, Result};
use deepday::data;
use std::path::Path;
use std::time::Instant;

pub fn run(args: &TourArgs) -> Result<()> {
    let start = Instant::now();
    let out = &args.out;
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let split = data::sample()?;
    let mut report = Report::new("deepday tour: Deep Learning Day on Fashion-MNIST");
    report.paragraph(&format!(
        "Every number and picture below was computed by `deepday tour` on the bundled sample: {} training \
         and {} test images of Fashion-MNIST ({} each, {} classes).",
        split.train.len(),
        split.test.len(),
        split.train.shape(),
        split.train.n_classes()
    ));
    knn::chapter_data(&split, out, &mut report)?;
    knn::chapter_knn(&split, out, &mut report)?;
    linear::chapter(&split, out, &mut report)?;

    let path = out.join("report.html");
    deepday::io::write_atomic(&path, report.html().as_bytes())?;
    println!("tour finished in {:.1} s", seconds(start));
    println!("report: {}", path.display());
    Ok(())
}

pub(crate) fn save(
    canvas: &plot::Canvas,
    path: &Path,
    report: &mut Report,
    caption: &str,
) -> Result<()> {
    canvas.save(path)?;
    report.image(&canvas.png()?, caption);
    println!("  wrote {}", path.display());
    Ok(())
}
