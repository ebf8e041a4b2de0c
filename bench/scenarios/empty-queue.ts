import type { BatchActivities } from '../../src/activities';
import { createQueueActivities } from '../../src/activities/queue';
import type { BenchStack } from '../bench-stack';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { provisionScenario } from '../scenario-config';
import { startUncappedModelServer } from './overhead';

/**
 * The model calls that start billing or need a running model. DescribeProjectVersions is free and reads
 * nothing billed: an empty-queue batch makes one, to stop a model a terminated run left up.
 */
const BILLED_MODEL_ACTIVITIES: Array<keyof BatchActivities> = [
  'startModel',
  'stopModel',
  'detectCustomLabels',
];

export interface EmptyQueueFigure {
  batch: BatchRecord;
  /** Trigger to the completed run's result in hand. */
  triggerToCompletedSeconds: number;
  /** Start, stop and detect activities in the run's history, plus starts and inferences the server recorded. */
  modelCalls: number;
  /** DescribeProjectVersions activities in the run's history (free). */
  modelDescribes: number;
  /** The baseline: one queue count (the only call an empty batch needs) from a plain script. */
  plainQueueCountSeconds: number;
  /** Pipeline ÷ baseline. */
  ratio: number;
}

/** A batch triggered over an empty queue must end quickly without touching the model. */
export async function measureEmptyQueue(
  stack: BenchStack,
  log: (line: string) => void,
): Promise<EmptyQueueFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    log('empty queue: baseline, one queue count from a script');
    const plain = await provisionScenario(stack, {
      name: 'empty-plain',
      modelServerUrl: modelServer.url,
      concurrency: 10,
      detectRateLimit: 5,
      localAwsCalls: false,
    });
    const queue = createQueueActivities(plain.clients);
    // The worker's clients are warm when a batch starts: the baseline's connection is opened first too.
    await queue.countQueuedMessages(plain.config.queueUrl);
    const counting = performance.now();
    await queue.countQueuedMessages(plain.config.queueUrl);
    const plainQueueCountSeconds = (performance.now() - counting) / 1000;
    plain.clients.destroy();

    log('empty queue: pipeline, one scheduled batch');
    const { record: batch } = await runPipelineScenario(
      stack,
      modelServer,
      { name: 'empty', images: 0, concurrency: 10, detectRateLimit: 5, localAwsCalls: false },
      log,
    );
    const usage = await modelServer.usage(stack.projectVersionArn);
    const modelCalls =
      BILLED_MODEL_ACTIVITIES.reduce((total, type) => total + (batch.activities[type] ?? 0), 0) +
      (usage?.totals.starts ?? 0) +
      (usage?.totals.inferences ?? 0);
    const modelDescribes = batch.activities.describeModel ?? 0;
    const ratio = batch.triggerToResultSeconds / plainQueueCountSeconds;
    log(
      `  trigger to completed run ${batch.triggerToResultSeconds.toFixed(2)} s (plain count ${(plainQueueCountSeconds * 1000).toFixed(1)} ms), ` +
        `${modelCalls} model calls (start, stop, detect), ${modelDescribes} describe`,
    );
    return {
      batch,
      triggerToCompletedSeconds: batch.triggerToResultSeconds,
      modelCalls,
      modelDescribes,
      plainQueueCountSeconds,
      ratio,
    };
  } finally {
    await modelServer.stop();
  }
}
