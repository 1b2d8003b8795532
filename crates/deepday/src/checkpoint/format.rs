//! The file layout: tensors and metadata to and from safetensors bytes, with every check a
//! damaged or foreign file needs (see the table in the parent module).

use super::{Classifier, SavedModel};
use crate::classic::linear::LinearClassifier;
use crate::classic::{KnnConfig, Linear};
use crate::data::{Dataset, ImageShape};
use crate::loss::Loss;
use crate::preprocess::Fitted;
use crate::{Error, Result};
use ndarray::{Array1, Array2};
use safetensors::{Dtype, SafeTensors};
use std::collections::HashMap;

/// The metadata value that marks a file as ours, and the layout version this code writes.
const FORMAT: &str = "deepday";
const VERSION: &str = "1";

impl SavedModel {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let tensors = self.tensors();
        let mut meta = HashMap::from([
            ("format".to_string(), FORMAT.to_string()),
            ("version".to_string(), VERSION.to_string()),
            ("kind".to_string(), self.kind().to_string()),
            ("image_shape".to_string(), self.shape.to_string()),
            (
                "class_names".to_string(),
                serde_json::to_string(&self.class_names).expect("strings serialise"),
            ),
            ("settings".to_string(), self.settings.to_string()),
            ("checksum".to_string(), checksum(&tensors).to_string()),
        ]);
        match &self.classifier {
            Classifier::Linear(c) => {
                meta.insert("loss".into(), c.loss.name().into());
                meta.insert("preprocess".into(), c.preprocess.method.name().into());
            }
            Classifier::Knn { config, .. } => {
                meta.insert("k".into(), config.k.to_string());
                meta.insert("metric".into(), config.metric.name().into());
                meta.insert("weights".into(), config.weights.to_string());
            }
        }
        let views: Vec<(String, safetensors::tensor::TensorView)> = tensors
            .iter()
            .map(|t| {
                let view = safetensors::tensor::TensorView::new(t.dtype, t.shape.clone(), &t.data)
                    .expect("tensor bytes match their shape");
                (t.name.to_string(), view)
            })
            .collect();
        safetensors::serialize(views, Some(meta))
            .map_err(|e| Error::Data(format!("cannot serialise the model: {e}")))
    }

    fn tensors(&self) -> Vec<Tensor> {
        match &self.classifier {
            Classifier::Linear(c) => vec![
                Tensor::f32("linear.weight", &c.linear.w.view().into_dyn()),
                Tensor::f32("linear.bias", &c.linear.b.view().into_dyn()),
                Tensor::f32("preprocess.mean", &c.preprocess.mean.view().into_dyn()),
                Tensor::f32("preprocess.std", &c.preprocess.std.view().into_dyn()),
            ],
            Classifier::Knn { train, .. } => vec![
                Tensor {
                    name: "knn.pixels",
                    dtype: Dtype::U8,
                    shape: vec![train.len(), train.shape().len()],
                    data: train.pixels().iter().copied().collect(),
                },
                Tensor {
                    name: "knn.labels",
                    dtype: Dtype::U32,
                    shape: vec![train.len()],
                    data: train
                        .labels()
                        .iter()
                        .flat_map(|&l| (l as u32).to_le_bytes())
                        .collect(),
                },
            ],
        }
    }

    /// Parses a model file's bytes; the error is the reason it is not a valid model.
    pub fn from_bytes(bytes: &[u8]) -> std::result::Result<Self, String> {
        let file = SafeTensors::deserialize(bytes)
            .map_err(|e| format!("not a safetensors model file ({e})"))?;
        let (_, header) = SafeTensors::read_metadata(bytes).map_err(|e| e.to_string())?;
        let meta = header
            .metadata()
            .clone()
            .ok_or("not a deepday model: no metadata")?;
        let get = |key: &str| {
            meta.get(key)
                .map(String::as_str)
                .ok_or(format!("metadata has no `{key}`"))
        };
        if get("format").ok() != Some(FORMAT) {
            return Err("not a deepday model: the format marker is missing".into());
        }
        let version = get("version")?;
        if version != VERSION {
            return Err(format!(
                "model format version {version} is not supported (this deepday reads {VERSION})"
            ));
        }
        let shape = parse_shape(get("image_shape")?)?;
        let class_names: Vec<String> = serde_json::from_str(get("class_names")?)
            .map_err(|e| format!("bad class_names: {e}"))?;
        if class_names.is_empty() {
            return Err("the model has no classes".into());
        }
        let settings =
            serde_json::from_str(get("settings")?).map_err(|e| format!("bad settings: {e}"))?;
        let (d, c) = (shape.len(), class_names.len());
        let kind = get("kind")?;
        let expected: &[&str] = match kind {
            "linear" => &[
                "linear.weight",
                "linear.bias",
                "preprocess.mean",
                "preprocess.std",
            ],
            "knn" => &["knn.pixels", "knn.labels"],
            other => return Err(format!("unknown model kind `{other}` (linear or knn)")),
        };
        let mut names = file.names();
        names.sort_unstable();
        let mut wanted = expected.to_vec();
        wanted.sort_unstable();
        if names != wanted {
            return Err(format!(
                "a {kind} model holds tensors {}, this file holds {}",
                wanted.join(", "),
                names.join(", ")
            ));
        }
        let tensor = |name: &'static str, dtype: Dtype, shape: Option<&[usize]>| {
            let t = file.tensor(name).map_err(|e| e.to_string())?;
            if t.dtype() != dtype {
                return Err(format!("{name} is {:?}, expected {dtype:?}", t.dtype()));
            }
            if let Some(shape) = shape {
                if t.shape() != shape {
                    return Err(format!(
                        "{name} has shape {:?}, expected {shape:?} for {d} features and {c} \
                         classes",
                        t.shape()
                    ));
                }
            }
            Ok(Tensor {
                name,
                dtype,
                shape: t.shape().to_vec(),
                data: t.data().to_vec(),
            })
        };
        let (classifier, tensors) = match kind {
            "linear" => {
                let w = tensor("linear.weight", Dtype::F32, Some(&[d, c]))?;
                let b = tensor("linear.bias", Dtype::F32, Some(&[c]))?;
                let mean = tensor("preprocess.mean", Dtype::F32, Some(&[d]))?;
                let std = tensor("preprocess.std", Dtype::F32, Some(&[d]))?;
                let loss: Loss = get("loss")?.parse().map_err(|e: Error| e.to_string())?;
                let method = get("preprocess")?
                    .parse()
                    .map_err(|e: Error| e.to_string())?;
                let std_values = std.floats()?;
                if std_values.iter().any(|&s| s <= 0.0) {
                    return Err("preprocess.std has a value that is not positive".into());
                }
                let classifier = Classifier::Linear(LinearClassifier {
                    linear: Linear {
                        w: Array2::from_shape_vec((d, c), w.floats()?).expect("checked shape"),
                        b: Array1::from(b.floats()?),
                    },
                    loss,
                    preprocess: Fitted {
                        method,
                        mean: Array1::from(mean.floats()?),
                        std: Array1::from(std_values),
                    },
                });
                (classifier, vec![w, b, mean, std])
            }
            _ => {
                let pixels = tensor("knn.pixels", Dtype::U8, None)?;
                let n = match pixels.shape[..] {
                    [n, cols] if cols == d => n,
                    _ => {
                        return Err(format!(
                            "knn.pixels has shape {:?}, expected (n, {d}) for {shape} images",
                            pixels.shape
                        ))
                    }
                };
                let labels = tensor("knn.labels", Dtype::U32, Some(&[n]))?;
                let label_values: Vec<usize> = labels
                    .data
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
                    .collect();
                let config = KnnConfig {
                    k: parse_number(get("k")?, "k")?,
                    metric: get("metric")?.parse().map_err(|e: Error| e.to_string())?,
                    weights: get("weights")?.parse().map_err(|e: Error| e.to_string())?,
                };
                let train = Dataset::new(
                    Array2::from_shape_vec((n, d), pixels.data.clone()).expect("checked shape"),
                    label_values,
                    shape,
                    class_names.clone(),
                )
                .map_err(|e| e.to_string())?;
                if config.k == 0 || config.k > n {
                    return Err(format!("k = {} does not fit {n} stored images", config.k));
                }
                (Classifier::Knn { config, train }, vec![pixels, labels])
            }
        };
        let stored: u32 = parse_number(get("checksum")?, "checksum")?;
        if checksum(&tensors) != stored {
            return Err("the tensor data do not match their checksum (corrupt file)".into());
        }
        Ok(SavedModel {
            classifier,
            shape,
            class_names,
            settings,
        })
    }
}

