//! Charts: cross-validation curves, loss curves, heat maps.

use super::{Canvas, FAMILY};
use anyhow::Result;
use deepday::tune::CvScore;
use plotters::prelude::*;

pub(crate) const PALETTE: [RGBColor; 6] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(214, 39, 40),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
];

/// Cross-validation accuracy against k, one line per metric with ± 1 std error bars and each
/// fold's accuracy as a faint dot (cs231n's plot).
pub fn accuracy_vs_k(scores: &[CvScore], folds: usize) -> Canvas {
    let mut canvas = Canvas::new(900, 560);
    let lo = scores
        .iter()
        .flat_map(|s| s.fold_accuracies.iter().copied())
        .fold(1.0, f64::min);
    let hi = scores
        .iter()
        .flat_map(|s| s.fold_accuracies.iter().copied())
        .fold(0.0, f64::max);
    let k_max = scores.iter().map(|s| s.k).max().unwrap_or(1) as f64;
    let mut metrics: Vec<_> = scores.iter().map(|s| s.metric).collect();
    metrics.dedup();
    {
        let root = canvas.area();
        let _ = draw_cv_chart(
            &root,
            scores,
            &metrics,
            folds,
            (0.8, k_max * 1.25),
            (lo - 0.01, hi + 0.01),
        );
        let _ = root.present();
    }
    canvas
}

fn draw_cv_chart<'a>(
    root: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
    scores: &[CvScore],
    metrics: &[deepday::distance::Metric],
    folds: usize,
    x: (f64, f64),
    y: (f64, f64),
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let mut chart = ChartBuilder::on(root)
        .caption(
            format!("k-NN: {folds}-fold cross-validation accuracy"),
            (FAMILY, 20),
        )
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((x.0..x.1).log_scale(), y.0..y.1)?;
    chart
        .configure_mesh()
        .x_desc("k (log scale)")
        .y_desc("validation accuracy")
        .label_style((FAMILY, 13))
        .draw()?;
    for (m, metric) in metrics.iter().enumerate() {
        let color = PALETTE[m % PALETTE.len()];
        let series: Vec<&CvScore> = scores.iter().filter(|s| s.metric == *metric).collect();
        chart.draw_series(series.iter().flat_map(|s| {
            s.fold_accuracies
                .iter()
                .map(move |&a| Circle::new((s.k as f64, a), 2, color.mix(0.35).filled()))
        }))?;
        chart.draw_series(series.iter().map(|s| {
            ErrorBar::new_vertical(
                s.k as f64,
                s.mean() - s.std(),
                s.mean(),
                s.mean() + s.std(),
                color.filled(),
                8,
            )
        }))?;
        chart
            .draw_series(LineSeries::new(
                series.iter().map(|s| (s.k as f64, s.mean())),
                color.stroke_width(2),
            ))?
            .label(metric.name())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    legend(&mut chart, SeriesLabelPosition::LowerLeft)
}

/// The boxed series legend every chart draws, at `position`.
fn legend<'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, BitMapBackend<'a>, CT>,
    position: SeriesLabelPosition,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .label_font((FAMILY, 14))
        .position(position)
        .draw()?;
    Ok(())
}

/// The loss of every step (faint) with each epoch's mean (bold) on the left; validation
/// accuracy per epoch on the right when there is any.
pub fn loss_curve(history: &deepday::train::History, title: &str) -> Canvas {
    let mut canvas = Canvas::new(1000, 420);
    {
        let root = canvas.area();
        let has_validation = history
            .epochs
            .iter()
            .any(|e| e.validation_accuracy.is_some());
        let (left, right) = if has_validation {
            root.split_horizontally(600)
        } else {
            root.split_horizontally(1000)
        };
        let _ = draw_losses(&left, history, title);
        if has_validation {
            let _ = draw_validation(&right, history);
        }
        let _ = root.present();
    }
    canvas
}

fn draw_losses<'a>(
    area: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
    history: &deepday::train::History,
    title: &str,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let steps = history.step_losses.len().max(1);
    let per_epoch = steps as f64 / history.epochs.len().max(1) as f64;
    let hi = history.step_losses.iter().copied().fold(0.0, f64::max) * 1.05;
    let lo = history.step_losses.iter().copied().fold(hi, f64::min) * 0.95;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FAMILY, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..steps as f64, lo.min(hi - 1e-9)..hi.max(1e-9))?;
    chart
        .configure_mesh()
        .x_desc("step")
        .y_desc("loss")
        .label_style((FAMILY, 13))
        .draw()?;
    chart
        .draw_series(LineSeries::new(
            history
                .step_losses
                .iter()
                .enumerate()
                .map(|(i, &l)| (i as f64, l)),
            PALETTE[0].mix(0.3),
        ))?
        .label("batch loss")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[0].mix(0.3)));
    chart
        .draw_series(LineSeries::new(
            history
                .epochs
                .iter()
                .map(|e| (e.epoch as f64 * per_epoch, e.train_loss)),
            PALETTE[1].stroke_width(3),
        ))?
        .label("epoch mean")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], PALETTE[1].stroke_width(3)));
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

