import type { BatchState } from './batch-state';
import type { BatchCounts, BatchSettings } from './batch-types';

/** A receiver's input: the batch's settings with the receiver's window as `concurrency`, and its state. */
export interface ReceiverInput {
  settings: BatchSettings;
  state: BatchState;
}

/** What a receiver did over all its runs. */
export interface ReceiverResult {
  counts: BatchCounts;
  pages: number;
  continuedAsNew: number;
  drained: boolean;
}

export interface ReceiversProgress {
  /** The receivers' workflow ids: each answers the progress query with its own counts. */
  workflowIds: string[];
  finished: number;
}
