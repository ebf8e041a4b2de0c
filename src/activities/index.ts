import type { ActivityDeps } from './deps';
import { createDetectActivities } from './detect';
import { createEarlierBatchActivities } from './earlier-batches';
import { createModelActivities } from './model';
import { createQueueActivities } from './queue';
import { createResultActivities } from './results';
import { createSourceObjectActivities } from './source-object';
import { createStorageActivities } from './storage';

export type { ActivityDeps } from './deps';
export type { DetectOutcome, DetectRequest, CustomLabel } from './detect';
export type { ModelState } from './model';
export type { QueueCount, ReceivedMessage } from './queue';
export type { AnnouncedObject } from '../announced-object';
export type { ObjectLocation } from './storage';
export type { EarlierBatchesRequest } from './earlier-batches';

/** Every activity, each one AWS call (or, for earlier batches, Temporal reads), bound to the given clients. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createQueueActivities(deps),
    ...createModelActivities(deps),
    ...createStorageActivities(deps),
    ...createResultActivities(deps),
    ...createSourceObjectActivities(deps),
    ...createDetectActivities(deps),
    ...createEarlierBatchActivities(deps),
  };
}

export type BatchActivities = ReturnType<typeof createActivities>;
