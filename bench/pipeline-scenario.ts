import { durationText } from '../src/workflows/duration-text';
import type { BatchCost } from '../src/cost/batch-cost';
import type { TemporalActions } from '../src/cost/temporal-actions';
import type { BatchCounts } from '../src/workflows/batch-types';
import type { BatchHistory } from './batch-history';
import { batchMetrics, type BatchMetrics } from './batch-metrics';
import type { BenchStack } from './bench-stack';
import { loadAverage } from './machine';
import type { BenchModelServer } from './model-server';
import { runPipelineBatch } from './pipeline-batch';
import { cpuMeter, residentMiB, watchPeakMemory } from './process-stats';
import { provisionScenario, type ScenarioSettings } from './scenario-config';
import { seedImages } from './seed-images';
import { startWorkerProcess, type WorkerProcess } from './worker-process';
import { workerShares, type WorkerShare } from './worker-shares';

/** What one pipeline batch measured, small enough for the results file. */
export interface BatchRecord {
  name: string;
  images: number;
  concurrency: number;
  detectRateLimit: number;
  statusPollInterval: string;
  /** CONTINUE_AS_NEW_AFTER_EVENTS: the history budget of each run (absent from results recorded before). */
  continueAsNewAfterEvents?: number;
  /** LOCAL_AWS_CALLS (absent from results recorded before it existed: the activities path). */
  localAwsCalls?: boolean;
  counts: BatchCounts;
  continuedAsNew: number;
  /** History length of each run of the continue-as-new chain. */
  eventsPerRun: number[];
  /** Activities scheduled, by type, across the chain. */
  activities: Record<string, number>;
  /** Temporal Cloud billable actions (absent from results recorded before they were counted). */
  actions?: TemporalActions;
  actionsPerImage?: number;
  /** Its cost with its parts and the replaced design's (absent from results recorded before). */
  cost?: BatchCost;
  /** Trigger to result in hand, as `run` sees it. */
  triggerToResultSeconds: number;
  metrics: BatchMetrics;
  /** Worker resident memory when ready (before the batch) and its peak during the batch. */
  workerIdleMiB: number;
  workerPeakMiB: number;
  /** CPU seconds per process during the batch: where the machine's two cores went. */
  cpuSeconds: Record<string, number>;
  /** What each worker process ran, by its name in `cpuSeconds` (absent from results recorded before). */
  workerShares?: Record<string, WorkerShare>;
  /** 1-minute load average before and after the batch. */
  load: [number, number];
}

export interface PipelineSettings extends Omit<ScenarioSettings, 'modelServerUrl'> {
  images: number;
  /** Worker processes polling the batch's task queues; 1 when omitted. */
  workers?: number;
}

/** Worker processes are named `worker`, `worker-2`, … in the CPU figures and the shares. */
const workerName = (index: number) => (index === 0 ? 'worker' : `worker-${index + 1}`);

export interface PipelineScenarioResult {
  record: BatchRecord;
  history: BatchHistory;
}

/**
 * One pipeline scenario end to end: fresh buckets and queues, `images` uploads (one S3 event each),
 * the production worker in its own process, one batch triggered through the schedule and followed to
 * its end.
 */
export async function runPipelineScenario(
  stack: BenchStack,
  modelServer: BenchModelServer,
  settings: PipelineSettings,
  log: (line: string) => void,
): Promise<PipelineScenarioResult> {
  const { config, env, clients } = await provisionScenario(stack, {
    ...settings,
    modelServerUrl: modelServer.url,
  });
  try {
    const seeding = Date.now();
    if (settings.images > 0) {
      await seedImages(clients, { bucket: config.sourceBucket, queueUrl: config.queueUrl }, settings.images);
    }
    log(`  ${settings.images} images queued in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
    const workers: WorkerProcess[] = [];
    try {
      for (let index = 0; index < (settings.workers ?? 1); index += 1) {
        workers.push(await startWorkerProcess(stack.client, config, env));
      }
      const [worker] = workers;
      const workerPids = Object.fromEntries(
        workers.map((process, index) => [workerName(index), process.pid]),
      );
      const load: [number, number] = [loadAverage(), 0];
      const workerIdleMiB = residentMiB(worker.pid) ?? 0;
      const memory = watchPeakMemory(worker.pid);
      const cpu = cpuMeter({ ...stack.pids, ...workerPids, model: modelServer.pid });
      const batch = await runPipelineBatch(stack.client, config, log);
      const cpuSeconds = cpu.stop();
      const workerPeakMiB = memory.stop();
      load[1] = loadAverage();
      const usage = await modelServer.usage(config.projectVersionArn);
      const modelIntervals = (usage?.intervals ?? []).filter(
        (interval) => interval.startedAt >= batch.triggeredAt,
      );
      const { history, summary } = batch;
      return {
        history,
        record: {
          name: settings.name,
          images: settings.images,
          concurrency: config.concurrency,
          detectRateLimit: config.detectRateLimit,
          statusPollInterval: durationText(config.statusPollIntervalMs),
          continueAsNewAfterEvents: config.continueAsNewAfterEvents,
          localAwsCalls: config.localAwsCalls,
          counts: summary.counts,
          continuedAsNew: summary.continuedAsNew,
          eventsPerRun: history.eventsPerRun,
          activities: history.activities,
          actions: history.actions,
          actionsPerImage: history.actionsPerImage,
          cost: history.cost,
          triggerToResultSeconds: (batch.resultAt - batch.triggeredAt) / 1000,
          metrics: batchMetrics(history, modelIntervals),
          workerIdleMiB,
          workerPeakMiB,
          cpuSeconds,
          workerShares: sharesByName(workerShares(history.histories).byIdentity, workerPids),
          load,
        },
      };
    } finally {
      for (const worker of workers) await worker.stop();
    }
  } finally {
    clients.destroy();
  }
}

/** Each worker process's share under its name (a worker's identity is `<pid>@<host>`, the SDK's default). */
function sharesByName(
  byIdentity: Record<string, WorkerShare>,
  pids: Record<string, number>,
): Record<string, WorkerShare> {
  const names = new Map(Object.entries(pids).map(([name, pid]) => [String(pid), name]));
  return Object.fromEntries(
    Object.entries(byIdentity).map(([identity, share]) => [
      names.get(identity.slice(0, identity.indexOf('@'))) ?? identity,
      share,
    ]),
  );
}
