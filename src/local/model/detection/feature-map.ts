import * as tf from '@tensorflow/tfjs';
import { loadFeatureMapModel } from '../backbone';
import { decodeToSquareRgb } from '../image-pixels';
import { useWasmBackend } from '../wasm-backend';

/** How a detection model sees images; saved with it so its head is never fed another map. */
export interface FeatureMapSpec {
  backbone: string;
  layer: string;
  inputSize: number;
  /** Cells per side of the map. */
  grid: number;
  channels: number;
  pixelScaling: string;
}

/**
 * block_13_expand_relu: the classifier's mid-level layer, before the blocks nsfwjs fine-tuned, at 14 × 14
 * cells of 16 px. The 7 × 7 layers after it would make boxes too coarse for IoU ≥ 0.5 on small objects.
 */
export const FEATURE_MAP: FeatureMapSpec = {
  backbone: 'MobileNetV2 (weights bundled with nsfwjs 4.3.0)',
  layer: 'block_13_expand_relu',
  inputSize: 224,
  grid: 14,
  channels: 576,
  pixelScaling: 'RGB / 255',
};

let network: Promise<tf.LayersModel> | undefined;

/**
 * The image's feature map, grid × grid × channels floats, row-major. The image is stretched to a square,
 * as the classifier does, so ratios of the map are ratios of the image. Safe to call concurrently.
 */
export async function featureMap(image: Buffer): Promise<Float32Array> {
  const [model, pixels] = await Promise.all([loadOnce(), decodeToSquareRgb(image, FEATURE_MAP.inputSize)]);
  const output = tf.tidy(() => {
    const size = FEATURE_MAP.inputSize;
    return model.predict(tf.tensor4d(pixels, [1, size, size, 3], 'float32').div(255)) as tf.Tensor;
  });
  try {
    return (await output.data()) as Float32Array;
  } finally {
    output.dispose();
  }
}

export async function warmUpFeatureMap(): Promise<void> {
  await loadOnce();
}

function loadOnce(): Promise<tf.LayersModel> {
  network ??= useWasmBackend()
    .then(() => loadFeatureMapModel(FEATURE_MAP.layer))
    .catch((error: unknown) => {
      network = undefined;
      throw error;
    });
  return network;
}
