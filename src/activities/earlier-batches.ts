import { ApplicationFailure } from '@temporalio/common';
import type { ActivityDeps } from './deps';
import type { BatchSummary } from '../workflows/batch-types';
import type { EarlierBatch, ThroughputMeasurement } from '../workflows/learned-tps';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attribute-keys';

export interface EarlierBatchesRequest {
  projectVersionArn: string;
  /** The batches' task queue: another deployment of the same model runs another pipeline. */
  taskQueue: string;
  /** Completed batches read at most, newest first. */
  limit: number;
}

/** The batch workflow's type name, as visibility lists it. */
const BATCH_WORKFLOW_TYPE = 'batchWorkflow';

export function createEarlierBatchActivities({ temporal }: ActivityDeps) {
  return {
    /**
     * What the most recent completed batches of the model on the task queue measured of it, newest
     * first: visibility lists closed runs by close time, newest first, and each run's summary is its
     * result. A batch that continued as new completes in its last run, which carries its whole state.
     * Batches recorded before the measurement, and those that did not start their model, have none.
     */
    async earlierBatchThroughputs(request: EarlierBatchesRequest): Promise<EarlierBatch[]> {
      if (!temporal) {
        throw ApplicationFailure.nonRetryable(
          'this worker was given no Temporal client to read earlier batches with (createBatchWorkers gives one)',
          'NoTemporalClient',
        );
      }
      const query = [
        `WorkflowType = ${quoted(BATCH_WORKFLOW_TYPE)}`,
        `TaskQueue = ${quoted(request.taskQueue)}`,
        `${SEARCH_ATTRIBUTES.modelVersion.name} = ${quoted(request.projectVersionArn)}`,
        `ExecutionStatus = 'Completed'`,
      ].join(' AND ');
      const completed = [];
      for await (const execution of temporal.workflow.list({ query, pageSize: request.limit })) {
        completed.push(execution);
        if (completed.length >= request.limit) break;
      }
      const earlier: EarlierBatch[] = [];
      for (const { workflowId, runId, closeTime } of completed) {
        const summary = (await temporal.workflow.getHandle(workflowId, runId).result()) as BatchSummary;
        const throughput = summary?.throughput;
        if (closeTime && isMeasurement(throughput))
          earlier.push({ workflowId, runId, closedAt: closeTime.toISOString(), throughput });
      }
      return earlier.sort((a, b) => b.closedAt.localeCompare(a.closedAt));
    },
  };
}

/** A string literal of Temporal's list filter. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function isMeasurement(value: unknown): value is ThroughputMeasurement {
  const measurement = value as Partial<ThroughputMeasurement> | undefined;
  return (
    typeof measurement?.imagesProcessed === 'number' &&
    typeof measurement.busySeconds === 'number' &&
    typeof measurement.inferenceUnits === 'number' &&
    measurement.busySeconds > 0 &&
    measurement.inferenceUnits > 0
  );
}
