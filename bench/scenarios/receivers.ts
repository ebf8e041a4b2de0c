import type { Client } from '@temporalio/client';
import { receiversFor } from '../../src/workflows/receiver-plan';
import { fetchBatchHistories } from '../../src/cost/batch-histories';
import { timelineOf, type RunTimeline } from '../batch-history';
import type { BenchStack } from '../bench-stack';
import { runPipelineScenario } from '../pipeline-scenario';
import { awsCallsPath } from '../scenario-config';
import { startUncappedModelServer, UNCAPPED_RATE } from './overhead';

/**
 * What Temporal documents for one workflow execution (no events/s figure: the bounds are its history
 * and its operations in flight, and one execution records its events one workflow task at a time).
 */
export const EXECUTION_GUIDANCE = [
  'https://docs.temporal.io/workflow-execution/limits: history limited to 51,200 events or 50 MB, warning from 10,240 events or 10 MB; at most 2,000 incomplete activities, child workflows, signals or cancellation requests per execution',
  'https://docs.temporal.io/design-patterns/fanout-child-workflows: at most 2,000 in-flight activities per run (aim for 500)',
  'https://docs.temporal.io/evaluate/features/child-workflows: partition a large workload, each child has its own event history',
];
/**
 * Temporal Cloud's default rate limit per namespace, in billable actions per second: "Default limit: 500
 * actions per second (APS)", https://docs.temporal.io/cloud/limits (raised on request or by capacity mode).
 */
export const NAMESPACE_ACTIONS_PER_SECOND = 500;
export const NAMESPACE_ACTIONS_SOURCE = 'https://docs.temporal.io/cloud/limits';
/** The model the issue sizes for: 20 inference units × 10 TPS. */
export const TARGET_IMAGES_PER_SECOND = 200;

export interface ExecutionRate {
  workflowId: string;
  runs: number;
  events: number;
  seconds: number;
  eventsPerSecond: number;
}

export interface ReceiversRun {
  receivers: number;
  localAwsCalls: boolean;
  images: number;
  imagesPerSecond: number;
  /** Events of every execution of the batch (its own and its receivers'), per image. */
  eventsPerImage: number;
  executions: ExecutionRate[];
  /** The busiest execution's events per second. */
  maxEventsPerSecondPerExecution: number;
}

export interface ReceiversFigure {
  concurrency: number;
  /** The runs' CONTINUE_AS_NEW_AFTER_EVENTS: how long a run lasts at a given events/s. */
  continueAsNewAfterEvents: number;
  runs: ReceiversRun[];
  /**
   * Events per second each execution records at 200 images/s, from the measured events per image (one
   * execution: the RECEIVERS 1 run's; several: the fanned-out run's), one set per LOCAL_AWS_CALLS value.
   */
  atTarget: Array<{ localAwsCalls: boolean; receivers: number; eventsPerSecondPerExecution: number }>;
  /** RECEIVERS the product derives for that model (DETECT_RATE_LIMIT 1.2 × 200, CONCURRENCY 4 × 200). */
  derivedReceiversAtTarget: number;
  guidance: string[];
}

/**
 * The same batch against the instant model, in the batch's own execution and fanned out to
 * `receivers`, for each LOCAL_AWS_CALLS value: events per second per workflow execution at the rate
 * this machine reaches, and what each execution would record at 200 images/s.
 */
