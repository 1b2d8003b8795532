//! The command line, parsed into plain values; commands turn them into library objects.

use clap::{Args, Parser, Subcommand};
use deepday::classic::Weights;
use deepday::distance::Metric;
use std::path::PathBuf;

/// deepday: the Deep Learning Day course on real data, from one command.
#[derive(Debug, Parser)]
#[command(name = "deepday", version, about, max_term_width = 100)]
pub struct Cli {
    /// Worker threads (default: all cores).
    #[arg(long, global = true)]
    pub threads: Option<usize>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect, show and subset data sets.
    #[command(subcommand)]
    Data(DataCommand),
    /// Classify the test split with k-nearest neighbours fitted on the train split.
    Knn(KnnArgs),
    /// Choose hyper-parameters by cross-validation.
    #[command(subcommand)]
    Tune(TuneCommand),
    /// Run the course on the bundled sample and write an HTML report.
    Tour(TourArgs),
}

/// Where the data come from and how much of them to use.
#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// A data directory (IDX, CIFAR-10 binary or image folders), `sample` or `fashion-mnist`.
    #[arg(long, default_value = "sample")]
    pub data: String,
    /// Image size `HxW` for image folders (images are resized to it).
    #[arg(long, default_value = "28x28", value_parser = parse_size)]
    pub image_size: (usize, usize),
    /// Channels for image folders: 1 (grey) or 3 (RGB).
    #[arg(long, default_value_t = 1)]
    pub channels: usize,
    /// Use at most this many training images (a stratified random subset).
    #[arg(long)]
    pub train_limit: Option<usize>,
    /// Use at most this many test images (a stratified random subset).
    #[arg(long)]
    pub test_limit: Option<usize>,
    /// Seed for every random choice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Counts per split and class, image shape, pixel range.
    Info {
        /// A data directory, `sample` or `fashion-mnist`.
        data: String,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Draw a grid of sample images, one row per class.
    Show {
        /// A data directory, `sample` or `fashion-mnist`.
        data: String,
        /// The PNG file to write.
        #[arg(long)]
        out: PathBuf,
        /// Images per class.
        #[arg(long, default_value_t = 10)]
        per_class: usize,
        /// Which split to draw from: train or test.
        #[arg(long, default_value = "train")]
        split: String,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
    /// Write a balanced subset as gzip IDX files (how the bundled sample is made).
    Subset {
        /// A data directory, `sample` or `fashion-mnist`.
        data: String,
        /// Training images to keep.
        #[arg(long)]
        train: usize,
        /// Test images to keep.
        #[arg(long)]
        test: usize,
        /// Output directory.
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 0)]
        seed: u64,
    },
}

#[derive(Debug, Args)]
pub struct KnnArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Neighbours that vote.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Distance: l1, l2 or cosine.
    #[arg(long, default_value = "l2")]
    pub metric: Metric,
    /// Vote weights: uniform or distance (1/d).
    #[arg(long, default_value = "uniform")]
    pub weights: Weights,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Write the predicted label of each test image, one per line, in test order.
    #[arg(long)]
    pub save_predictions: Option<PathBuf>,
    /// Draw the nearest training images of a few test images into this PNG.
    #[arg(long)]
    pub gallery: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TuneCommand {
    /// Cross-validate k-NN over k and metrics, then test the best setting.
    Knn(TuneKnnArgs),
}

#[derive(Debug, Args)]
pub struct TuneKnnArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Number of folds.
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Values of k to try, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "1,3,5,8,10,12,15,20,50,100"
    )]
    pub k: Vec<usize>,
    /// Metrics to try, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "l1,l2")]
    pub metric: Vec<Metric>,
    /// Vote weights: uniform or distance.
    #[arg(long, default_value = "uniform")]
    pub weights: Weights,
    /// Directory for the plot (accuracy-vs-k.png) and results (cv.json).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TourArgs {
    /// Output directory for the report and its pictures.
    #[arg(long, default_value = "deepday-out/tour")]
    pub out: PathBuf,
}

fn parse_size(s: &str) -> Result<(usize, usize), String> {
    let (h, w) = s.split_once(['x', 'X']).ok_or("expected HxW, e.g. 28x28")?;
    let parse = |v: &str| {
        v.trim()
            .parse::<usize>()
            .map_err(|_| format!("`{v}` is not a size"))
    };
    let (h, w) = (parse(h)?, parse(w)?);
    if h == 0 || w == 0 || h > 4096 || w > 4096 {
        return Err("each side must be between 1 and 4096".into());
    }
    Ok((h, w))
}
