import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchmarksMarkdown } from '../../bench/report/markdown';
import { resultsFromJson, type BenchResults } from '../../bench/results';

// Results recorded before actions were counted: the report must still render them.
const recorded = resultsFromJson(
  readFileSync(join(__dirname, 'fixtures', 'bench-results-2026-11-27.json'), 'utf8'),
);

describe('the benchmarks report', () => {
  it('renders results recorded before actions were counted, without an actions line', () => {
    expect(benchmarksMarkdown(recorded, '')).not.toContain('Temporal Cloud actions');
  });

  it('shows a batch’s actions by kind, per image and priced per 1,000 images when the results have them', () => {
    const scale = recorded.scale!;
    const byKind = {
      workflowStarts: 5,
      scheduleStarts: 2,
      childWorkflows: 0,
      activities: 331,
      activityRetries: 0,
      localActivities: 0,
      localActivityRetries: 0,
      timers: 2,
      signals: 0,
      updates: 0,
      searchAttributeUpserts: 0,
    };
    const results: BenchResults = {
      ...recorded,
      scale: {
        ...scale,
        batch: { ...scale.batch, actions: { byKind, total: 340 }, actionsPerImage: 340 / 60 },
      },
    };
    expect(benchmarksMarkdown(results, '')).toContain(
      'Temporal Cloud actions 340 (workflowStarts 5, scheduleStarts 2, activities 331, timers 2), ' +
        '5.67 per image: $0.283 per 1,000 images at $50 per million',
    );
  });
});
