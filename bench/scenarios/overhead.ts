import { freePort } from '../../src/local/stack/free-port';
import { METRIC } from '../../src/observability/metric-names';
import type { BenchStack } from '../bench-stack';
import { loadAverage } from '../machine';
import { withModelRunning } from '../model-lifecycle';
import { startModelServer, type BenchModelServer } from '../model-server';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { runPlainPipeline } from '../plain-pipeline';
import { cpuMeter } from '../process-stats';
import { awsCallsPath, provisionScenario } from '../scenario-config';
import { seedImages } from '../seed-images';

export interface PlainRecord {
  imagesPerSecond: number;
  seconds: number;
  cpuSeconds: Record<string, number>;
  load: [number, number];
}

/** The same pipeline batch again, its worker's Prometheus endpoint on and scraped throughout. */
export interface MetricsOnRecord {
  pipeline: BatchRecord;
  scrapes: number;
  /** Images/s with the endpoint on ÷ images/s with it off (the pipeline of the same LOCAL_AWS_CALLS). */
  ratio: number;
}

/** The pipeline with one LOCAL_AWS_CALLS setting against the plain script. */
export interface OverheadPipeline {
  pipeline: BatchRecord;
  /** Pipeline images/s ÷ plain script images/s. */
  ratio: number;
}

/** The goal of issue 13: the pipeline at least this fraction of the plain script's images/s. */
export const OVERHEAD_GOAL = 0.85;

export interface OverheadFigure {
  images: number;
  concurrency: number;
  plain: PlainRecord;
  /** One per LOCAL_AWS_CALLS value measured, in the order run. */
  pipelines: OverheadPipeline[];
  /** Absent from results measured before it was. */
  metricsOn?: MetricsOnRecord;
}

/** Prometheus scrapes every 15 s by default: once a second is a harsher test of the endpoint's cost. */
const SCRAPE_INTERVAL_MS = 1_000;

/** The highest rate DETECT_RATE_LIMIT accepts: no cap in practice. */
export const UNCAPPED_RATE = 10_000;

/** A model server that answers at once and never throttles: only the orchestration is measured. */
export function startUncappedModelServer(stack: BenchStack): Promise<BenchModelServer> {
  return startModelServer({
    modelsDir: stack.modelsDir,
    s3Endpoint: stack.moto.endpoint,
    startDelayMs: 1_000,
    stopDelayMs: 500,
    transactionsPerSecondPerInferenceUnit: 1_000_000,
    benchmarkInstantInference: true,
  });
}

async function measurePlain(
  stack: BenchStack,
  modelServer: BenchModelServer,
  options: { images: number; concurrency: number },
): Promise<PlainRecord> {
  const { config, clients } = await provisionScenario(stack, {
    name: `plain-c${options.concurrency}`,
    modelServerUrl: modelServer.url,
    concurrency: options.concurrency,
    detectRateLimit: UNCAPPED_RATE,
    localAwsCalls: false, // not read: the plain script has no workflow
  });
  try {
    await seedImages(clients, { bucket: config.sourceBucket, queueUrl: config.queueUrl }, options.images);
    return await withModelRunning(clients.rekognition, config.projectVersionArn, async () => {
      const loadBefore = loadAverage();
      const cpu = cpuMeter({ ...stack.pids, model: modelServer.pid });
      const run = await runPlainPipeline(clients, config);
      const cpuSeconds = cpu.stop();
      const seconds = (run.lastMessageDoneAt - run.startedAt) / 1000;
      return {
        imagesPerSecond: run.messages / seconds,
        seconds,
        cpuSeconds,
        load: [loadBefore, loadAverage()],
      };
    });
  } finally {
    clients.destroy();
  }
}

/**
 * Orchestration overhead: the model answers instantly with no throughput cap, so both sides are limited
 * only by themselves (and the shared S3/SQS emulator). The plain script and the pipeline (once per
 * LOCAL_AWS_CALLS value) each process the same number of freshly uploaded images at the same
 * concurrency, one after the other; then the first pipeline again with its metrics endpoint scraped.
 */
