import type { BenchStack } from '../bench-stack';
import { rate } from '../batch-metrics';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { startUncappedModelServer, UNCAPPED_RATE } from './overhead';

/**
 * Temporal's hard limit on one run's history, in events: "History total count limit" on
 * https://docs.temporal.io/self-hosted-guide/defaults (the server terminates a run that reaches it).
 */
export const HISTORY_EVENT_LIMIT = 51_200;
const SLICE = 1_000;

export interface ScaleFigure {
  batch: BatchRecord;
  firstThousandImagesPerSecond: number;
  lastThousandImagesPerSecond: number;
  /** Last thousand ÷ first thousand: below 1, the batch slows as it grows. */
  ratio: number;
  maxEventsPerRun: number;
  historyEventLimit: number;
}

/**
 * One large batch against the uncapped model: does throughput hold from the first thousand images to
 * the last, how much memory the worker needs, and how continue-as-new keeps each run's history small.
 */
export async function measureScale(
  stack: BenchStack,
  options: { images: number; concurrency: number },
  log: (line: string) => void,
): Promise<ScaleFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    log(
      `scale: ${options.images} images, concurrency ${options.concurrency}, LOCAL_AWS_CALLS true (the default)`,
    );
    const { record: batch, history } = await runPipelineScenario(
      stack,
      modelServer,
      {
        name: 'scale',
        images: options.images,
        concurrency: options.concurrency,
        detectRateLimit: UNCAPPED_RATE,
        statusPollInterval: '250ms',
        localAwsCalls: true,
      },
      log,
    );
    const done = history.messageDoneAt;
    const slice = Math.min(SLICE, Math.floor(done.length / 2));
    // The first slice is timed from the first receive; the last from the message finished just before it.
    const first = rate(slice, history.firstReceiveAt ?? Number.NaN, done[slice - 1]);
    const last = rate(slice, done[done.length - slice - 1], done[done.length - 1]);
    const maxEventsPerRun = Math.max(...batch.eventsPerRun);
    log(
      `  first ${slice}: ${first.toFixed(1)} images/s, last ${slice}: ${last.toFixed(1)} images/s (${(last / first).toFixed(3)}); ` +
        `worker peak ${batch.workerPeakMiB.toFixed(0)} MiB; ${batch.eventsPerRun.length} runs, at most ${maxEventsPerRun} events; ` +
        `${batch.continuedAsNew} continue-as-new`,
    );
    return {
      batch,
      firstThousandImagesPerSecond: first,
      lastThousandImagesPerSecond: last,
      ratio: last / first,
      maxEventsPerRun,
      historyEventLimit: HISTORY_EVENT_LIMIT,
    };
  } finally {
    await modelServer.stop();
  }
}
