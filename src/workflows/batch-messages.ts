import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { BatchProgress } from './batch-types';
import type { ReceiversProgress } from './receiver-types';

/**
 * What a batch is doing. A batch fanned out to receivers adds `receivers`; its counts are those of the
 * receivers that finished (each receiver answers this query with its own counts while it runs).
 */
export const progressQuery = defineQuery<BatchProgress & { receivers?: ReceiversProgress }>('progress');
/** Finish the messages in flight, stop the model and end early; the rest stays queued. */
export const drainSignal = defineSignal('drain');
