import * as tf from '@tensorflow/tfjs';
import { EMBEDDING, loadFeatureMapModel } from './backbone';
import { decodeToSquareRgb } from './image-pixels';
import { useWasmBackend } from './wasm-backend';

/** Ways to turn an image over before mapping it; none changes what an outline or a texture is. */
export type View = 'upright' | 'mirrored' | 'upside-down' | 'rotated-180';

let backbone: Promise<tf.LayersModel> | undefined;

/**
 * The image's feature map in each view, in order: grid × grid × channels floats each, row-major. The
 * backbone is loaded on first use and shared by every caller in the process. Safe to call concurrently:
 * decoding runs on sharp's thread pool, and the network runs synchronously inside one `tidy`, so calls
 * cannot interleave on the TensorFlow.js side.
 */
export async function featureMaps(image: Buffer, views: readonly View[]): Promise<Float32Array[]> {
  const [model, pixels] = await Promise.all([
    loadBackboneOnce(),
    decodeToSquareRgb(image, EMBEDDING.inputSize),
  ]);
  const maps = tf.tidy(() => {
    const size = EMBEDDING.inputSize;
    const input = tf.tensor4d(pixels, [1, size, size, 3], 'float32').div<tf.Tensor4D>(255);
    return model.predict(tf.concat(views.map((view) => turned(input, view)))) as tf.Tensor;
  });
  try {
    const data = (await maps.data()) as Float32Array;
    const length = data.length / views.length;
    return views.map((_, index) => data.subarray(index * length, (index + 1) * length));
  } finally {
    maps.dispose();
  }
}

/** Loads the backbone now, so the first image is not slow (e.g. while a model version is STARTING). */
export async function warmUpEmbedder(): Promise<void> {
  await loadBackboneOnce();
}

/** `[1, rows, columns, 3]` → the same picture seen in `view`. */
function turned(input: tf.Tensor4D, view: View): tf.Tensor4D {
  switch (view) {
    case 'upright':
      return input;
    case 'mirrored':
      return input.reverse(2);
    case 'upside-down':
      return input.reverse(1);
    case 'rotated-180':
      return input.reverse([1, 2]);
  }
}

function loadBackboneOnce(): Promise<tf.LayersModel> {
  backbone ??= useWasmBackend()
    .then(() => loadFeatureMapModel(EMBEDDING.layer))
    .catch((error: unknown) => {
      backbone = undefined;
      throw error;
    });
  return backbone;
}

/**
 * Training images are also seen turned over, so the head learns that turning does not change the label:
 * with ~30 images a label, a shape is otherwise seen in too few orientations.
 */
export const TRAINING_VIEWS: readonly View[] = ['upright', 'mirrored', 'upside-down', 'rotated-180'];

/** Images are classified as seen and mirrored, the probabilities averaged. */
export const INFERENCE_VIEWS: readonly View[] = ['upright', 'mirrored'];
