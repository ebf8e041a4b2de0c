import type { BatchHistory } from './batch-history';

export interface DetectDispatch {
  /** Time with at least one DetectCustomLabels task waiting in its task queue. */
  backlogSeconds: number;
  /**
   * DetectCustomLabels tasks dispatched per second while others kept waiting behind them: with the
   * queue never empty, only the task queue's rate limit (DETECT_RATE_LIMIT) decides this rate.
   */
  backloggedDispatchPerSecond: number;
}

/**
 * How the detect task queue fed the model, from the tasks' scheduled and started times: if the pipeline
 * kept it backlogged, any shortfall against the capacity is the rate limiter's dispatch, not the pipeline.
 */
export function detectDispatch(history: Pick<BatchHistory, 'detectTasks'>): DetectDispatch {
  const changes = history.detectTasks
    .flatMap(({ scheduledAt, startedAt }) => [
      { at: scheduledAt, delta: 1 },
      { at: startedAt, delta: -1 },
    ])
    .sort((a, b) => a.at - b.at || b.delta - a.delta);
  let waiting = 0;
  let backlogMs = 0;
  let deepMs = 0;
  let deepDispatches = 0;
  let previousAt = changes[0]?.at ?? 0;
  for (const change of changes) {
    const elapsed = change.at - previousAt;
    if (waiting > 0) backlogMs += elapsed;
    // "Deep": this dispatch leaves another task waiting; the stretch before it counts as well.
    if (waiting > 1) {
      deepMs += elapsed;
      if (change.delta < 0) deepDispatches += 1;
    }
    waiting += change.delta;
    previousAt = change.at;
  }
  return {
    backlogSeconds: backlogMs / 1000,
    backloggedDispatchPerSecond: deepMs > 0 ? deepDispatches / (deepMs / 1000) : Number.NaN,
  };
}
