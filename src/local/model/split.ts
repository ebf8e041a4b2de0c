import { seededRandom, shuffled } from './seeded-random';

/**
 * Holds out `fraction` of each label's examples (at least one, never all), so every label is both trained
 * on and tested. The same labels, fraction and seed always give the same split.
 */
export function stratifiedSplit(
  labelOfExample: readonly number[],
  fraction: number,
  seed: number,
): { training: number[]; heldOut: number[] } {
  const random = seededRandom(seed);
  const training: number[] = [];
  const heldOut: number[] = [];
  const labels = [...new Set(labelOfExample)].sort((a, b) => a - b);
  for (const label of labels) {
    const members = shuffled(
      labelOfExample.flatMap((exampleLabel, index) => (exampleLabel === label ? [index] : [])),
      random,
    );
    const heldOutCount = Math.min(members.length - 1, Math.max(1, Math.round(members.length * fraction)));
    heldOut.push(...members.slice(0, heldOutCount));
    training.push(...members.slice(heldOutCount));
  }
  return { training, heldOut };
}
