import type { BatchHistory } from './batch-history';

export interface DetectDispatch {
  /**
   * Time with at least one DetectCustomLabels task waiting in its task queue. Where the batch falls short
   * of the capacity while this is low, the pipeline did not feed the model; while high, the rate limit did
   * the holding back.
   */
  backlogSeconds: number;
}

/** How the detect task queue fed the model, from its tasks' scheduled and started (dispatched) times. */
export function detectDispatch(history: Pick<BatchHistory, 'detectTasks'>): DetectDispatch {
  const changes = history.detectTasks
    .flatMap(({ scheduledAt, startedAt }) => [
      { at: scheduledAt, delta: 1 },
      { at: startedAt, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || b.delta - a.delta);
  let waiting = 0;
  let backlogMs = 0;
  let previousAt = changes[0]?.at ?? 0;
  for (const change of changes) {
    if (waiting > 0) backlogMs += change.at - previousAt;
    waiting += change.delta;
    previousAt = change.at;
  }
  return { backlogSeconds: backlogMs / 1000 };
}
