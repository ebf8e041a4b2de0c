import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';

/** What the head is trained on; saved with every model so a model is never fed another backbone's features. */
export const EMBEDDING: EmbeddingSpec = {
  backbone: 'MobileNetV2 (weights bundled with nsfwjs 4.3.0)',
  layer: 'flatten_1',
  inputSize: 224,
  dimensions: 1280,
  pixelScaling: 'RGB / 255',
};

export interface EmbeddingSpec {
  backbone: string;
  layer: string;
  /** Images are stretched to inputSize × inputSize, as nsfwjs does. */
  inputSize: number;
  dimensions: number;
  pixelScaling: string;
}

/**
 * MobileNetV2 up to its pooled features, as a generic image feature extractor. The network was fine-tuned
 * by nsfwjs, but the layers below its classifier still describe shapes, colours and textures in general.
 *
 * The bundles are required directly, as nsfwjs's own model_imports do: going through those costs ~5 s,
 * because their `__importStar` defines one property per character of the 3.5 MB weight string.
 */
export async function loadBackbone(): Promise<tf.LayersModel> {
  const requireFromNsfwjs = createRequire(require.resolve('nsfwjs'));
  const modelJson = requireFromNsfwjs('../models/mobilenet_v2/model.min.js') as tf.io.ModelJSON;
  const weightsBase64 = requireFromNsfwjs('../models/mobilenet_v2/group1-shard1of1.min.js') as string;
  const weights = Buffer.from(weightsBase64, 'base64');
  const full = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology,
      weightSpecs: modelJson.weightsManifest.flatMap((group) => group.weights),
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }),
  );
  const truncated = tf.model({ inputs: full.inputs, outputs: full.getLayer(EMBEDDING.layer).output });
  const outputWidth = truncated.outputs[0].shape[1];
  if (outputWidth !== EMBEDDING.dimensions) {
    throw new Error(
      `Backbone layer ${EMBEDDING.layer} has ${outputWidth} features, expected ${EMBEDDING.dimensions}.`,
    );
  }
  // The first inference sets up every kernel (~0.3 s); pay that here rather than on someone's first image.
  tf.tidy(() => {
    const blank = tf.zeros([1, EMBEDDING.inputSize, EMBEDDING.inputSize, 3]);
    (truncated.predict(blank) as tf.Tensor).dataSync();
  });
  return truncated;
}