export async function measureReceivers(
  stack: BenchStack,
  options: { images: number; concurrency: number; receivers: number; localAwsCalls: boolean[] },
  log: (line: string) => void,
): Promise<ReceiversFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    const runs: ReceiversRun[] = [];
    let continueAsNewAfterEvents = Number.NaN;
    const plan = options.localAwsCalls.flatMap((localAwsCalls) =>
      [1, options.receivers].map((receivers) => ({ localAwsCalls, receivers })),
    );
    for (const { localAwsCalls, receivers } of plan) {
      log(
        `receivers: ${options.images} images, concurrency ${options.concurrency}, RECEIVERS ${receivers}, LOCAL_AWS_CALLS ${localAwsCalls}`,
      );
      const since = new Date();
      const { record, history } = await runPipelineScenario(
        stack,
        modelServer,
        {
          name: `receivers-${receivers}-${awsCallsPath(localAwsCalls)}`,
          images: options.images,
          concurrency: options.concurrency,
          detectRateLimit: UNCAPPED_RATE,
          statusPollInterval: '250ms',
          receivers,
          localAwsCalls,
        },
        log,
      );
      const images = record.counts.processed + record.counts.failed;
      continueAsNewAfterEvents = record.continueAsNewAfterEvents ?? Number.NaN;
      const chains = [
        { workflowId: 'batch', history },
        ...(receivers > 1 ? await receiverHistories(stack.client, since) : []),
      ];
      const executions = chains.map(({ workflowId, history: chain }) => executionRate(workflowId, chain));
      const run: ReceiversRun = {
        receivers,
        localAwsCalls,
        images,
        // The batch's whole tree: with write groups a message is done in a receiver's child, not the receiver.
        imagesPerSecond: record.metrics.imagesPerSecond,
        eventsPerImage: executions.reduce((sum, execution) => sum + execution.events, 0) / images,
        executions,
        maxEventsPerSecondPerExecution: Math.max(...executions.map((execution) => execution.eventsPerSecond)),
      };
      log(
        `  ${run.imagesPerSecond.toFixed(1)} images/s, ${run.eventsPerImage.toFixed(1)} events/image; events/s per execution: ` +
          executions.map((e) => `${e.workflowId} ${e.eventsPerSecond.toFixed(0)}`).join(', '),
      );
      runs.push(run);
    }
    const derived = receiversFor({
      detectRateLimit: 1.2 * TARGET_IMAGES_PER_SECOND,
      concurrency: 4 * TARGET_IMAGES_PER_SECOND,
    });
    // One execution: its own events per image; several: the fanned-out run's (the parent's included).
    const eventsPerImageOf = (localAwsCalls: boolean, receivers: number) =>
      runs.find((run) => run.localAwsCalls === localAwsCalls && (run.receivers === 1) === (receivers === 1))
        ?.eventsPerImage ?? Number.NaN;
    const atTarget = options.localAwsCalls.flatMap((localAwsCalls) =>
      [...new Set([1, 10, 20, derived])].map((receivers) => ({
        localAwsCalls,
        receivers,
        eventsPerSecondPerExecution:
          (TARGET_IMAGES_PER_SECOND * eventsPerImageOf(localAwsCalls, receivers)) / receivers,
      })),
    );
    log(
      `  at ${TARGET_IMAGES_PER_SECOND} images/s: ` +
        atTarget
          .map(
            (t) =>
              `LOCAL_AWS_CALLS ${t.localAwsCalls}, ${t.receivers} receivers → ${t.eventsPerSecondPerExecution.toFixed(0)} events/s each`,
          )
          .join(', '),
    );
    return {
      concurrency: options.concurrency,
      continueAsNewAfterEvents,
      runs,
      atTarget,
      derivedReceiversAtTarget: derived,
      guidance: EXECUTION_GUIDANCE,
    };
  } finally {
    await modelServer.stop();
  }
}

/** Every receiver chain started since `since` (one scenario runs at a time), each read through its runs. */
async function receiverHistories(
  client: Client,
  since: Date,
): Promise<Array<{ workflowId: string; history: RunTimeline }>> {
  const ids = new Set<string>();
  const query = `WorkflowType = 'receiverWorkflow' AND StartTime >= '${since.toISOString()}'`;
  for await (const execution of client.workflow.list({ query })) ids.add(execution.workflowId);
  return Promise.all(
    [...ids].sort().map(async (workflowId) => ({
      workflowId: workflowId.slice(workflowId.lastIndexOf('/') + 1),
      history: timelineOf((await fetchBatchHistories(client, workflowId)).runs),
    })),
  );
}

function executionRate(workflowId: string, history: RunTimeline): ExecutionRate {
  const events = history.eventsPerRun.reduce((sum, count) => sum + count, 0);
  const seconds = (history.closedAt - history.startedAt) / 1000;
  return {
    workflowId,
    runs: history.eventsPerRun.length,
    events,
    seconds,
    eventsPerSecond: events / seconds,
  };
}
