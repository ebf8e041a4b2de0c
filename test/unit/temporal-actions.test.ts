import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import {
  countTemporalActions,
  noActions,
  temporalActionsCostUsd,
  type ActionBreakdown,
} from '../../src/cost/temporal-actions';

const HISTORIES_DIR = join(__dirname, '..', 'replay', 'histories');

const NONE: ActionBreakdown = noActions();

/** A recorded run, decoded as `fetchHistory()` returns it. */
function recorded(file: string): History {
  return historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
}

const chain = (name: string, runs: number) =>
  Array.from({ length: runs }, (_, index) => recorded(`2026-12-01.${name}.${index + 1}.json`));

describe('countTemporalActions on recorded batches', () => {
  it('counts a two-run batch of 12 images: 81 actions, 6.75 per image', () => {
    // Run 1: 1 start, 71 ActivityTaskScheduled, 3 TimerStarted (status polls); run 2 (continue-as-new):
    // 1 start, 4 activities, 1 timer. Every ActivityTaskStarted has attempt 1, and there are no markers,
    // signals or upserts: 2 + 75 + 4 = 81 for the 12 images its result reports.
    const actions = countTemporalActions(
      chain('starts-the-model-processes-every-message-and-stops-the-model-once', 2),
    );
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 2, activities: 75, timers: 4 });
    expect(actions.total).toBe(81);
  });

  it('counts each run of a continue-as-new chain as a workflow start: 338 actions for 60 images', () => {
    // Runs 1–5: 85 + 81 + 81 + 80 + 4 = 331 activities scheduled, timers 1 + 0 + 0 + 0 + 1, all first
    // attempts; 5 workflow starts (4 of them continue-as-new). 5 + 331 + 2 = 338, 5.63 per image.
    const actions = countTemporalActions(
      chain('continues-as-new-on-a-long-batch-stopping-the-model-exactly-once-at-the-end-noth', 5),
    );
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 5, activities: 331, timers: 2 });
    expect(actions.total).toBe(338);
  });

  it('adds the two schedule actions to a run a Schedule started', () => {
    // 1 start carrying TemporalScheduledById (+2), 51 activities, 2 timers: 56.
    const actions = countTemporalActions([recorded('2026-12-01.e2e-mixed-batch-through-the-schedule.json')]);
    expect(actions.byKind).toEqual({
      ...NONE,
      workflowStarts: 1,
      scheduleStarts: 2,
      activities: 51,
      timers: 2,
    });
    expect(actions.total).toBe(56);
  });

  it('counts the drain signal, and neither the patch marker nor its TemporalChangeVersion upsert', () => {
    // 1 start, 19 activities, 2 timers, 1 WorkflowExecutionSignaled; one core_patch marker and one upsert
    // of TemporalChangeVersion alone, which are not billed.
    const actions = countTemporalActions([
      recorded(
        '2026-12-01-model-ownership.drains-on-signal-finishes-what-is-in-flight-stops-the-model-leaves-the-rest-queu.json',
      ),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 1, activities: 19, timers: 2, signals: 1 });
    expect(actions.total).toBe(23);
  });
});

type JsonEvent = Record<string, unknown> & { eventType: string };

