import { parseArgs } from 'node:util';
import { PROJECT_DIR } from '../src/local/stack/python-tools';

export const SCENARIOS = ['capacity', 'overhead', 'scale', 'empty', 'receivers', 'workers'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface BenchOptions {
  /** capacity: figures 1 and 2; overhead: 3; scale: 4; empty: 5; receivers: 7; workers: 8. */
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
  /** Receivers of the fanned-out batch of the receivers and workers scenarios (compared with one). */
  receivers: number;
  /**
   * LOCAL_AWS_CALLS values the capacity, overhead and receivers scenarios each run with, side by side;
   * scale, empty and workers run the activities path (false), the one the fault suite runs.
   */
  localAwsCalls: boolean[];
  /** Worker processes sharing one batch in the workers scenario, one batch per count. */
  workers: number[];
  /** Images per batch of the workers scenario. */
  workersImages: number;
  /** DETECT_RATE_LIMIT of the workers scenario: below what the machine reaches, so that it binds. */
  workersRateLimit: number;
  /** Where BENCHMARKS.md, BENCHMARKS.json and BENCHMARKS.png are written. */
  out: string;
}

const USAGE = `npm run bench [-- options]
  --only capacity,overhead,scale,empty,receivers,workers   scenarios to run (default: all)
  --images N            images per capacity batch and per overhead side (default 1000)
  --capacities 10,25,50 model capacities in transactions/s (default 10,25,50)
  --concurrency-per-tps N  capacity batches' CONCURRENCY = N × capacity (default 4)
  --rate-limit-per-tps N   capacity batches' DETECT_RATE_LIMIT = N × capacity (default 1.2)
  --model-start-ms N    model STARTING → RUNNING in the capacity batches (default 7000)
  --status-poll-interval D STATUS_POLL_INTERVAL of the capacity batches (default 5s)
  --concurrency N       CONCURRENCY of the overhead and scale batches (default 20)
  --scale-images N      images in the scale batch (default 20000)
  --receivers N         RECEIVERS of the receivers and workers scenarios' fanned-out batches (default 3)
  --local-aws-calls false,true  LOCAL_AWS_CALLS of the capacity, overhead and receivers batches, each
                        value side by side (default false,true); the other scenarios run false
  --workers 2,3         worker processes sharing one batch in the workers scenario (default 2,3)
  --workers-images N    images per batch of the workers scenario (default 480)
  --workers-rate-limit N  DETECT_RATE_LIMIT of the workers scenario (default 8)
  --out DIR             where BENCHMARKS.{md,json,png} go (default: the project folder)`;

function booleanText(name: string, text: string): boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  throw new Error(`--${name} takes true or false, not ${text}\n${USAGE}`);
}

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
      'local-aws-calls': { type: 'string', default: 'false,true' },
      workers: { type: 'string', default: '2,3' },
      'workers-images': { type: 'string', default: '480' },
      'workers-rate-limit': { type: 'string', default: '8' },
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
    localAwsCalls: values['local-aws-calls'].split(',').map((text) => booleanText('local-aws-calls', text)),
    workers: values.workers.split(',').map((text) => positiveNumber('workers', text)),
    workersImages: positiveNumber('workers-images', values['workers-images']),
    workersRateLimit: positiveNumber('workers-rate-limit', values['workers-rate-limit']),
    out: values.out,
  };
}
