/** Scores on the held-out images, as Rekognition Custom Labels reports them after training. */
export interface Evaluation {
  /** Share of held-out images whose highest-confidence label is the right one (0–1). */
  accuracy: number;
  /** Mean of the per-label F1 scores (0–1). */
  macroF1: number;
  heldOutCount: number;
  trainingCount: number;
  perLabel: LabelEvaluation[];
}

/** One label, judged one-vs-rest at its assumed threshold: the label is "found" when its confidence reaches it. */
export interface LabelEvaluation {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  /** Held-out images of this label. */
  support: number;
  /** Confidence (0–100) used when a request gives no MinConfidence. */
  assumedThreshold: number;
}

export interface ScoredExample {
  /** Probability of each label, in label order. */
  probabilities: number[];
  target: number;
}

export function evaluate(
  labels: readonly string[],
  heldOut: readonly ScoredExample[],
  trainingCount: number,
): Evaluation {
  const perLabel = labels.map((label, index) => evaluateLabel(label, index, heldOut));
  const correct = heldOut.filter(({ probabilities, target }) => argMax(probabilities) === target).length;
  return {
    accuracy: correct / heldOut.length,
    macroF1: perLabel.reduce((sum, { f1 }) => sum + f1, 0) / perLabel.length,
    heldOutCount: heldOut.length,
    trainingCount,
    perLabel,
  };
}

function evaluateLabel(label: string, index: number, heldOut: readonly ScoredExample[]): LabelEvaluation {
  const scored = heldOut.map(({ probabilities, target }) => ({
    score: probabilities[index],
    positive: target === index,
  }));
  return { label, ...metricsAtBestThreshold(scored, scored.filter(({ positive }) => positive).length) };
}

/**
 * Precision, recall and F1 at the threshold with the best F1 on held-out scores, as Rekognition picks its
 * "assumed threshold"; `support` counts what there was to find (a detection model can miss objects it
 * never scored). Only the held-out scores matter, so the threshold is placed halfway into the gap below
 * the lowest accepted score rather than on it: a new case scoring a little under every held-out positive
 * is still accepted.
 */
export function metricsAtBestThreshold(
  scored: ReadonlyArray<{ score: number; positive: boolean }>,
  support: number,
): Omit<LabelEvaluation, 'label'> {
  const scores = [...new Set(scored.map(({ score }) => score))].sort((a, b) => b - a);
  let best = { f1: -1, index: 0 };
  scores.forEach((score, index) => {
    const { f1 } = countsToMetrics(scored, score, support);
    if (f1 > best.f1) best = { f1, index };
  });
  const threshold = scores.length === 0 ? 0.5 : (scores[best.index] + (scores[best.index + 1] ?? 0)) / 2;
  return { ...countsToMetrics(scored, threshold, support), assumedThreshold: threshold * 100 };
}

function countsToMetrics(
  scored: ReadonlyArray<{ score: number; positive: boolean }>,
  threshold: number,
  support: number,
): { precision: number; recall: number; f1: number; support: number } {
  let truePositives = 0;
  let falsePositives = 0;
  for (const { score, positive } of scored) {
    if (score < threshold) continue;
    if (positive) truePositives++;
    else falsePositives++;
  }
  const precision = ratio(truePositives, truePositives + falsePositives);
  const recall = ratio(truePositives, support);
  return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
}

/** 0 when undefined (nothing predicted, nothing to find), as scikit-learn reports it. */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function argMax(values: readonly number[]): number {
  return values.reduce((best, value, index) => (value > values[best] ? index : best), 0);
}
