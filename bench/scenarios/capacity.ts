import type { BenchStack } from '../bench-stack';
import { detectDispatch, type DetectDispatch } from '../detect-dispatch';
import { startModelServer } from '../model-server';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { awsCallsPath } from '../scenario-config';
import { replacedDesignBill, type ReplacedDesignBill } from '../../src/cost/replaced-design';

export interface CapacityFigure {
  /** DetectCustomLabels transactions/s the model serves (1 inference unit). */
  capacity: number;
  /** How long each call occupies the model, which serves one at a time (1/capacity s). */
  inferenceMs: number;
  modelStartSeconds: number;
  batch: BatchRecord;
  /** images/s ÷ capacity. */
  ratio: number;
  /** Images that ended failed (throttling is retried, so any here would be throttling that won). */
  imagesFailed: number;
  /** How the detect task queue fed the model: the rate limiter's own throughput. */
  detectDispatch: DetectDispatch;
  /** What the replaced design's fixed waits bill for the same batch. */
  replacedDesign: ReplacedDesignBill;
}

export interface CapacityOptions {
  images: number;
  /** How long the model takes from STARTING to RUNNING. */
  modelStartMs: number;
  statusPollInterval: string;
  /** Messages in flight per batch, as a multiple of the capacity (never below the product default, 10). */
  concurrencyPerTps: number;
  /** DETECT_RATE_LIMIT as a multiple of the capacity. */
  rateLimitPerTps: number;
  localAwsCalls: boolean;
}

/**
 * Throughput against capacity, and billed-but-idle time, in one batch per capacity: the model (benchmark
 * mode) serves `capacity` calls/s on 1 inference unit, throttles above, and works on one call at a
 * time for 1/capacity s each, so a model fed at its capacity is busy all the time, as a real one is. The
 * pipeline runs with DETECT_RATE_LIMIT = capacity × `rateLimitPerTps`.
 */
export async function measureCapacity(
  stack: BenchStack,
  capacity: number,
  options: CapacityOptions,
  log: (line: string) => void,
): Promise<CapacityFigure> {
  const inferenceMs = 1000 / capacity;
  const modelServer = await startModelServer({
    modelsDir: stack.modelsDir,
    s3Endpoint: stack.moto.endpoint,
    startDelayMs: options.modelStartMs,
    stopDelayMs: 2_000,
    transactionsPerSecondPerInferenceUnit: capacity,
    benchmarkInstantInference: true,
    benchmarkInferenceMs: inferenceMs,
  });
  try {
    const concurrency = Math.max(10, Math.ceil(capacity * options.concurrencyPerTps));
    log(
      `capacity ${capacity}/s: ${options.images} images, concurrency ${concurrency}, LOCAL_AWS_CALLS ${options.localAwsCalls}`,
    );
    const { record: batch, history } = await runPipelineScenario(
      stack,
      modelServer,
      {
        name: `capacity-${capacity}-${awsCallsPath(options.localAwsCalls)}`,
        images: options.images,
        concurrency,
        detectRateLimit: Math.round(capacity * options.rateLimitPerTps * 100) / 100,
        statusPollInterval: options.statusPollInterval,
        localAwsCalls: options.localAwsCalls,
      },
      log,
    );
    const { metrics } = batch;
    const ratio = metrics.imagesPerSecond / capacity;
    const dispatch = detectDispatch(history);
    log(
      `  ${metrics.imagesPerSecond.toFixed(2)} images/s = ${ratio.toFixed(3)} × capacity (target ≥ 0.95), ` +
        `${metrics.throttled} calls throttled, ${batch.counts.failed} images failed; ` +
        `detect tasks waiting ${dispatch.backlogSeconds.toFixed(0)} s of ${metrics.processingSeconds.toFixed(0)} s; ` +
        `idle ${metrics.idleSeconds.toFixed(1)} s of ${metrics.runningSeconds.toFixed(1)} s RUNNING (target ≤ 10 s)`,
    );
    return {
      capacity,
      inferenceMs,
      modelStartSeconds: options.modelStartMs / 1000,
      batch,
      ratio,
      imagesFailed: batch.counts.failed,
      detectDispatch: dispatch,
      replacedDesign: replacedDesignBill({
        modelStartSeconds: options.modelStartMs / 1000,
        processingSeconds: metrics.processingSeconds,
        busySeconds: metrics.busySeconds,
      }),
    };
  } finally {
    await modelServer.stop();
  }
}
