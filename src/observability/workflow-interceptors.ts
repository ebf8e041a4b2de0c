import {
  ContinueAsNew,
  defaultPayloadConverter,
  isCancellation,
  workflowInfo,
  type ActivityInput,
  type ContinueAsNewInput,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { BatchSummary } from '../workflows/batch-types';
import { METRIC } from './metric-names';
import { recordSeconds, workflowMetrics } from './workflow-metrics';

/**
 * Batch-level metrics, watched from outside the batch workflow: its result (the summary) and the
 * activities it schedules. Only observes (a handler on a promise the workflow awaits anyway, a metric
 * when the run ends): it issues no command, so recorded histories replay unchanged (test/replay checks
 * them with this module bundled). Times are workflow time, as the summary's are.
 */
class BatchMetrics implements WorkflowInboundCallsInterceptor, WorkflowOutboundCallsInterceptor {
  private startRequestedAt: number | undefined;
  private detectsInFlight = 0;
  private busySince = 0;
  private busyMs = 0;
  /** Busy time of the batch's earlier runs, handed over in a header of each continue-as-new. */
  private busyBeforeMs = 0;

  async execute(
    input: WorkflowExecuteInput,
    next: Next<WorkflowInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const carried = input.headers[BUSY_BEFORE_HEADER];
    if (carried) this.busyBeforeMs = defaultPayloadConverter.fromPayload<number>(carried);
    try {
      const summary = (await next(input)) as BatchSummary;
      recordSummary(summary, (this.busyBeforeMs + this.busyMs) / 1000);
      workflowMetrics.batchEnded('completed');
      return summary;
    } catch (error) {
      if (!(error instanceof ContinueAsNew)) {
        workflowMetrics.batchEnded(isCancellation(error) ? 'cancelled' : 'failed');
      }
      throw error;
    } finally {
      // Per run: a handed-over batch's runs each add theirs.
      recordSeconds(
        METRIC.modelBusy,
        'seconds with at least one DetectCustomLabels call outstanding, per workflow run',
        this.busyMs / 1000,
      );
    }
  }

  continueAsNew(
    input: ContinueAsNewInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'continueAsNew'>,
  ): Promise<never> {
    const busyBeforeMs = defaultPayloadConverter.toPayload(this.busyBeforeMs + this.busyMs);
    return next({ ...input, headers: { ...input.headers, [BUSY_BEFORE_HEADER]: busyBeforeMs } });
  }

  scheduleActivity(
    input: ActivityInput,
    next: Next<WorkflowOutboundCallsInterceptor, 'scheduleActivity'>,
  ): Promise<unknown> {
    const result = next(input);
    const type = input.activityType;
    if (type === 'detectCustomLabels') {
      if (this.detectsInFlight++ === 0) this.busySince = Date.now();
      const done = () => {
        if (--this.detectsInFlight === 0) this.busyMs += Date.now() - this.busySince;
      };
      void result.then(done, done);
    } else if (type === 'startModel' || type === 'describeModel') {
      if (type === 'startModel') this.startRequestedAt ??= Date.now();
      void result.then(
        (state) => this.sawModel(state as { status?: string }),
        () => undefined,
      );
    }
    return result;
  }

  /** Request → RUNNING, once per start this run asked for. */
  private sawModel(state: { status?: string }): void {
    if (state.status !== 'RUNNING' || this.startRequestedAt === undefined) return;
    recordSeconds(
      METRIC.modelStartDuration,
      'seconds from the start request to RUNNING',
      (Date.now() - this.startRequestedAt) / 1000,
    );
    this.startRequestedAt = undefined;
  }
}

/** Headers are not commands: the next run learns its batch's busy time without changing its input. */
const BUSY_BEFORE_HEADER = 'custom-labels-batch-model-busy-before-ms';

/** `busySeconds`: the whole batch's, all its runs'. */
function recordSummary(summary: BatchSummary, busySeconds: number): void {
  const started = workflowInfo().startTime.getTime();
  recordSeconds(
    METRIC.batchDuration,
    'seconds from a batch’s start to its end',
    (Date.now() - started) / 1000,
  );
  if (summary.queueWasEmpty) return;
  recordSeconds(
    METRIC.modelRunning,
    'seconds the model ran for a batch (billed)',
    summary.modelRunningSeconds,
  );
  recordSeconds(
    METRIC.modelBilledIdle,
    'seconds the model ran (billed) with no DetectCustomLabels call outstanding, per batch',
    summary.modelRunningSeconds - busySeconds,
  );
  recordSeconds(
    METRIC.estimatedCost,
    'estimated inference cost of a batch in USD (running time × units × INFERENCE_UNIT_HOURLY_COST)',
    summary.estimatedInferenceCostUsd,
  );
}

export const interceptors: WorkflowInterceptorsFactory = () => {
  if (workflowInfo().workflowType !== 'batchWorkflow') return {};
  const metrics = new BatchMetrics();
  return { inbound: [metrics], outbound: [metrics] };
};
