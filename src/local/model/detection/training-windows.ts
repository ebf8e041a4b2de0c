import { shuffled, type Random } from '../seeded-random';
import type { LinearHead, TrainingExample } from '../linear-head';
import { intersectionOverUnion } from './boxes';
import { cellRectToBox, type CellRect } from './grid-windows';
import type { AnnotatedImage } from './manifest';
import { SummedAreaTable, windowFeatures } from './window-parts';
import { windowLogits } from './window-scores';

/** A window this close to an object is that object: the box a detection of it could have. */
const POSITIVE_IOU = 0.6;
/** Below this with every object, a window is background; between the two it is neither, and unused. */
const NEGATIVE_IOU = 0.4;
const POSITIVES_PER_OBJECT = 8;
/** Half of them overlap an object (0.1 ≤ IoU < NEGATIVE_IOU): the near misses a detector must learn to refuse. */
const NEGATIVES_PER_IMAGE = 48;
const HARD_NEGATIVES_PER_IMAGE = 16;

/**
 * The windows of one training image the head learns from: near-boxes of each object with its label, and
 * background windows (label `background`), clear of every object or overlapping one only a little.
 */
export function trainingWindows(
  map: Float32Array,
  grid: number,
  channels: number,
  image: AnnotatedImage,
  windows: readonly CellRect[],
  background: number,
  random: Random,
): TrainingExample[] {
  const table = new SummedAreaTable(map, grid, channels);
  const overlaps = objectOverlaps(image, windows, grid);
  const examples: TrainingExample[] = [];
  image.objects.forEach(({ label }, object) => {
    const near = windows.filter((_, index) => overlaps[index][object] >= POSITIVE_IOU);
    for (const window of shuffled(near, random).slice(0, POSITIVES_PER_OBJECT)) {
      examples.push({ features: windowFeatures(table, window), target: label });
    }
  });
  const best = overlaps.map((ious) => Math.max(0, ...ious));
  const touching = windows.filter((_, index) => best[index] >= 0.1 && best[index] < NEGATIVE_IOU);
  const clear = windows.filter((_, index) => best[index] < 0.1);
  const half = NEGATIVES_PER_IMAGE / 2;
  const chosenTouching = shuffled(touching, random).slice(0, half);
  const chosenClear = shuffled(clear, random).slice(0, NEGATIVES_PER_IMAGE - chosenTouching.length);
  for (const window of [...chosenTouching, ...chosenClear]) {
    examples.push({ features: windowFeatures(table, window), target: background });
  }
  return examples;
}

/**
 * Background windows a first head took for objects, most confident first: mostly parts of an object and
 * slivers beside it, which random sampling rarely picks among thousands of windows.
 */
export function hardNegatives(
  map: Float32Array,
  grid: number,
  channels: number,
  image: AnnotatedImage,
  windows: readonly CellRect[],
  head: LinearHead,
): TrainingExample[] {
  const background = head.biases.length - 1;
  const overlaps = objectOverlaps(image, windows, grid);
  const table = new SummedAreaTable(map, grid, channels);
  return windowLogits(map, grid, channels, head, windows)
    .map((logits, index) => ({
      index,
      margin: Math.max(...logits.subarray(0, background)) - logits[background],
    }))
    .filter(({ index, margin }) => margin > 0 && Math.max(0, ...overlaps[index]) < NEGATIVE_IOU)
    .sort((a, b) => b.margin - a.margin)
    .slice(0, HARD_NEGATIVES_PER_IMAGE)
    .map(({ index }) => ({ features: windowFeatures(table, windows[index]), target: background }));
}

/** IoU of each window with each object. */
function objectOverlaps(image: AnnotatedImage, windows: readonly CellRect[], grid: number): number[][] {
  return windows.map((window) => {
    const box = cellRectToBox(window, grid);
    return image.objects.map(({ box: object }) => intersectionOverUnion(box, object));
  });
}
