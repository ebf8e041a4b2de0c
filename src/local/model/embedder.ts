import * as tf from '@tensorflow/tfjs';
import { EMBEDDING, loadBackbone } from './backbone';
import { decodeToSquareRgb } from './image-pixels';
import { useWasmBackend } from './wasm-backend';

let backbone: Promise<tf.LayersModel> | undefined;

/**
 * The image's feature vector: EMBEDDING.dimensions floats, each layer's part of unit length. The backbone
 * is loaded on first use and shared by every caller in the process. Safe to call concurrently: decoding
 * runs on sharp's thread pool, and the network runs synchronously inside one `tidy`, so calls cannot
 * interleave on the TensorFlow.js side.
 */
export async function embed(image: Buffer): Promise<Float32Array> {
  const [model, pixels] = await Promise.all([
    loadBackboneOnce(),
    decodeToSquareRgb(image, EMBEDDING.inputSize),
  ]);
  const features = tf.tidy(() => {
    const input = tf.tensor4d(pixels, [1, EMBEDDING.inputSize, EMBEDDING.inputSize, 3], 'float32').div(255);
    const layers = model.predict(input) as tf.Tensor2D[];
    // Unit length each, so neither layer outweighs the other by the mere scale of its activations.
    return tf.concat(
      layers.map((layer) => layer.div(layer.norm().add(1e-12))),
      1,
    );
  });
  try {
    return (await features.data()) as Float32Array;
  } finally {
    features.dispose();
  }
}

/** Loads the backbone now, so the first `embed` is not slow (e.g. while a model version is STARTING). */
export async function warmUpEmbedder(): Promise<void> {
  await loadBackboneOnce();
}

function loadBackboneOnce(): Promise<tf.LayersModel> {
  backbone ??= useWasmBackend()
    .then(loadBackbone)
    .catch((error: unknown) => {
      backbone = undefined;
      throw error;
    });
  return backbone;
}