/** A synthetic run: a plain start, then `events`, numbered in order as the server does. */
function run(events: JsonEvent[], started: Record<string, unknown> = {}): History {
  const all = [
    { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED', workflowExecutionStartedEventAttributes: started },
    ...events,
  ];
  return historyFromJSON({ events: all.map((event, index) => ({ eventId: String(index + 1), ...event })) });
}

const taskCompleted = (meteringMetadata = {}): JsonEvent => ({
  eventType: 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED',
  workflowTaskCompletedEventAttributes: { meteringMetadata },
});
const marker = (markerName: string): JsonEvent => ({
  eventType: 'EVENT_TYPE_MARKER_RECORDED',
  markerRecordedEventAttributes: { markerName },
});
const upsert = (name: string): JsonEvent => ({
  eventType: 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
  upsertWorkflowSearchAttributesEventAttributes: {
    searchAttributes: { indexedFields: { [name]: { metadata: {}, data: 'IngiCg==' } } },
  },
});
const attribute = { metadata: {}, data: 'InMi' };

describe('countTemporalActions by rule', () => {
  it('counts an activity once scheduled and once per retry, from the attempt its started event records', () => {
    const actions = countTemporalActions([
      run([
        { eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED', activityTaskScheduledEventAttributes: {} },
        { eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED', activityTaskStartedEventAttributes: { attempt: 3 } },
        { eventType: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', activityTaskCompletedEventAttributes: {} },
      ]),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 1, activities: 1, activityRetries: 2 });
    expect(actions.total).toBe(4);
  });

  it('counts the local activities of one workflow task as one action', () => {
    const local = 'core_local_activity';
    const actions = countTemporalActions([
      run([taskCompleted(), marker(local), marker(local), marker(local)]),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 1, localActivities: 1 });
  });

  it('counts local activities in two workflow tasks as two, with the retries the server metered', () => {
    const actions = countTemporalActions([
      run([
        taskCompleted(),
        marker('core_local_activity'),
        taskCompleted({ nonfirstLocalActivityExecutionAttempts: 2 }),
        marker('LocalActivity'),
      ]),
    ]);
    expect(actions.byKind).toEqual({
      ...NONE,
      workflowStarts: 1,
      localActivities: 2,
      localActivityRetries: 2,
    });
  });

  it('counts timers, signals and accepted updates one each', () => {
    const actions = countTemporalActions([
      run([
        { eventType: 'EVENT_TYPE_TIMER_STARTED', timerStartedEventAttributes: { timerId: '1' } },
        { eventType: 'EVENT_TYPE_TIMER_STARTED', timerStartedEventAttributes: { timerId: '2' } },
        { eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', workflowExecutionSignaledEventAttributes: {} },
        {
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
          workflowExecutionUpdateAcceptedEventAttributes: {},
        },
      ]),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 1, timers: 2, signals: 1, updates: 1 });
  });

  it('counts an upsert of a search attribute, not one of TemporalChangeVersion alone, nor a patch marker', () => {
    const actions = countTemporalActions([
      run([taskCompleted(), marker('core_patch'), upsert('TemporalChangeVersion'), upsert('BatchPhase')]),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 1, searchAttributeUpserts: 1 });
  });

  it('counts a child workflow twice in its parent and its first run not again; its continue-as-new runs once', () => {
    const parentExecution = { workflowId: 'parent', runId: 'p1' };
    const actions = countTemporalActions([
      run([
        {
          eventType: 'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED',
          startChildWorkflowExecutionInitiatedEventAttributes: { workflowId: 'child' },
        },
      ]),
      run([], { parentWorkflowExecution: parentExecution }),
      run([], { parentWorkflowExecution: parentExecution, continuedExecutionRunId: 'c1' }),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 2, childWorkflows: 2 });
    expect(actions.total).toBe(4);
  });

  it('counts a schedule start once, not again on a continue-as-new run that inherits its search attribute', () => {
    const scheduled = { searchAttributes: { indexedFields: { TemporalScheduledById: attribute } } };
    const actions = countTemporalActions([
      run([], scheduled),
      run([], { ...scheduled, continuedExecutionRunId: 'r1' }),
    ]);
    expect(actions.byKind).toEqual({ ...NONE, workflowStarts: 2, scheduleStarts: 2 });
  });
});

describe('temporalActionsCostUsd', () => {
  it('prices actions at $50 per million by default, or at the price given', () => {
    expect(temporalActionsCostUsd(5_633)).toBeCloseTo(0.28165, 10);
    expect(temporalActionsCostUsd(1_000_000, 25)).toBe(25);
  });
});
