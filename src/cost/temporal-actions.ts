import type { History } from '@temporalio/common/lib/proto-utils';

/**
 * Temporal Cloud's list price, USD per million actions ("starts around $50 per million"): a default,
 * passed explicitly where a contract price applies.
 */
export const TEMPORAL_CLOUD_USD_PER_MILLION_ACTIONS = 50;

/** Billable actions of one batch, by what caused them. */
// A type, not an interface, so that Object.values sees its numbers.
export type ActionBreakdown = {
  /** One per run: the first, and each continue-as-new run. */
  workflowStarts: number;
  /** Two per run a Schedule started (its third action is the run's workflow start). */
  scheduleStarts: number;
  /** Two per child workflow initiated: the recorded intent and the start attempt. */
  childWorkflows: number;
  /** One per activity scheduled. */
  activities: number;
  /** One per attempt after the first. */
  activityRetries: number;
  /** One per workflow task that recorded local-activity markers, however many. */
  localActivities: number;
  /** Local-activity attempts after the first, as the server meters them on the workflow task. */
  localActivityRetries: number;
  /** One per timer, the implicit ones of `condition(fn, timeout)` included. */
  timers: number;
  signals: number;
  /** Accepted updates (rejected ones are billed but never reach the history). */
  updates: number;
  /** Upserts that set a search attribute other than the exempt `TemporalChangeVersion`. */
  searchAttributeUpserts: number;
};

export interface TemporalActions {
  byKind: ActionBreakdown;
  total: number;
}

type HistoryEvent = NonNullable<History['events']>[number];

// Core-based SDKs (TypeScript, Python, .NET) and the Go/Java SDKs name their local-activity markers so.
const LOCAL_ACTIVITY_MARKERS = new Set(['core_local_activity', 'LocalActivity']);
// `patched()` upserts this attribute; Temporal Cloud does not bill it.
const EXEMPT_SEARCH_ATTRIBUTE = 'TemporalChangeVersion';
// Set by a Schedule on the runs it starts.
const SCHEDULED_BY = 'TemporalScheduledById';

/** Every kind at zero. */
export function noActions(): ActionBreakdown {
  return {
    workflowStarts: 0,
    scheduleStarts: 0,
    childWorkflows: 0,
    activities: 0,
    activityRetries: 0,
    localActivities: 0,
    localActivityRetries: 0,
    timers: 0,
    signals: 0,
    updates: 0,
    searchAttributeUpserts: 0,
  };
}

/**
 * Counts the Temporal Cloud billable actions in a batch's histories (every run of its continue-as-new
 * chain, in any order; child workflows' histories may be included) by the published rules,
 * https://docs.temporal.io/evaluate/cloud/actions (Temporal Cloud Actions: the "History Event Type"
 * column maps each action to the events counted here).
 *
 * Not in a history, so not counted: activity heartbeats that reach the server (the SDK throttles them
 * to 80 % of the heartbeat timeout), queries (the CLI's progress line, the UI's stack trace), rejected
 * updates, workflow-task heartbeats while local activities run, signals sent to other workflows (billed
 * on the receiver's history), schedule create/update/delete, history export. Retries of an activity
 * whose run ended (terminated) while it was retrying leave no started event and are missed too.
 * A signal-with-start that started the workflow counts 2 here (Temporal Cloud bills it 1).
 */
export function countTemporalActions(histories: readonly History[]): TemporalActions {
  const byKind = noActions();
  for (const history of histories) countHistory(history.events ?? [], byKind);
  const total = Object.values(byKind).reduce((sum, n) => sum + n, 0);
  return { byKind, total };
}

function countHistory(events: readonly HistoryEvent[], byKind: ActionBreakdown): void {
  // Workflow tasks that recorded a local-activity marker, by their completed event: a task's markers
  // are written right after it.
  const tasksWithLocalActivities = new Set<string>();
  let lastTaskCompleted = '';
  for (const event of events) {
    const started = event.workflowExecutionStartedEventAttributes;
    if (started) {
      const continued = Boolean(started.continuedExecutionRunId);
      // A child's first run is the start attempt its parent's initiated event already counts.
      if (continued || !started.parentWorkflowExecution) byKind.workflowStarts += 1;
      // A continue-as-new run inherits the schedule's search attributes without being a schedule start.
      if (!continued && started.searchAttributes?.indexedFields?.[SCHEDULED_BY]) byKind.scheduleStarts += 2;
    }
    if (event.startChildWorkflowExecutionInitiatedEventAttributes) byKind.childWorkflows += 2;
    if (event.activityTaskScheduledEventAttributes) byKind.activities += 1;
    // The started event is written once, when the activity closes, with the attempt that closed it.
    const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
    byKind.activityRetries += Math.max(0, attempt - 1);
    const taskCompleted = event.workflowTaskCompletedEventAttributes;
    if (taskCompleted) {
      lastTaskCompleted = String(event.eventId);
      byKind.localActivityRetries += Number(
        taskCompleted.meteringMetadata?.nonfirstLocalActivityExecutionAttempts ?? 0,
      );
    }
    const marker = event.markerRecordedEventAttributes;
    if (marker && LOCAL_ACTIVITY_MARKERS.has(marker.markerName ?? ''))
      tasksWithLocalActivities.add(lastTaskCompleted);
    if (event.timerStartedEventAttributes) byKind.timers += 1;
    if (event.workflowExecutionSignaledEventAttributes) byKind.signals += 1;
    if (event.workflowExecutionUpdateAcceptedEventAttributes) byKind.updates += 1;
    const upserted = Object.keys(
      event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
    );
    if (upserted.some((name) => name !== EXEMPT_SEARCH_ATTRIBUTE)) byKind.searchAttributeUpserts += 1;
  }
  byKind.localActivities += tasksWithLocalActivities.size;
}

/** The actions' cost at `usdPerMillion` (list price by default). */
export function temporalActionsCostUsd(
  actions: number,
  usdPerMillion: number = TEMPORAL_CLOUD_USD_PER_MILLION_ACTIONS,
): number {
  return (actions * usdPerMillion) / 1_000_000;
}
