import { parseArgs } from 'node:util';
import { PROJECT_DIR } from '../src/local/stack/python-tools';

export const SCENARIOS = ['capacity', 'overhead', 'scale', 'empty', 'receivers'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** capacity: figures 1 and 2; overhead: 3; scale: 4; empty: 5. */
  only: ScenarioName[];
  /** Images per capacity batch and per side of the overhead comparison. */
  images: number;
  capacities: number[];
  /** Messages in flight per capacity batch, as a multiple of its capacity. */
  concurrencyPerTps: number;
  /** DETECT_RATE_LIMIT of the capacity batches, as a multiple of the capacity. */
  rateLimitPerTps: number;
  modelStartMs: number;
  statusPollInterval: string;
  /** Concurrency of the overhead comparison and of the scale batch (the product default is 10). */
  concurrency: number;
  scaleImages: number;
  /** Receivers of the fanned-out batch of the receivers scenario (compared with one). */
  receivers: number;
  /** Where BENCHMARKS.md, BENCHMARKS.json and BENCHMARKS.png are written. */
  out: string;
}

const USAGE = `npm run bench [-- options]
  --only capacity,overhead,scale,empty,receivers   scenarios to run (default: all)
  --images N            images per capacity batch and per overhead side (default 1000)
  --capacities 10,25,50 model capacities in transactions/s (default 10,25,50)
  --concurrency-per-tps N  capacity batches' CONCURRENCY = N × capacity (default 4)
  --rate-limit-per-tps N   capacity batches' DETECT_RATE_LIMIT = N × capacity (default 1.2)
  --model-start-ms N    model STARTING → RUNNING in the capacity batches (default 7000)
  --status-poll-interval D STATUS_POLL_INTERVAL of the capacity batches (default 5s)
  --concurrency N       CONCURRENCY of the overhead and scale batches (default 20)
  --scale-images N      images in the scale batch (default 20000)
  --receivers N         RECEIVERS of the receivers scenario's fanned-out batch (default 3)
  --out DIR             where BENCHMARKS.{md,json,png} go (default: the project folder)`;

function positiveNumber(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} takes a positive number, not ${text}\n${USAGE}`);
  return value;
}

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string', default: SCENARIOS.join(',') },
      images: { type: 'string', default: '1000' },
      capacities: { type: 'string', default: '10,25,50' },
      'concurrency-per-tps': { type: 'string', default: '4' },
      'rate-limit-per-tps': { type: 'string', default: '1.2' },
      'model-start-ms': { type: 'string', default: '7000' },
      'status-poll-interval': { type: 'string', default: '5s' },
      concurrency: { type: 'string', default: '20' },
      'scale-images': { type: 'string', default: '20000' },
      receivers: { type: 'string', default: '3' },
      out: { type: 'string', default: PROJECT_DIR },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const only = values.only.split(',').map((name) => name.trim());
  const unknown = only.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new Error(`unknown scenario(s) ${unknown.join(', ')}\n${USAGE}`);
  return {
    only: only as ScenarioName[],
    images: positiveNumber('images', values.images),
    capacities: values.capacities.split(',').map((text) => positiveNumber('capacities', text)),
    concurrencyPerTps: positiveNumber('concurrency-per-tps', values['concurrency-per-tps']),
    rateLimitPerTps: positiveNumber('rate-limit-per-tps', values['rate-limit-per-tps']),
    modelStartMs: positiveNumber('model-start-ms', values['model-start-ms']),
    statusPollInterval: values['status-poll-interval'],
    concurrency: positiveNumber('concurrency', values.concurrency),
    scaleImages: positiveNumber('scale-images', values['scale-images']),
    receivers: positiveNumber('receivers', values.receivers),
    out: values.out,
  };
}