/// One tensor as bytes, little-endian.
struct Tensor {
    name: &'static str,
    dtype: Dtype,
    shape: Vec<usize>,
    data: Vec<u8>,
}

impl Tensor {
    fn f32(name: &'static str, values: &ndarray::ArrayViewD<f32>) -> Self {
        Tensor {
            name,
            dtype: Dtype::F32,
            shape: values.shape().to_vec(),
            data: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }

    /// The values, refusing NaN and infinities.
    fn floats(&self) -> std::result::Result<Vec<f32>, String> {
        let v: Vec<f32> = self
            .data
            .chunks_exact(4)
            .map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        if v.iter().any(|x| !x.is_finite()) {
            return Err(format!("{} holds NaN or infinite values", self.name));
        }
        Ok(v)
    }
}

/// CRC-32 of the tensors' bytes in name order.
fn checksum(tensors: &[Tensor]) -> u32 {
    let mut sorted: Vec<&Tensor> = tensors.iter().collect();
    sorted.sort_by_key(|t| t.name);
    let mut h = crc32fast::Hasher::new();
    for t in sorted {
        h.update(t.name.as_bytes());
        h.update(&t.data);
    }
    h.finalize()
}

fn parse_shape(s: &str) -> std::result::Result<ImageShape, String> {
    let parts: Vec<usize> = s
        .split('x')
        .map(|p| p.parse().map_err(|_| format!("bad image_shape `{s}`")))
        .collect::<std::result::Result<_, _>>()?;
    let size = parts.iter().try_fold(1usize, |a, &b| a.checked_mul(b));
    match parts[..] {
        [channels, height, width] if size.is_some_and(|n| n > 0) => Ok(ImageShape {
            channels,
            height,
            width,
        }),
        _ => Err(format!("bad image_shape `{s}` (expected CxHxW)")),
    }
}

fn parse_number<T: std::str::FromStr>(s: &str, name: &str) -> std::result::Result<T, String> {
    s.parse().map_err(|_| format!("bad {name} `{s}`"))
}
