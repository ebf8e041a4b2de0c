import { isDeepStrictEqual } from 'node:util';
import type { DetectionModelFile } from '../model-file';
import type { BoundingBox } from './boxes';
import { detectObjects } from './detect-objects';
import { FEATURE_MAP, featureMap, warmUpFeatureMap } from './feature-map';

/** One detected object, shaped like Rekognition's CustomLabel of an object-detection model. */
export interface DetectedLabel {
  Name: string;
  /** The window's probability of the label × 100. */
  Confidence: number;
  Geometry: { BoundingBox: BoundingBox };
}

/** Readies the shared backbone for a detection model, so its first image is not slow. */
export async function loadDetector(
  model: DetectionModelFile,
  modelPath: string,
): Promise<{ classify(image: Buffer): Promise<DetectedLabel[]> }> {
  if (!isDeepStrictEqual(model.featureMap, FEATURE_MAP)) {
    throw new Error(
      `${modelPath} was trained on ${JSON.stringify(model.featureMap)}, but this build maps images with ` +
        `${JSON.stringify(FEATURE_MAP)}. Retrain it with \`custom-labels-batch local train --manifest\`.`,
    );
  }
  await warmUpFeatureMap();
  return {
    async classify(image) {
      return detectObjects(await featureMap(image), FEATURE_MAP, model.head).map(({ label, score, box }) => ({
        Name: model.labels[label],
        Confidence: score * 100,
        Geometry: { BoundingBox: clipped(box) },
      }));
    },
  };
}

/** Voted boxes stay inside the image, as Rekognition's do. */
function clipped({ Left, Top, Width, Height }: BoundingBox): BoundingBox {
  const [left, top] = [Math.max(0, Left), Math.max(0, Top)];
  return {
    Width: Math.min(1, Left + Width) - left,
    Height: Math.min(1, Top + Height) - top,
    Left: left,
    Top: top,
  };
}
