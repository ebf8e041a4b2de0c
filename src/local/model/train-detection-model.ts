import * as path from 'node:path';
import { fitDetector, evaluateDetector, mapDetectionImages } from './detection/detector-training';
import { FEATURE_MAP } from './detection/feature-map';
import { imageSource } from './detection/image-source';
import { readDetectionManifest, type DetectionDataset } from './detection/manifest';
import type { DetectionModelFile } from './model-file';
import { stratifiedSplit } from './split';
import {
  resolveSettings,
  saveVersion,
  thresholdsOf,
  trainingRecord,
  versionNames,
  type VersionOptions,
} from './train-model';
import { VersionFolder } from './version-folder';

export interface TrainDetectionModelOptions extends VersionOptions {
  /** A SageMaker Ground Truth bounding-box manifest, as Rekognition Custom Labels imports. */
  manifestPath: string;
  /** Where s3:// source-refs are read from (e.g. moto); the real S3 when omitted. */
  s3Endpoint?: string;
}

/**
 * Trains an object-detection version, as `trainModel` does a classifier: maps every image once, fits the
 * head on the training split and evaluates that very head on the held-out split (precision and recall of
 * boxes at IoU ≥ 0.5), so the evaluation and thresholds describe the model that is served.
 */
export type TrainedDetectionModel = Omit<DetectionModelFile, 'schemaVersion' | 'head'> & {
  modelPath: string;
};

export async function trainDetectionModel(
  options: TrainDetectionModelOptions,
): Promise<TrainedDetectionModel> {
  const settings = resolveSettings(options);
  const { log } = settings;
  const folder = new VersionFolder(options.modelsDir, options.project, settings.version);
  await folder.checkIsFree();

  const dataset = await readDetectionManifest(options.manifestPath);
  log(
    `Labels: ${dataset.labels.map((label, index) => `${label} (${countObjects(dataset, index)} objects)`).join(', ')}`,
  );
  const source = imageSource(dataset.baseDir, options.s3Endpoint);
  const maps = await mapDetectionImages(dataset, source.read, log).finally(() => source.close());
  // Stratified by each image's first object: labels are spread over both sides as far as images allow.
  const split = stratifiedSplit(
    dataset.images.map(({ objects }) => objects[0]?.label ?? -1),
    settings.holdoutFraction,
    settings.seed,
  );
  log(`Training on ${split.training.length} images, holding out ${split.heldOut.length} to evaluate on.`);
  const head = fitDetector(dataset, maps, split.training, settings.seed);
  const evaluation = evaluateDetector(dataset, maps, head, split.heldOut, split.training.length);

  const metadata = {
    kind: 'detection' as const,
    ...(await versionNames(options, settings)),
    labels: dataset.labels,
    thresholds: thresholdsOf(evaluation),
    evaluation,
    training: trainingRecord(settings, { manifest: path.resolve(options.manifestPath) }),
    featureMap: FEATURE_MAP,
  };
  const modelPath = await saveVersion(folder, { ...metadata, head }, log);
  return { ...metadata, modelPath };
}

function countObjects(dataset: DetectionDataset, label: number): number {
  return dataset.images.reduce(
    (sum, { objects }) => sum + objects.filter((object) => object.label === label).length,
    0,
  );
}
