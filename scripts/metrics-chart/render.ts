import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';
import { METRIC } from '../../src/observability/metric-names';
import { parsePrometheus, sampleSum, type Sample } from '../../test/observability/prometheus-text';
import { chartSvg, linePanel, splitPanel, type Series } from './chart-svg';
import { scrapeDemoRun, type Scrape } from './scrape-demo-run';

/** Rates over this many seconds of scrapes: a half-second scrape counts too few images to be smooth. */
const WINDOW_SECONDS = 5;
/** Shown before the first DetectCustomLabels call and after the last: the stack's start-up is not. */
const MARGIN_SECONDS = 10;

interface Point {
  at: number;
  samples: Sample[];
}

type Reading = (point: Point) => number;

/** Δ`amount` / Δ`per` over the last window, at each scrape from the first full window on. */
function windowed(points: Point[], amount: Reading, per: Reading): Array<[number, number]> {
  const series: Array<[number, number]> = [];
  for (const [index, point] of points.entries()) {
    const from = points
      .slice(0, index)
      .reverse()
      .find((p) => point.at - p.at >= WINDOW_SECONDS);
    if (!from) continue;
    const over = per(point) - per(from);
    if (over !== 0) series.push([point.at, (amount(point) - amount(from)) / over]);
  }
  return series;
}

const elapsed: Reading = (point) => point.at;

/** The scrapes from shortly before the batch's first DetectCustomLabels call to shortly after its last, timed from there. */
function batchWindow(scrapes: Scrape[], calls: Reading): Point[] {
  const all = scrapes.map(({ at, text }) => ({ at, samples: parsePrometheus(text) }));
  const changed = all.filter((point, i) => i > 0 && calls(point) !== calls(all[i - 1]));
  const from = changed[0].at - MARGIN_SECONDS;
  const to = changed[changed.length - 1].at + MARGIN_SECONDS;
  return all
    .filter((point) => point.at >= from && point.at <= to)
    .map((point) => ({ ...point, at: point.at - from }));
}

const sum =
  (name: string): Reading =>
  (point) =>
    sampleSum(point.samples, name);

function render(scrapes: Scrape[]): { svg: string; caption: string } {
  const points = batchWindow(scrapes, sum(`${METRIC.detectLatency}_count`));
  // The batch's totals: its model time is recorded as it ends, after the stop.
  const last = { at: 0, samples: parsePrometheus(scrapes[scrapes.length - 1].text) };
  const labelled = sum(`${METRIC.imagesProcessed}_total`);
  const rejected = sum(`${METRIC.imagesFailed}_total`);
  const throughput: Series[] = [
    { name: 'labelled/s', colour: '#2e8b57', points: windowed(points, labelled, elapsed) },
    { name: 'rejected/s', colour: '#d9534f', points: windowed(points, rejected, elapsed) },
    {
      name: 'DetectCustomLabels calls/s',
      colour: '#2f6db5',
      points: windowed(points, sum(`${METRIC.detectLatency}_count`), elapsed),
    },
  ];
  const latency: Series[] = [
    {
      name: 'mean DetectCustomLabels latency',
      colour: '#2f6db5',
      points: windowed(points, sum(`${METRIC.detectLatency}_sum`), sum(`${METRIC.detectLatency}_count`)).map(
        ([at, seconds]) => [at, seconds * 1000],
      ),
    },
  ];
  const running = sum(`${METRIC.modelRunning}_sum`)(last);
  const busy = sum(`${METRIC.modelBusy}_sum`)(last);
  const idle = sum(`${METRIC.modelBilledIdle}_sum`)(last);
  const modelTime = splitPanel(
    920,
    'Model running: busy vs billed idle',
    `${running.toFixed(1)} s running (billed) for the batch`,
    [
      { name: 'busy (a call outstanding)', value: busy, colour: '#2e8b57' },
      { name: 'billed idle', value: idle, colour: '#d9534f' },
    ],
    's',
  );
  const caption = `Rendered from ${scrapes.length} scrapes of the worker's /metrics during one \`npm start\` batch: ${labelled(last)} labelled, ${rejected(last)} rejected (npm run docs:metrics-chart).`;
  const panels = [
    linePanel(0, 'Throughput', 'per second', throughput),
    linePanel(460, 'DetectCustomLabels latency', 'ms', latency),
    modelTime,
  ];
  return { svg: chartSvg(panels, caption), caption };
}

/** `npm run docs:metrics-chart`: docs/metrics-from-a-scrape.{svg,png} from a real local batch. */
async function main(): Promise<void> {
  const scrapes = await scrapeDemoRun((line) => console.error(line));
  const { svg, caption } = render(scrapes);
  const file = join(PROJECT_DIR, 'docs', 'metrics-from-a-scrape');
  writeFileSync(`${file}.svg`, svg);
  await sharp(Buffer.from(svg)).png().toFile(`${file}.png`);
  console.log(`${caption}\nwrote ${file}.svg and ${file}.png`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
