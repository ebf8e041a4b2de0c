import { costLines } from '../../src/cost/cost-text';
import type { BatchRecord } from '../pipeline-scenario';
import type { BenchResults } from '../results';
import { f, pathOf } from './format';

interface CostedBatch {
  figure: string;
  batch: BatchRecord;
}

function costedBatches(results: BenchResults): CostedBatch[] {
  return [
    ...(results.capacity ?? []).map((c) => ({ figure: `${c.capacity} TPS model`, batch: c.batch })),
    ...(results.overhead?.pipelines ?? []).map((p) => ({ figure: 'instant model', batch: p.pipeline })),
    ...(results.scale ? [{ figure: 'scale, instant model', batch: results.scale.batch }] : []),
  ].filter(({ batch }) => batch.cost?.perThousandImagesUsd !== undefined);
}

/**
 * Each batch's bill per 1,000 images with its parts (src/cost: model IU-hours as the summary bills them,
 * Temporal Cloud actions, SQS and S3 requests) against the replaced Step Functions + Lambda design's for
 * the same images.
 */
export function costSection(results: BenchResults): string[] {
  const batches = costedBatches(results);
  if (batches.length === 0) return [];
  const lines = [
    '## 6. Cost per 1,000 images',
    '',
    'From each batch’s histories and summary by `batchCost` (src/cost): the model’s RUNNING time × units at ' +
      'INFERENCE_UNIT_HOURLY_COST, Temporal Cloud actions counted by `countTemporalActions` at ' +
      'TEMPORAL_COST_PER_MILLION_ACTIONS, SQS and S3 requests per activity attempt (local activities included). The ' +
      'replaced design (`replacedDesignCost`) is priced for the same images at the per-unit throughput this batch’s model ' +
      'showed. List prices and their source pages: src/cost/prices.ts. The instant-model batches’ model cost is ' +
      'that of a model serving 1,000,000 TPS per unit: their Temporal, SQS and S3 parts are what compares.',
    '',
    '| batch | images | actions per image | model $ | Temporal $ | SQS $ | S3 $ | total $ per 1,000 images | replaced design $ per 1,000 images | ÷ replaced |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const { figure, batch } of batches) {
    const cost = batch.cost!;
    const scale = 1000 / cost.images;
    lines.push(
      `| ${figure}, ${pathOf(batch)} | ${cost.images} | ${f(cost.actionsPerImage ?? Number.NaN)} | ${f(cost.usd.model * scale, 4)} | ${f(cost.usd.temporal * scale, 4)} | ${f(cost.usd.sqs * scale, 5)} | ${f(cost.usd.s3 * scale, 4)} | **${f(cost.perThousandImagesUsd!, 3)}** | ${f(cost.replaced.perThousandImagesUsd ?? Number.NaN, 3)} | ${f(cost.perThousandImagesUsd! / (cost.replaced.perThousandImagesUsd ?? Number.NaN), 3)} |`,
    );
  }
  lines.push('', 'As `run` prints them:', '');
  for (const { figure, batch } of batches) {
    lines.push(`- ${figure}, ${pathOf(batch)}: ${costLines(batch.cost!).join('; ')}`);
  }
  lines.push('');
  return lines;
}
