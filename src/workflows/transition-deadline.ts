import { patched, sleep } from '@temporalio/workflow';
import type { BatchSettings } from './batch-types';

/** Runs recorded before this patch measured a model transition's deadline in workflow time; replay keeps that. */
const DEADLINE_IN_POLLS = 'transition-deadline-in-polls';

/** How long a model transition may take, waited out one status poll at a time. */
export interface TransitionDeadline {
  passed(): boolean;
  /** Sleeps one STATUS_POLL_INTERVAL. */
  waitOnePoll(): Promise<void>;
}

/**
 * MODEL_TRANSITION_TIMEOUT counted in status polls, not in workflow time: a worker answering a query
 * while a workflow task waits for it sees that task's events at the time of the last task, which a
 * replay does not repeat, so a deadline read from the clock there is not replayable. The polls' own
 * DescribeProjectVersions calls come on top (a second or so per minute of polling).
 */
export function transitionDeadline(settings: BatchSettings): TransitionDeadline {
  const pollMs = settings.statusPollIntervalMs;
  if (!patched(DEADLINE_IN_POLLS)) {
    const deadline = Date.now() + settings.modelTransitionTimeoutMs;
    return { passed: () => Date.now() >= deadline, waitOnePoll: () => sleep(pollMs) };
  }
  const polls = Math.ceil(settings.modelTransitionTimeoutMs / pollMs);
  let waited = 0;
  return {
    passed: () => waited >= polls,
    async waitOnePoll() {
      await sleep(pollMs);
      waited += 1;
    },
  };
}
