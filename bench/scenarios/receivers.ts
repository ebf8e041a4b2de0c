import type { Client } from '@temporalio/client';
import { receiversFor } from '../../src/workflows/receiver-plan';
import { fetchBatchHistories } from '../../src/cost/batch-histories';
import { timelineOf, type RunTimeline } from '../batch-history';
import type { BenchStack } from '../bench-stack';
import { runPipelineScenario } from '../pipeline-scenario';
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
  runs: ReceiversRun[];
  /** Events per second each receiver records at 200 images/s, from the fanned-out run's events per image. */
  atTarget: Array<{ receivers: number; eventsPerSecondPerExecution: number }>;
  /** RECEIVERS the product derives for that model (DETECT_RATE_LIMIT 1.2 × 200, CONCURRENCY 4 × 200). */
  derivedReceiversAtTarget: number;
  guidance: string[];
}

/**
 * The same batch against the instant model, in the batch's own execution and fanned out to
 * `receivers`: events per second per workflow execution at the rate this machine reaches, and what
 * each execution would record at 200 images/s.
 */
export async function measureReceivers(
  stack: BenchStack,
  options: { images: number; concurrency: number; receivers: number },
  log: (line: string) => void,
): Promise<ReceiversFigure> {
  const modelServer = await startUncappedModelServer(stack);
  try {
    const runs: ReceiversRun[] = [];
    for (const receivers of [1, options.receivers]) {
      log(`receivers: ${options.images} images, concurrency ${options.concurrency}, RECEIVERS ${receivers}`);
      const since = new Date();
      const { record, history } = await runPipelineScenario(
        stack,
        modelServer,
        {
          name: `receivers-${receivers}`,
          images: options.images,
          concurrency: options.concurrency,
          detectRateLimit: UNCAPPED_RATE,
          statusPollInterval: '250ms',
          receivers,
        },
        log,
      );
      const images = record.counts.processed + record.counts.failed;
      const chains = [
        { workflowId: 'batch', history },
        ...(receivers > 1 ? await receiverHistories(stack.client, since) : []),
      ];
      const executions = chains.map(({ workflowId, history: chain }) => executionRate(workflowId, chain));
      const working = receivers > 1 ? chains.slice(1) : chains;
      const firstReceive = Math.min(...working.map(({ history: chain }) => chain.firstReceiveAt ?? Infinity));
      const lastDone = Math.max(...working.map(({ history: chain }) => chain.messageDoneAt.at(-1) ?? 0));
      const run: ReceiversRun = {
        receivers,
        images,
        imagesPerSecond: images / ((lastDone - firstReceive) / 1000),
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
    const eventsPerImage = runs[runs.length - 1].eventsPerImage;
    const derived = receiversFor({
      detectRateLimit: 1.2 * TARGET_IMAGES_PER_SECOND,
      concurrency: 4 * TARGET_IMAGES_PER_SECOND,
    });
    const atTarget = [...new Set([1, 10, 20, derived])].map((receivers) => ({
      receivers,
      eventsPerSecondPerExecution: (TARGET_IMAGES_PER_SECOND * eventsPerImage) / receivers,
    }));
    log(
      `  at ${TARGET_IMAGES_PER_SECOND} images/s: ` +
        atTarget
          .map((t) => `${t.receivers} receivers → ${t.eventsPerSecondPerExecution.toFixed(0)} events/s each`)
          .join(', '),
    );
    return {
      concurrency: options.concurrency,
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
