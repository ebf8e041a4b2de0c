import type { BatchRecord } from '../pipeline-scenario';

/** A number for the report, `–` when it could not be measured. */
export const f = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
export const met = (ok: boolean) => (ok ? 'met' : '**missed**');

/** Which path a batch ran its short S3/SQS calls on (results recorded before the setting ran activities). */
export const pathOf = (batch: Pick<BatchRecord, 'localAwsCalls'>) =>
  `LOCAL_AWS_CALLS=${batch.localAwsCalls ?? false}`;

/** Images the batch's messages carried: what per-image figures divide by. */
export const imagesOf = (batch: BatchRecord) => batch.counts.processed + batch.counts.failed;
