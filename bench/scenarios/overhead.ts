import type { BenchStack } from '../bench-stack';
import { loadAverage } from '../machine';
import { withModelRunning } from '../model-lifecycle';
import { startModelServer, type BenchModelServer } from '../model-server';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { runPlainPipeline } from '../plain-pipeline';
import { cpuMeter } from '../process-stats';
import { provisionScenario } from '../scenario-config';
import { seedImages } from '../seed-images';

export interface PlainRecord {
  imagesPerSecond: number;
  seconds: number;
  cpuSeconds: Record<string, number>;
  load: [number, number];
}

export interface OverheadFigure {
  images: number;
  concurrency: number;
  plain: PlainRecord;
  pipeline: BatchRecord;
  /** Pipeline images/s ÷ plain script images/s. */
  ratio: number;
}

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
 * only by themselves (and the shared S3/SQS emulator). The plain script and the pipeline each process
 * the same number of freshly uploaded images at the same concurrency, one after the other.
 */
export async function measureOverhead(
  stack: BenchStack,
  options: { images: number; concurrency: number },
  log: (line: string) => void,
): Promise<OverheadFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    log(`overhead: plain script, ${options.images} images, concurrency ${options.concurrency}`);
    const plain = await measurePlain(stack, modelServer, options);
    log(`  plain: ${plain.imagesPerSecond.toFixed(1)} images/s`);

    log(`overhead: pipeline, ${options.images} images, concurrency ${options.concurrency}`);
    const { record: pipeline } = await runPipelineScenario(
      stack,
      modelServer,
      {
        name: `overhead-c${options.concurrency}`,
        images: options.images,
        concurrency: options.concurrency,
        detectRateLimit: UNCAPPED_RATE,
        statusPollInterval: '250ms',
      },
      log,
    );
    const ratio = pipeline.metrics.imagesPerSecond / plain.imagesPerSecond;
    log(`  pipeline: ${pipeline.metrics.imagesPerSecond.toFixed(1)} images/s = ${ratio.toFixed(3)} × plain`);
    return { images: options.images, concurrency: options.concurrency, plain, pipeline, ratio };
  } finally {
    await modelServer.stop();
  }
}
