import type { BenchStack } from '../bench-stack';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { busiestWindow, workerShares } from '../worker-shares';
import { startUncappedModelServer } from './overhead';

/** The window the busiest detect dispatch is counted over. */
const BURST_WINDOW_MS = 5_000;

export interface SharedWorkersRun {
  workers: number;
  batch: BatchRecord;
  /** DetectCustomLabels attempts dispatched per second, first to last, across every worker. */
  detectsPerSecond: number;
  /** The most dispatched in any 5 s, against the limit's 5 s worth. */
  busiestFiveSeconds: number;
}

export interface SharedWorkersFigure {
  images: number;
  receivers: number;
  detectRateLimit: number;
  runs: SharedWorkersRun[];
}

/**
 * Scale-out across processes: one fanned-out batch (activities path) shared by `workers` worker
 * processes polling the same task queues, under a DETECT_RATE_LIMIT this machine can exceed, so that
 * the limit binds. Shows how the workflow and activity tasks spread across the processes and that the
 * server enforces one rate for all of them. Correctness, not speed: two cores cannot show a speed-up.
 * (Killing one mid-batch is the fault suite's: test/faults/workers-share-batch.test.ts.)
 */
export async function measureSharedWorkers(
  stack: BenchStack,
  options: { images: number; receivers: number; rateLimit: number; concurrency: number; workers: number[] },
  log: (line: string) => void,
): Promise<SharedWorkersFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    const runs: SharedWorkersRun[] = [];
    for (const workers of options.workers) {
      log(
        `workers: ${workers} processes, ${options.images} images, RECEIVERS ${options.receivers}, DETECT_RATE_LIMIT ${options.rateLimit}`,
      );
      const { record: batch, history } = await runPipelineScenario(
        stack,
        modelServer,
        {
          name: `workers-${workers}`,
          images: options.images,
          concurrency: options.concurrency,
          detectRateLimit: options.rateLimit,
          statusPollInterval: '250ms',
          receivers: options.receivers,
          localAwsCalls: false,
          workers,
        },
        log,
      );
      const detects = workerShares(history.histories).detectStartedAt;
      const spanSeconds = ((detects.at(-1) ?? 0) - (detects[0] ?? 0)) / 1000;
      const run: SharedWorkersRun = {
        workers,
        batch,
        detectsPerSecond: (detects.length - 1) / spanSeconds,
        busiestFiveSeconds: busiestWindow(detects, BURST_WINDOW_MS),
      };
      log(
        `  ${batch.metrics.imagesPerSecond.toFixed(1)} images/s; detect ${run.detectsPerSecond.toFixed(2)}/s (limit ${options.rateLimit}), busiest 5 s ${run.busiestFiveSeconds}; tasks by worker: ` +
          Object.entries(batch.workerShares ?? {})
            .map(
              ([name, share]) => `${name} ${share.workflowTasks} workflow + ${share.activityTasks} activity`,
            )
            .join(', '),
      );
      runs.push(run);
    }
    return {
      images: options.images,
      receivers: options.receivers,
      detectRateLimit: options.rateLimit,
      runs,
    };
  } finally {
    await modelServer.stop();
  }
}