fn draw_validation<'a>(
    area: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
    history: &deepday::train::History,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let points: Vec<(f64, f64)> = history
        .epochs
        .iter()
        .filter_map(|e| Some((e.epoch as f64, e.validation_accuracy?)))
        .collect();
    let lo = points.iter().map(|p| p.1).fold(1.0, f64::min);
    let hi = points.iter().map(|p| p.1).fold(0.0, f64::max);
    let mut chart = ChartBuilder::on(area)
        .caption("validation accuracy", (FAMILY, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(
            0.5f64..history.epochs.len() as f64 + 0.5,
            (lo - 0.01).max(0.0)..(hi + 0.01).min(1.0),
        )?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .label_style((FAMILY, 13))
        .draw()?;
    chart.draw_series(LineSeries::new(points.clone(), PALETTE[2].stroke_width(2)))?;
    chart.draw_series(
        points
            .iter()
            .map(|&p| Circle::new(p, 4, PALETTE[2].filled())),
    )?;
    if let Some(best) = history.best_epoch {
        if let Some(&p) = points.iter().find(|p| p.0 == best as f64) {
            chart.draw_series([Circle::new(p, 8, BLACK.stroke_width(2))])?;
        }
    }
    Ok(())
}

/// A table of numbers drawn as coloured cells: confusion matrices and hyper-parameter grids.
pub struct Heatmap {
    pub title: String,
    pub row_title: String,
    pub col_title: String,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    pub values: Vec<Vec<f64>>,
}

impl Heatmap {
    /// Each cell coloured white → blue by `colour(row, col)` in 0..1 and labelled by
    /// `label(value)`.
    pub fn draw(
        &self,
        colour: impl Fn(usize, usize) -> f64,
        label: impl Fn(f64) -> String,
    ) -> Canvas {
        let cell = (560 / self.cols.len().max(1)).clamp(36, 90) as i32;
        let (left, top) = (150, 70);
        let width = left + cell * self.cols.len() as i32 + 30;
        let height = top + cell * self.rows.len() as i32 + 60;
        let mut canvas = Canvas::new(width.max(420) as u32, height as u32);
        {
            let root = canvas.area();
            let font = |size: i32| (FAMILY, size).into_font();
            let _ = root.draw(&Text::new(self.title.clone(), (12, 10), font(18)));
            let axes = format!("rows: {}, columns: {}", self.row_title, self.col_title);
            let _ = root.draw(&Text::new(axes, (12, 36), font(13)));
            for (i, row) in self.values.iter().enumerate() {
                let y = top + i as i32 * cell;
                let name = shorten(&self.rows[i], 18);
                let _ = root.draw(&Text::new(name, (8, y + cell / 2 - 7), font(13)));
                for (j, &v) in row.iter().enumerate() {
                    let x = left + j as i32 * cell;
                    let t = colour(i, j).clamp(0.0, 1.0);
                    let fill = blue(t);
                    let corners = [(x, y), (x + cell, y + cell)];
                    let _ = root.draw(&Rectangle::new(corners, fill.filled()));
                    let _ = root.draw(&Rectangle::new(corners, WHITE));
                    let ink = if t > 0.6 { WHITE } else { BLACK };
                    let text = label(v);
                    let at = (x + cell / 2 - 4 * text.len() as i32, y + cell / 2 - 7);
                    let _ = root.draw(&Text::new(text, at, font(13).color(&ink)));
                }
            }
            let y = top + self.rows.len() as i32 * cell + 8;
            for (j, name) in self.cols.iter().enumerate() {
                let x = left + j as i32 * cell;
                let name = shorten(name, cell as usize / 8);
                let at = (x + cell / 2 - 3 * name.chars().count() as i32, y);
                let _ = root.draw(&Text::new(name, at, font(12)));
            }
            let _ = root.present();
        }
        canvas
    }
}

/// White (0) to dark blue (1): the shading of heat maps and scatter points.
fn blue(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    RGBColor(
        (255.0 - 222.0 * t) as u8,
        (255.0 - 170.0 * t) as u8,
        (255.0 - 75.0 * t) as u8,
    )
}

fn shorten(s: &str, n: usize) -> String {
    s.chars().take(n.max(2)).collect()
}

/// The confusion matrix as a heat map, colours normalised per true class.
pub fn confusion_matrix(cm: &deepday::metrics::ConfusionMatrix, names: &[String]) -> Canvas {
    let values: Vec<Vec<f64>> = cm
        .counts
        .iter()
        .map(|r| r.iter().map(|&c| c as f64).collect())
        .collect();
    let totals: Vec<f64> = values
        .iter()
        .map(|r| r.iter().sum::<f64>().max(1.0))
        .collect();
    let numbered: Vec<String> = (0..names.len()).map(|j| j.to_string()).collect();
    let rows: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{i} {n}"))
        .collect();
    Heatmap {
        title: format!("confusion matrix (accuracy {:.4})", cm.accuracy()),
        row_title: "true class".into(),
        col_title: "predicted class".into(),
        rows,
        cols: numbered,
        values: values.clone(),
    }
    .draw(|i, j| values[i][j] / totals[i], |v| format!("{v}"))
}

/// Several runs' step losses on one chart (each smoothed by a running mean over `window`
/// steps), log-scaled so that random search and gradient descent fit together.
pub fn compare_losses(series: &[(String, Vec<f64>)], title: &str, window: usize) -> Canvas {
    let mut canvas = Canvas::new(900, 480);
    let smoothed: Vec<(String, Vec<f64>)> = series
        .iter()
        .map(|(name, losses)| (name.clone(), running_mean(losses, window.max(1))))
        .collect();
    {
        let root = canvas.area();
        let _ = draw_comparison(&root, &smoothed, title);
        let _ = root.present();
    }
    canvas
}

fn running_mean(v: &[f64], window: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(v.len());
    let mut sum = 0.0;
    for i in 0..v.len() {
        sum += v[i];
        if i >= window {
            sum -= v[i - window];
        }
        out.push(sum / (i + 1).min(window) as f64);
    }
    out
}

fn draw_comparison<'a>(
    area: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
    series: &[(String, Vec<f64>)],
    title: &str,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let all = || series.iter().flat_map(|(_, v)| v.iter().copied());
    let steps = series
        .iter()
        .map(|(_, v)| v.len())
        .max()
        .unwrap_or(1)
        .max(1);
    let hi = all().fold(f64::MIN_POSITIVE, f64::max) * 1.2;
    let lo = all().filter(|v| *v > 0.0).fold(hi, f64::min) * 0.8;
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FAMILY, 18))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..steps as f64, (lo.min(hi / 2.0)..hi).log_scale())?;
    chart
        .configure_mesh()
        .x_desc("step")
        .y_desc("training loss (log scale)")
        .label_style((FAMILY, 13))
        .draw()?;
    for (i, (name, values)) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        chart
            .draw_series(LineSeries::new(
                values.iter().enumerate().map(|(s, &l)| (s as f64, l)),
                color.stroke_width(2),
            ))?
            .label(name.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    legend(&mut chart, SeriesLabelPosition::UpperRight)
}

