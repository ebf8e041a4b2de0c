import { isDeepStrictEqual } from 'node:util';
import { EMBEDDING } from './backbone';
import { featureMaps, INFERENCE_VIEWS, warmUpEmbedder } from './embedder';
import { loadDetector, type DetectedLabel } from './detection/detector';
import { ensembleProbabilities } from './head-ensemble';
import { readModelFile, type ModelVersionRecord } from './model-file';

/** One label's score, shaped like Rekognition's CustomLabel. */
export interface LabelConfidence {
  Name: string;
  /** Softmax probability × 100. */
  Confidence: number;
}

export interface Classifier {
  /**
   * A classification model: every label, highest confidence first. A detection model: every object found,
   * most confident first, each with its box. Thresholds and MaxResults are the caller's job. Expects a
   * JPEG or PNG. Safe to call concurrently.
   */
  classify(image: Buffer): Promise<Array<LabelConfidence | DetectedLabel>>;
}

/** Reads the version's head and readies the shared backbone, so the first classify is not slow. */
export async function loadClassifier(record: Pick<ModelVersionRecord, 'modelPath'>): Promise<Classifier> {
  const model = await readModelFile(record.modelPath);
  if (model.kind === 'detection') return loadDetector(model, record.modelPath);
  if (!isDeepStrictEqual(model.embedding, EMBEDDING)) {
    throw new Error(
      `${record.modelPath} was trained on ${JSON.stringify(model.embedding)}, but this build embeds with ` +
        `${JSON.stringify(EMBEDDING)}. Retrain it with \`custom-labels-batch local train\`.`,
    );
  }
  await warmUpEmbedder();
  return {
    async classify(image) {
      const probabilities = ensembleProbabilities(model.head, await featureMaps(image, INFERENCE_VIEWS));
      return model.labels
        .map((Name, index) => ({ Name, Confidence: probabilities[index] * 100 }))
        .sort((a, b) => b.Confidence - a.Confidence);
    },
  };
}