export async function measureOverhead(
  stack: BenchStack,
  options: { images: number; concurrency: number; localAwsCalls: boolean[] },
  log: (line: string) => void,
): Promise<OverheadFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    log(`overhead: plain script, ${options.images} images, concurrency ${options.concurrency}`);
    const plain = await measurePlain(stack, modelServer, options);
    log(`  plain: ${plain.imagesPerSecond.toFixed(1)} images/s`);

    const pipelines: OverheadPipeline[] = [];
    for (const localAwsCalls of options.localAwsCalls) {
      log(
        `overhead: pipeline, ${options.images} images, concurrency ${options.concurrency}, LOCAL_AWS_CALLS ${localAwsCalls}`,
      );
      const { record: pipeline } = await runPipelineScenario(
        stack,
        modelServer,
        {
          name: `overhead-c${options.concurrency}-${awsCallsPath(localAwsCalls)}`,
          images: options.images,
          concurrency: options.concurrency,
          detectRateLimit: UNCAPPED_RATE,
          statusPollInterval: '250ms',
          localAwsCalls,
        },
        log,
      );
      const ratio = pipeline.metrics.imagesPerSecond / plain.imagesPerSecond;
      log(
        `  pipeline: ${pipeline.metrics.imagesPerSecond.toFixed(1)} images/s = ${ratio.toFixed(3)} × plain (goal ≥ ${OVERHEAD_GOAL})`,
      );
      pipelines.push({ pipeline, ratio });
    }

    const [first] = pipelines;
    log(`overhead: pipeline with the metrics endpoint on, scraped every ${SCRAPE_INTERVAL_MS / 1000} s`);
    const on = await pipelineWithMetricsOn(
      stack,
      modelServer,
      options,
      first.pipeline.localAwsCalls ?? false,
      log,
    );
    const metricsOn = {
      ...on,
      ratio: on.pipeline.metrics.imagesPerSecond / first.pipeline.metrics.imagesPerSecond,
    };
    log(
      `  metrics on: ${on.pipeline.metrics.imagesPerSecond.toFixed(1)} images/s = ${metricsOn.ratio.toFixed(3)} × metrics off (${on.scrapes} scrapes)`,
    );
    return { images: options.images, concurrency: options.concurrency, plain, pipelines, metricsOn };
  } finally {
    await modelServer.stop();
  }
}

/** The overhead batch again with METRICS_BIND_ADDRESS set, scraping it until the batch ends. */
async function pipelineWithMetricsOn(
  stack: BenchStack,
  modelServer: BenchModelServer,
  options: { images: number; concurrency: number },
  localAwsCalls: boolean,
  log: (line: string) => void,
): Promise<Omit<MetricsOnRecord, 'ratio'>> {
  const metricsBindAddress = `127.0.0.1:${await freePort()}`;
  let scrapes = 0;
  let lastScrape = '';
  const scraper = setInterval(() => {
    fetch(`http://${metricsBindAddress}/metrics`)
      .then((response) => response.text())
      .then((text) => {
        scrapes += 1;
        lastScrape = text;
      })
      .catch(() => undefined);
  }, SCRAPE_INTERVAL_MS);
  try {
    const { record } = await runPipelineScenario(
      stack,
      modelServer,
      {
        name: `overhead-metrics-c${options.concurrency}`,
        images: options.images,
        concurrency: options.concurrency,
        detectRateLimit: UNCAPPED_RATE,
        statusPollInterval: '250ms',
        metricsBindAddress,
        localAwsCalls,
      },
      log,
    );
    // The endpoint really served the pipeline's metrics while the batch ran.
    if (!lastScrape.includes(`${METRIC.imagesProcessed}_total`)) {
      throw new Error(
        `the metrics endpoint ${metricsBindAddress} served no pipeline metrics during the batch`,
      );
    }
    return { pipeline: record, scrapes };
  } finally {
    clearInterval(scraper);
  }
}
