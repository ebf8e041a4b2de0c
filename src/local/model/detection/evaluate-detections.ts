import { metricsAtBestThreshold, ratio, type LabelEvaluation } from '../evaluation';
import { intersectionOverUnion } from './boxes';
import type { Detection } from './detect-objects';
import type { AnnotatedImage } from './manifest';

/** A detection counts as right when it has the object's label and overlaps its box at least this much. */
export const MATCH_IOU = 0.5;

/** Scores on the held-out images, as Rekognition Custom Labels reports a detection model's. */
export interface DetectionEvaluation {
  /** Of the objects reported at their labels' assumed thresholds, the share that are right (0–1). */
  precision: number;
  /** Of the held-out objects, the share reported at their labels' assumed thresholds (0–1). */
  recall: number;
  macroF1: number;
  matchIou: number;
  heldOutCount: number;
  trainingCount: number;
  /** Per label; `support` counts held-out objects. */
  perLabel: LabelEvaluation[];
}

export function evaluateDetections(
  labels: readonly string[],
  heldOut: ReadonlyArray<{ image: AnnotatedImage; detections: Detection[] }>,
  trainingCount: number,
): DetectionEvaluation {
  const judged = heldOut.flatMap(({ image, detections }) => judge(image, detections));
  const perLabel = labels.map((label, index) => ({
    label,
    ...metricsAtBestThreshold(
      judged.filter((detection) => detection.label === index),
      heldOut.reduce(
        (sum, { image }) => sum + image.objects.filter((object) => object.label === index).length,
        0,
      ),
    ),
  }));
  const accepted = judged.filter(({ label, score }) => score * 100 >= perLabel[label].assumedThreshold);
  const right = accepted.filter(({ positive }) => positive).length;
  const objects = heldOut.reduce((sum, { image }) => sum + image.objects.length, 0);
  return {
    precision: ratio(right, accepted.length),
    recall: ratio(right, objects),
    macroF1: perLabel.reduce((sum, { f1 }) => sum + f1, 0) / perLabel.length,
    matchIou: MATCH_IOU,
    heldOutCount: heldOut.length,
    trainingCount,
    perLabel,
  };
}

/** Most confident first, each detection takes the best-overlapping object of its label not yet taken. */
function judge(
  image: AnnotatedImage,
  detections: readonly Detection[],
): Array<Detection & { positive: boolean }> {
  const taken = new Set<number>();
  return [...detections]
    .sort((a, b) => b.score - a.score)
    .map((detection) => {
      let match = -1;
      let bestIou = MATCH_IOU;
      image.objects.forEach(({ label, box }, index) => {
        const iou = intersectionOverUnion(box, detection.box);
        if (label === detection.label && !taken.has(index) && iou >= bestIou) {
          match = index;
          bestIou = iou;
        }
      });
      if (match >= 0) taken.add(match);
      return { ...detection, positive: match >= 0 };
    });
}
