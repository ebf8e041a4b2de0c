import type { BatchCost } from './batch-cost';

const usd = (value: number) => `$${value < 0.01 ? value.toFixed(5) : value.toFixed(3)}`;
const perThousand = (value: number | undefined) => (value === undefined ? '–' : usd(value));

/**
 * A batch's cost as people read it: actions per image, the cost per 1,000 images with its parts, and
 * the replaced design's for the same images. Two lines.
 */
export function costLines(cost: BatchCost): string[] {
  const { usd: parts, replaced } = cost;
  const scale = cost.images > 0 ? 1000 / cost.images : 0;
  const part = (name: string, value: number) => `${name} ${usd(value * scale)}`;
  const perImage = cost.actionsPerImage === undefined ? '–' : cost.actionsPerImage.toFixed(2);
  const { unclassified } = cost.awsRequests;
  const unpriced = unclassified.length > 0 ? ` (calls of ${unclassified.join(', ')} not priced)` : '';
  const ratio =
    cost.totalUsd > 0 ? `; it costs ${(replaced.totalUsd / cost.totalUsd).toFixed(1)} × this batch` : '';
  return [
    `cost: ${cost.actions.total} Temporal actions for ${cost.images} images (${perImage} per image); ` +
      `${perThousand(cost.perThousandImagesUsd)} per 1,000 images: ` +
      [
        part('model', parts.model),
        part('Temporal', parts.temporal),
        part(`SQS (${cost.awsRequests.sqs} requests)`, parts.sqs),
        part(`S3 (${cost.awsRequests.s3Writes} writes, ${cost.awsRequests.s3Reads} reads)`, parts.s3),
      ].join(', ') +
      unpriced,
    `replaced design (Step Functions + Lambda): ${perThousand(replaced.perThousandImagesUsd)} per 1,000 images: ` +
      [
        part(
          `model (${(replaced.model.runningSeconds / 60).toFixed(0)} billed minutes at 1 unit)`,
          replaced.model.usd,
        ),
        part(
          `Step Functions (${replaced.stepFunctions.transitions} transitions)`,
          replaced.stepFunctions.usd,
        ),
        part(`Lambda (${replaced.lambda.invocations} invocations)`, replaced.lambda.usd),
        part('SQS', replaced.sqs.usd),
        part('S3', replaced.s3.usd),
      ].join(', ') +
      ratio,
  ];
}
