import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goalsTable } from '../../bench/report/goals';
import { resultsFromJson, type BenchResults } from '../../bench/results';
import type { CapacityFigure } from '../../bench/scenarios/capacity';

// Recorded before LOCAL_AWS_CALLS and actions: three 1,000-image capacity batches and one overhead batch.
const recorded = resultsFromJson(
  readFileSync(join(__dirname, 'fixtures', 'bench-results-2026-11-27.json'), 'utf8'),
);

/** The recorded capacity figure, as if measured on `localAwsCalls` with `actionsPerImage`. */
function measured(figure: CapacityFigure, localAwsCalls: boolean, actionsPerImage: number): CapacityFigure {
  return { ...figure, batch: { ...figure.batch, localAwsCalls, actionsPerImage } };
}

describe('the benchmarks report’s issue 13 goals', () => {
  const [tenTps, , fiftyTps] = recorded.capacity!;
  const results: BenchResults = {
    ...recorded,
    capacity: [
      measured(tenTps, false, 5.2),
      measured(tenTps, true, 1.08),
      measured(fiftyTps, false, 5.1),
      measured(fiftyTps, true, 1.12),
    ],
  };
  const table = goalsTable(results);

  it('judges actions per image on 1,000-image batches against ≤ 1.5, each path on its own', () => {
    expect(table).toContain(
      '| Temporal actions per image, LOCAL_AWS_CALLS=false | 5.10–5.20 over 2 batches of 1,000 images | ≤ 1.5 | **missed** |',
    );
    expect(table).toContain(
      '| Temporal actions per image, LOCAL_AWS_CALLS=true | 1.08–1.12 over 2 batches of 1,000 images | ≤ 1.5 | met |',
    );
  });

  it('judges the worst path’s actions per second at 200 images/s against Temporal Cloud’s default 500', () => {
    expect(table).toMatch(/actions\/s at 200 images\/s, LOCAL_AWS_CALLS=false \| 1040 .*\| \*\*missed\*\*/);
    expect(table).toMatch(/actions\/s at 200 images\/s, LOCAL_AWS_CALLS=true \| 224 .*\| met/);
  });

  it('judges the 50 TPS ratio against ≥ 0.90 and the overhead ratio against ≥ 0.85', () => {
    const ratio = fiftyTps.ratio.toFixed(3);
    expect(table).toContain(`| 50 TPS model's capacity reached, LOCAL_AWS_CALLS=true | ${ratio} (`);
    expect(table).toMatch(
      /orchestration overhead, LOCAL_AWS_CALLS=false: .* \| 0\.611 \(.*\| ≥ 0\.85 \| \*\*missed\*\*/,
    );
  });
});