/// One point of [`scatter_log`].
pub struct ScatterPoint {
    pub x: f64,
    pub y: f64,
    /// 0 (light) to 1 (dark blue).
    pub shade: f64,
    pub label: String,
}

/// Points on log–log axes, each a disc shaded by its value and labelled: random
/// hyper-parameter draws.
pub fn scatter_log(title: &str, x_desc: &str, y_desc: &str, points: &[ScatterPoint]) -> Canvas {
    let mut canvas = Canvas::new(800, 560);
    {
        let root = canvas.area();
        let _ = draw_scatter(&root, title, x_desc, y_desc, points);
        let _ = root.present();
    }
    canvas
}

fn draw_scatter<'a>(
    area: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    points: &[ScatterPoint],
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let range = |v: &dyn Fn(&ScatterPoint) -> f64| {
        let lo = points.iter().map(v).fold(f64::MAX, f64::min);
        let hi = points.iter().map(v).fold(f64::MIN_POSITIVE, f64::max);
        (lo / 1.5)..(hi * 1.5)
    };
    let mut chart = ChartBuilder::on(area)
        .caption(title, (FAMILY, 18))
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(range(&|p| p.x).log_scale(), range(&|p| p.y).log_scale())?;
    chart
        .configure_mesh()
        .x_desc(format!("{x_desc} (log scale)"))
        .y_desc(format!("{y_desc} (log scale)"))
        .label_style((FAMILY, 13))
        .draw()?;
    chart.draw_series(points.iter().map(|p| {
        let fill = blue(p.shade);
        EmptyElement::at((p.x, p.y))
            + Circle::new((0, 0), 9, fill.filled())
            + Circle::new((0, 0), 9, BLACK.mix(0.4))
            + Text::new(p.label.clone(), (11, -6), (FAMILY, 12).into_font())
    }))?;
    Ok(())
}
