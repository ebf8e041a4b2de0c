import type { BatchActivities } from '../../src/activities';
import { createQueueActivities } from '../../src/activities/queue';
import type { BenchStack } from '../bench-stack';
import { runPipelineScenario, type BatchRecord } from '../pipeline-scenario';
import { provisionScenario } from '../scenario-config';
import { startUncappedModelServer } from './overhead';

/** Every activity that calls the model's API. */
const MODEL_ACTIVITIES: Array<keyof BatchActivities> = [
  'describeModel',
  'startModel',
  'stopModel',
  'detectCustomLabels',
];

export interface EmptyQueueFigure {
  batch: BatchRecord;
  /** Trigger to the completed run's result in hand. */
  triggerToCompletedSeconds: number;
  /** Model API activities in the run's history, plus model starts the server recorded. */
  modelCalls: number;
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
      { name: 'empty', images: 0, concurrency: 10, detectRateLimit: 5 },
      log,
    );
    const usage = await modelServer.usage(stack.projectVersionArn);
    const modelCalls =
      MODEL_ACTIVITIES.reduce((total, type) => total + (batch.activities[type] ?? 0), 0) +
      (usage?.totals.starts ?? 0);
    const ratio = batch.triggerToResultSeconds / plainQueueCountSeconds;
    log(
      `  trigger to completed run ${batch.triggerToResultSeconds.toFixed(2)} s (plain count ${(plainQueueCountSeconds * 1000).toFixed(1)} ms), ` +
        `${modelCalls} model calls`,
    );
    return {
      batch,
      triggerToCompletedSeconds: batch.triggerToResultSeconds,
      modelCalls,
      plainQueueCountSeconds,
      ratio,
    };
  } finally {
    await modelServer.stop();
  }
}
