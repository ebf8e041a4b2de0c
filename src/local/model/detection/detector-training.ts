import { seededRandom } from '../seeded-random';
import type { LinearHead, TrainingExample } from '../linear-head';
import { detectObjects } from './detect-objects';
import { evaluateDetections, type DetectionEvaluation } from './evaluate-detections';
import { FEATURE_MAP, featureMap, warmUpFeatureMap } from './feature-map';
import { fitSoftmaxHead } from './fit-head';
import { candidateWindows } from './grid-windows';
import type { DetectionDataset } from './manifest';
import { hardNegatives, trainingWindows } from './training-windows';

/** Every image's feature map, in order, logging progress every tenth of the way. */
export async function mapDetectionImages(
  dataset: DetectionDataset,
  read: (sourceRef: string) => Promise<Buffer>,
  log: (line: string) => void,
): Promise<Float32Array[]> {
  await warmUpFeatureMap();
  const maps: Float32Array[] = [];
  const reportEvery = Math.ceil(dataset.images.length / 10);
  for (const { sourceRef } of dataset.images) {
    const bytes = await read(sourceRef);
    maps.push(
      await featureMap(bytes).catch((error: unknown) => {
        throw new Error(`Could not decode ${sourceRef} (${(error as Error).message}). Fix or remove it.`);
      }),
    );
    if (maps.length % reportEvery === 0 || maps.length === dataset.images.length) {
      log(`Mapped ${maps.length}/${dataset.images.length} images`);
    }
  }
  return maps;
}

/** The head over windows of the training images: one output per label, then background. */
export function fitDetector(
  dataset: DetectionDataset,
  maps: readonly Float32Array[],
  training: readonly number[],
  seed: number,
): LinearHead {
  const random = seededRandom(seed);
  const windows = candidateWindows(FEATURE_MAP.grid);
  const examples: TrainingExample[] = training.flatMap((index) =>
    trainingWindows(
      maps[index],
      FEATURE_MAP.grid,
      FEATURE_MAP.channels,
      dataset.images[index],
      windows,
      dataset.labels.length,
      random,
    ),
  );
  const first = fitSoftmaxHead(examples, dataset.labels.length + 1);
  // One round of hard-negative mining: the second head also learns from the first one's false alarms.
  const hard = training.flatMap((index) =>
    hardNegatives(maps[index], FEATURE_MAP.grid, FEATURE_MAP.channels, dataset.images[index], windows, first),
  );
  return fitSoftmaxHead([...examples, ...hard], dataset.labels.length + 1);
}

export function evaluateDetector(
  dataset: DetectionDataset,
  maps: readonly Float32Array[],
  head: LinearHead,
  heldOut: readonly number[],
  trainingCount: number,
): DetectionEvaluation {
  return evaluateDetections(
    dataset.labels,
    heldOut.map((index) => ({
      image: dataset.images[index],
      detections: detectObjects(maps[index], FEATURE_MAP, head),
    })),
    trainingCount,
  );
}
