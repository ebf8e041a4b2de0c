/**
 * How a batch treats its model. Runs recorded before the patch that brought the model tag and the whole
 * status set (`before-ownership-tag`) replay with the rules of their day: only STOPPED and FAILED
 * models started, no tag, and a model found up stopped when their `stopModelFoundRunning` said so.
 */
export type ModelRules = 'current' | 'before-ownership-tag';

export type StatusAction =
  { kind: 'running' } | { kind: 'start' } | { kind: 'wait' } | { kind: 'give-up'; why: string; todo: string };

/** Trained or copied and not running: the service starts a version from any of these. */
const STARTABLE = new Set(['TRAINING_COMPLETED', 'COPYING_COMPLETED', 'STOPPED', 'FAILED']);
/** Statuses that end by themselves in one the batch can use. */
const PASSING = new Set(['TRAINING_IN_PROGRESS', 'COPYING_IN_PROGRESS', 'STARTING', 'STOPPING']);
const ANOTHER_VERSION = 'set PROJECT_VERSION_ARN to a version that can run';
const UNUSABLE: Record<string, { why: string; todo: string }> = {
  TRAINING_FAILED: { why: 'its training failed', todo: `train it again, or ${ANOTHER_VERSION}` },
  COPYING_FAILED: { why: 'copying it failed', todo: `copy it again, or ${ANOTHER_VERSION}` },
  DELETING: { why: 'it is being deleted', todo: ANOTHER_VERSION },
  DEPRECATED: { why: 'Rekognition deprecated it', todo: `train a new version, or ${ANOTHER_VERSION}` },
  EXPIRED: { why: 'it has expired', todo: `train a new version, or ${ANOTHER_VERSION}` },
};

/** What to do about the model's status on the way to RUNNING. */
export function actionFor(status: string, rules: ModelRules): StatusAction {
  if (status === 'RUNNING') return { kind: 'running' };
  const [startable, passing] =
    rules === 'current'
      ? [STARTABLE, PASSING]
      : [new Set(['STOPPED', 'FAILED']), new Set(['STARTING', 'STOPPING'])];
  if (startable.has(status)) return { kind: 'start' };
  if (passing.has(status)) return { kind: 'wait' };
  return {
    kind: 'give-up',
    ...(UNUSABLE[status] ?? {
      why: 'this batch does not know that status',
      todo: 'look at the model in the Rekognition console',
    }),
  };
}

/** STARTING or RUNNING: billed, or about to be. */
export function isUp(status: string): boolean {
  return status === 'RUNNING' || status === 'STARTING';
}

/** Neither up nor on its way down: a stop has nothing left to do. */
export function isAtRest(status: string): boolean {
  return !isUp(status) && status !== 'STOPPING';
}
