import type { LinearHead } from '../linear-head';
import { intersectionOverUnion, type BoundingBox } from './boxes';
import { candidateWindows, cellRectToBox } from './grid-windows';
import type { FeatureMapSpec } from './feature-map';
import { windowLogits } from './window-scores';

export interface Detection {
  /** Index into the model's labels. */
  label: number;
  /** Probability 0–1. */
  score: number;
  box: BoundingBox;
}

/** Windows less likely than this to be an object are not reported at all, whatever the thresholds. */
const MIN_SCORE = 0.05;
/** A window overlapping a better one this much is taken for the same object. */
const SUPPRESSION_IOU = 0.3;
/** … as is one mostly inside a better one, or around it: nested boxes are the same object at two sizes. */
const SUPPRESSION_NESTING = 0.6;
const MAX_DETECTIONS = 50;
const VOTING_IOU = 0.5;

const windowsByGrid = new Map<number, ReturnType<typeof candidateWindows>>();

/**
 * Every window of the grid scored by the head (the last output is background), then non-maximum
 * suppression across labels: an object is reported once, as its most likely label.
 */
export function detectObjects(map: Float32Array, spec: FeatureMapSpec, head: LinearHead): Detection[] {
  const windows = windowsByGrid.get(spec.grid) ?? candidateWindows(spec.grid);
  windowsByGrid.set(spec.grid, windows);
  const background = head.biases.length - 1;
  const candidates: Array<Detection & { margin: number }> = [];
  windowLogits(map, spec.grid, spec.channels, head, windows).forEach((logits, index) => {
    const probabilities = softmax(logits);
    let label = 0;
    for (let k = 1; k < background; k++) if (probabilities[k] > probabilities[label]) label = k;
    if (probabilities[label] >= MIN_SCORE) {
      candidates.push({
        label,
        score: probabilities[label],
        margin: logits[label] - logits[background],
        box: cellRectToBox(windows[index], spec.grid),
      });
    }
  });
  // By logit margin over background, not probability: many windows around an object reach a probability
  // of 1.0 to float precision, and ranking those by it would pick one at random.
  candidates.sort((a, b) => b.margin - a.margin);
  const kept: Detection[] = [];
  for (const candidate of candidates) {
    if (kept.length === MAX_DETECTIONS) break;
    if (kept.every(({ box }) => !sameObject(box, candidate.box))) kept.push(candidate);
  }
  // Reported most probable first, as Rekognition lists labels, whatever order suppression kept them in.
  return kept
    .map(({ label, score, box }) => ({ label, score, box: votedBox({ label, score, box }, candidates) }))
    .sort((a, b) => b.score - a.score);
}

/**
 * The score-weighted mean of the boxes that agree with the kept one (same label, IoU ≥ VOTING_IOU): the
 * windows around an object all score high, and their mean sits on the object better than the grid allows.
 */
function votedBox(kept: Detection, candidates: readonly Detection[]): BoundingBox {
  let total = 0;
  const sum = { Left: 0, Top: 0, Right: 0, Bottom: 0 };
  for (const { label, score, box } of candidates) {
    if (label !== kept.label || intersectionOverUnion(box, kept.box) < VOTING_IOU) continue;
    total += score;
    sum.Left += score * box.Left;
    sum.Top += score * box.Top;
    sum.Right += score * (box.Left + box.Width);
    sum.Bottom += score * (box.Top + box.Height);
  }
  const [left, top] = [sum.Left / total, sum.Top / total];
  return { Left: left, Top: top, Width: sum.Right / total - left, Height: sum.Bottom / total - top };
}

function sameObject(a: BoundingBox, b: BoundingBox): boolean {
  const iou = intersectionOverUnion(a, b);
  if (iou > SUPPRESSION_IOU) return true;
  // IoU = I / (A + B − I), so I over the smaller area follows from it and the two areas.
  const [areaA, areaB] = [a.Width * a.Height, b.Width * b.Height];
  const intersection = (iou * (areaA + areaB)) / (1 + iou);
  return intersection / Math.min(areaA, areaB) > SUPPRESSION_NESTING;
}

function softmax(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const exponentials = logits.map((logit) => Math.exp(logit - max));
  const total = exponentials.reduce((sum, value) => sum + value, 0);
  return exponentials.map((value) => value / total);
}
