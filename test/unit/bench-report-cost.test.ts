import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { benchmarksMarkdown } from '../../bench/report/markdown';
import { resultsFromJson, type BenchResults } from '../../bench/results';
import { batchCost } from '../../src/cost/batch-cost';
import { costLines } from '../../src/cost/cost-text';
import { LIST_PRICES } from '../../src/cost/prices';
import type { BatchSummary } from '../../src/workflows/batch-types';

const recorded = resultsFromJson(
  readFileSync(join(__dirname, 'fixtures', 'bench-results-2026-11-27.json'), 'utf8'),
);

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
  it('renders results recorded before costs were, with no cost section', () => {
    expect(benchmarksMarkdown(recorded, '')).not.toContain('Cost per 1,000 images');
  });

  it('prints each batch’s cost per 1,000 images with its parts against the replaced design’s', () => {
    const capacity = recorded.capacity![0];
    const results: BenchResults = {
      ...recorded,
      capacity: [{ ...capacity, batch: { ...capacity.batch, cost } }],
    };
    const report = benchmarksMarkdown(results, '');
    const ratio = (cost.perThousandImagesUsd! / cost.replaced.perThousandImagesUsd!).toFixed(3);
    // Recorded before LOCAL_AWS_CALLS existed: the activities path.
    expect(report).toContain(
      `| ${capacity.capacity} TPS model, LOCAL_AWS_CALLS=false | 12 | ${cost.actionsPerImage!.toFixed(2)} | ${(cost.usd.model * (1000 / 12)).toFixed(4)} | ${(cost.usd.temporal * (1000 / 12)).toFixed(4)} |`,
    );
    expect(report).toContain(
      `| **${cost.perThousandImagesUsd!.toFixed(3)}** | ${cost.replaced.perThousandImagesUsd!.toFixed(3)} | ${ratio} |`,
    );
    // The batch's details carry the same two lines `run` prints.
    for (const line of costLines(cost)) expect(report).toContain(line);
  });
});
