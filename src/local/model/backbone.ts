import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { loadWithBatchNormalisationsFolded } from './fold-batch-normalisations';

/** How images become feature maps; saved with every model so a head is never fed other features. */
export interface EmbeddingSpec {
  backbone: string;
  /** The layer whose unpooled output the head reads. */
  layer: string;
  /** Images are stretched to inputSize × inputSize, as nsfwjs does. */
  inputSize: number;
  /** Cells per side of the map. */
  grid: number;
  channels: number;
  pixelScaling: string;
}

/**
 * block_12_add: the 14 × 14 map of 96 channels before the blocks nsfwjs fine-tuned for its own classes.
 * Pooled features of the later layers told textures apart but not outlines (shapes ~0.80 held-out): a
 * head that sees where features are, and their neighbours, can learn corners and sides. The narrow
 * bottleneck (96 rather than block_13_expand_relu's 576) keeps that head small enough to train in seconds.
 */
export const EMBEDDING: EmbeddingSpec = {
  backbone: 'MobileNetV2 (weights bundled with nsfwjs 4.3.0)',
  layer: 'block_12_add',
  inputSize: 224,
  grid: 14,
  channels: 96,
  pixelScaling: 'RGB / 255',
};

/** MobileNetV2 up to `layer`, unpooled: `[batch, rows, columns, channels]`. */
export async function loadFeatureMapModel(layer: string): Promise<tf.LayersModel> {
  const full = await loadMobileNetV2();
  return warmedUp(tf.model({ inputs: full.inputs, outputs: full.getLayer(layer).output }));
}

/**
 * The bundles are required directly, as nsfwjs's own model_imports do: going through those costs ~5 s,
 * because their `__importStar` defines one property per character of the 3.5 MB weight string.
 */
async function loadMobileNetV2(): Promise<tf.LayersModel> {
  const requireFromNsfwjs = createRequire(require.resolve('nsfwjs'));
  const modelJson = requireFromNsfwjs('../models/mobilenet_v2/model.min.js') as tf.io.ModelJSON;
  const weightsBase64 = requireFromNsfwjs('../models/mobilenet_v2/group1-shard1of1.min.js') as string;
  const weights = Buffer.from(weightsBase64, 'base64');
  return loadWithBatchNormalisationsFolded({
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
    weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
  });
}

/** The first inference sets up every kernel (~0.3 s); pay that here rather than on someone's first image. */
function warmedUp(model: tf.LayersModel): tf.LayersModel {
  tf.tidy(() => {
    const blank = tf.zeros([1, EMBEDDING.inputSize, EMBEDDING.inputSize, 3]);
    [model.predict(blank)].flat().forEach((output) => output.dataSync());
  });
  return model;
}
