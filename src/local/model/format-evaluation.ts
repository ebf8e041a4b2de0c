import type { DetectionEvaluation } from './detection/evaluate-detections';
import type { Evaluation } from './evaluation';

const COLUMNS = ['Label', 'Precision', 'Recall', 'F1', 'Support', 'Assumed threshold'] as const;

/** The evaluation as a plain-text table, for the console after training. */
export function formatEvaluation(evaluation: Evaluation | DetectionEvaluation): string {
  const rows = evaluation.perLabel.map((label) => [
    label.label,
    label.precision.toFixed(3),
    label.recall.toFixed(3),
    label.f1.toFixed(3),
    String(label.support),
    label.assumedThreshold.toFixed(1),
  ]);
  const widths = COLUMNS.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  // Labels read best left-aligned, numbers right-aligned.
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
      .join('  ');
  const heading = `Evaluation on ${evaluation.heldOutCount} held-out images (trained on ${evaluation.trainingCount})`;
  const summary =
    'accuracy' in evaluation
      ? `Accuracy ${(evaluation.accuracy * 100).toFixed(1)}%, macro F1 ${evaluation.macroF1.toFixed(3)}. ` +
        'Per-label scores count a label as found when its confidence reaches its assumed threshold.'
      : `Precision ${evaluation.precision.toFixed(3)}, recall ${evaluation.recall.toFixed(3)}, ` +
        `macro F1 ${evaluation.macroF1.toFixed(3)}. A box is right when its label is and it overlaps the ` +
        `object at IoU ≥ ${evaluation.matchIou}; support counts objects; boxes below their label's assumed threshold are not reported.`;
  return [
    `${heading}${'accuracy' in evaluation ? '' : ', object detection'}:`,
    line(COLUMNS),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    summary,
  ].join('\n');
}
