//! One module per command; each turns parsed arguments into library calls and prints.

mod data;
mod eval;
mod gradcheck;
mod knn;
mod tour;
mod train;
mod tune;

use crate::args::{Command, DataArgs, DataCommand, TrainCommand, TuneCommand};
use anyhow::Result;
use deepday::data::{FolderOptions, Split};

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Data(DataCommand::Info { data, json }) => data::info(&data, json),
        Command::Data(DataCommand::Show {
            data,
            out,
            per_class,
            split,
            seed,
        }) => data::show(&data, &out, per_class, &split, seed),
        Command::Data(DataCommand::Subset {
            data,
            train,
            test,
            out,
            seed,
        }) => data::subset(&data, train, test, &out, seed),
        Command::Knn(args) => knn::run(&args),
        Command::Train(TrainCommand::Linear(args)) => train::linear(&args),
        Command::Train(TrainCommand::Knn(args)) => train::knn(&args),
        Command::Tune(TuneCommand::Knn(args)) => tune::knn(&args),
        Command::Tune(TuneCommand::Linear(args)) => tune::linear(&args),
        Command::Eval(args) => eval::eval(&args),
        Command::Predict(args) => eval::predict(&args),
        Command::Gradcheck(args) => gradcheck::run(&args),
        Command::Tour(args) => tour::run(&args),
    }
}

/// Opens `--data` with default folder options.
pub fn open(spec: &str) -> Result<Split> {
    Ok(deepday::data::open(spec, &FolderOptions::default())?)
}

/// Opens the data the arguments name and applies `--train-limit` / `--test-limit`.
pub fn load(args: &DataArgs) -> Result<Split> {
    if args.channels != 1 && args.channels != 3 {
        anyhow::bail!("--channels must be 1 or 3, not {}", args.channels);
    }
    let (height, width) = args.image_size;
    let opts = FolderOptions {
        height,
        width,
        channels: args.channels,
    };
    let mut split = deepday::data::open(&args.data, &opts)?;
    for (limit, set, name) in [
        (args.train_limit, &mut split.train, "--train-limit"),
        (args.test_limit, &mut split.test, "--test-limit"),
    ] {
        if let Some(limit) = limit {
            anyhow::ensure!(limit >= 1, "{name} must be at least 1");
            *set = set.select(&deepday::data::stratified_subset(
                set.labels(),
                limit,
                args.seed,
            ));
        }
    }
    Ok(split)
}

/// Seconds since `start`.
pub fn seconds(start: std::time::Instant) -> f64 {
    start.elapsed().as_secs_f64()
}
