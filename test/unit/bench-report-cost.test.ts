import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { benchmarksMarkdown } from '../../bench/report/markdown';
import type { BenchResults } from '../../bench/results';
import { batchCost } from '../../src/cost/batch-cost';
import { costLines } from '../../src/cost/cost-text';
import { LIST_PRICES } from '../../src/cost/prices';
import type { BatchSummary } from '../../src/workflows/batch-types';

const recorded = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'BENCHMARKS.json'), 'utf8'),
) as BenchResults;

// The recorded two-run batch of 12 images, priced as a benchmark batch is.
const TWO_RUNS = '2026-12-01.starts-the-model-processes-every-message-and-stops-the-model-once';
const histories = [1, 2].map((run) =>
  historyFromJSON(
    JSON.parse(readFileSync(join(__dirname, '..', 'replay', 'histories', `${TWO_RUNS}.${run}.json`), 'utf8')),
  ),
);
const summary = {
  counts: {
    processed: 12,
    failed: 0,
    failedByReason: {},
    skipped: 0,
    deadLettered: 0,
    testEvents: 0,
    messages: 12,
  },
  modelRunningSeconds: 30,
  estimatedInferenceCostUsd: (30 / 3600) * 4,
} as BatchSummary;
const cost = batchCost(histories, summary, LIST_PRICES);

describe('the benchmarks report’s cost', () => {
  it('renders results recorded before costs were, with no cost row', () => {
    expect(benchmarksMarkdown(recorded, '')).not.toContain('cost per 1,000 images');
  });

  it('prints each batch’s cost per 1,000 images with its parts against the replaced design’s', () => {
    const capacity = recorded.capacity![0];
    const results: BenchResults = {
      ...recorded,
      capacity: [{ ...capacity, batch: { ...capacity.batch, cost } }],
    };
    const report = benchmarksMarkdown(results, '');
    const ratio = (cost.perThousandImagesUsd! / cost.replaced.perThousandImagesUsd!).toFixed(3);
    expect(report).toContain(
      `| 6 | cost per 1,000 images, ${capacity.capacity} TPS batch | $${cost.perThousandImagesUsd!.toFixed(3)} (model $`,
    );
    expect(report).toContain(
      `| replaced design $${cost.replaced.perThousandImagesUsd!.toFixed(3)} | ${ratio} | — |`,
    );
    // The batch's details carry the same two lines `run` prints.
    for (const line of costLines(cost)) expect(report).toContain(line);
  });
});
