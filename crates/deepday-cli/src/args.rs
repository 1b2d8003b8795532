//! The command line, parsed into plain values; commands turn them into library objects.

use clap::{Args, Parser, Subcommand};
use deepday::classic::Weights;
use deepday::distance::Metric;
use deepday::loss::Loss;
use deepday::preprocess::Preprocess;
use deepday::train::Strategy;
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
    /// Train a classifier on the train split, test it, save it with its pictures.
    #[command(subcommand)]
    Train(TrainCommand),
    /// Choose hyper-parameters on held-out data, then test the best setting.
    #[command(subcommand)]
    Tune(TuneCommand),
    /// Test a saved model on a data set's test split.
    Eval(EvalArgs),
    /// Classify image files with a saved model.
    Predict(PredictArgs),
    /// Check every analytic gradient against a numerical one.
    Gradcheck(GradcheckArgs),
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

/// k-NN's hyper-parameters.
#[derive(Debug, Clone, Copy, Args)]
pub struct KnnSettings {
    /// Neighbours that vote.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Distance: l1, l2 or cosine.
    #[arg(long, default_value = "l2")]
    pub metric: Metric,
    /// Vote weights: uniform or distance (1/d).
    #[arg(long, default_value = "uniform")]
    pub weights: Weights,
}

impl KnnSettings {
    pub fn config(self) -> deepday::classic::KnnConfig {
        deepday::classic::KnnConfig {
            k: self.k,
            metric: self.metric,
            weights: self.weights,
        }
    }
}

#[derive(Debug, Args)]
pub struct KnnArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub knn: KnnSettings,
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
    /// Grid-search a linear classifier's learning rate and regularisation on a validation
    /// split, then retrain the best setting and test it.
    Linear(TuneLinearArgs),
}

#[derive(Debug, Subcommand)]
pub enum TrainCommand {
    /// A linear classifier (SVM or softmax) by random search or gradient descent.
    Linear(TrainLinearArgs),
    /// k-nearest neighbours: stores the training images in the model file.
    Knn(TrainKnnArgs),
}

/// How a linear classifier is trained (all but the learning rate and regularisation).
#[derive(Debug, Clone, Args)]
pub struct TrainingArgs {
    /// Loss: svm (multiclass hinge) or softmax (cross-entropy).
    #[arg(long, default_value = "softmax")]
    pub loss: Loss,
    /// sgd, momentum, nesterov, rmsprop, adam, random-search or random-local-search.
    #[arg(long, default_value = "adam")]
    pub optimizer: Strategy,
    /// Passes over the training set.
    #[arg(long, default_value_t = 15)]
    pub epochs: usize,
    /// Images per step, or `full` for full-batch gradient descent.
    #[arg(long, default_value = "200", value_parser = parse_batch)]
    pub batch_size: usize,
    /// Learning-rate schedule: cosine, constant, or step (halved every 5 epochs).
    #[arg(long, default_value = "cosine", value_parser = ["cosine", "constant", "step"])]
    pub schedule: String,
    /// Fraction of the training images held out for per-epoch validation accuracy, keeping
    /// the best epoch and early stopping (0: train on all and keep the last epoch; `tune`
    /// holds out 0.1 when this is 0).
    #[arg(long, default_value_t = 0.0)]
    pub validation: f64,
    /// Stop after this many epochs without a better validation accuracy.
    #[arg(long)]
    pub patience: Option<usize>,
    /// Pixel preprocessing, fitted on the training images: scale, mean-image or standardize.
    #[arg(long, default_value = "standardize")]
    pub preprocess: Preprocess,
    /// Standard deviation of the initial random weights.
    #[arg(long, default_value_t = 1e-3)]
    pub init_std: f32,
}

#[derive(Debug, Args)]
pub struct TrainLinearArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub training: TrainingArgs,
    /// Learning rate; for the random searches, the spread of what they draw
    /// (default: 1e-3 for adam, rmsprop and the searches, 1e-2 for sgd, momentum, nesterov).
    #[arg(long)]
    pub lr: Option<f32>,
    /// L2 regularisation strength λ (the loss adds ½·λ·‖W‖²).
    #[arg(long, default_value_t = 3e-3)]
    pub reg: f32,
    /// Output directory: model.safetensors, history.json and the pictures.
    #[arg(long, default_value = "deepday-out/linear")]
    pub out: PathBuf,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TrainKnnArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub knn: KnnSettings,
    /// Output directory for model.safetensors.
    #[arg(long, default_value = "deepday-out/knn")]
    pub out: PathBuf,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct TuneLinearArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub training: TrainingArgs,
    /// Learning rates to try, comma-separated (with `--search random`: the range's bounds).
    #[arg(long, value_delimiter = ',', default_value = "1e-4,3e-4,1e-3,3e-3")]
    pub lr: Vec<f32>,
    /// Regularisation strengths to try, comma-separated (with `--search random`: the range's
    /// bounds, which must be positive).
    #[arg(long, value_delimiter = ',', default_value = "0,1e-3,1e-2,1e-1")]
    pub reg: Vec<f32>,
    /// grid (every pair) or random (log-uniform draws between each list's smallest and
    /// largest value).
    #[arg(long, default_value = "grid", value_parser = ["grid", "random"])]
    pub search: String,
    /// Settings drawn by `--search random`.
    #[arg(long, default_value_t = 12)]
    pub trials: usize,
    /// Directory for the plot (validation.png), results (tuning.json) and the best model.
    #[arg(long, default_value = "deepday-out/tune-linear")]
    pub out: PathBuf,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A model file written by `deepday train`.
    pub model: PathBuf,
    /// A data directory (IDX, CIFAR-10 binary or image folders), `sample` or `fashion-mnist`.
    #[arg(long, default_value = "sample")]
    pub data: String,
    /// Use at most this many test images (a stratified random subset).
    #[arg(long)]
    pub test_limit: Option<usize>,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Also draw the confusion matrix into this PNG.
    #[arg(long)]
    pub confusion: Option<PathBuf>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PredictArgs {
    /// A model file written by `deepday train`.
    pub model: PathBuf,
    /// Image files (any size, grey or colour: converted to the model's input).
    #[arg(required = true)]
    pub images: Vec<PathBuf>,
    /// How many classes to show per image.
    #[arg(long, default_value_t = 3)]
    pub top: usize,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct GradcheckArgs {
    /// Seed for the random inputs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Finite-difference step h.
    #[arg(long, default_value_t = 1e-5)]
    pub h: f64,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
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

fn parse_batch(s: &str) -> Result<usize, String> {
    if s == "full" {
        return Ok(usize::MAX);
    }
    match s.parse::<usize>() {
        Ok(0) | Err(_) => Err("expected a positive number of images or `full`".into()),
        Ok(n) => Ok(n),
    }
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
