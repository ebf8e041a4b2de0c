import { condition, isCancellation, patched, sleep, workflowInfo } from '@temporalio/workflow';
import type { ReceivedMessage } from '../activities';
import { aws } from './activity-proxies';
import type { BatchState } from './batch-state';
import type { BatchSettings } from './batch-types';
import { FailureTally } from './failure-tally';
import { HeldMessages } from './held-messages';
import { historyBudgetSpent } from './history-budget';
import type { OutputLayout } from './output-keys';
import { ObjectLocks, processMessage, type MessageContext, type MessageOutcome } from './process-message';
import { LocalCallBatches } from './local-call-batches';
import { inMessageSpan } from './message-span';
import { ReadyFlush } from './ready-flush';
import { processGroupedMessage } from './process-grouped-message';
import { WriteGroups } from './write-groups';
import { keepHeldMessagesHidden } from './visibility-keeper';
import { workflowMetrics } from '../observability/workflow-metrics';

const MAX_MESSAGES_PER_RECEIVE = 10;
const RECEIVE_WAIT_SECONDS = 1;

/**
 * Runs recorded before this patch stopped on any failure, neither extended nor recognised redelivered
 * messages, and waited for messages held elsewhere: replay keeps that.
 */
const MESSAGES_KEPT_AND_DEAD_LETTERED = 'messages-kept-and-dead-lettered';
/** Batches that began before this patch keep their flat output layout to the end. */
const OUTPUTS_BY_KIND = 'outputs-by-kind';
/**
 * Runs recorded before this patch made every S3/SQS call an activity of its own (one Temporal Cloud
 * action each) and wrote each message's outputs as soon as its detection ended.
 */
const LOCAL_AWS_CALLS = 'local-aws-calls';
/**
 * Runs recorded before this patch made their local calls in their own execution, where a replay may
 * group their results with other events differently (see writeGroupWorkflow); since, the writes run in
 * write-group child workflows and the batch itself makes none.
 */
const WRITE_GROUPS = 'write-groups';
/**
 * Messages in flight at once when the S3/SQS calls are local activities, whatever CONCURRENCY says.
 * While local activities run, the run's workflow task stays open and the server buffers the events that
 * arrive meanwhile; past 100 of them it fails the task (FORCE_CLOSE_COMMAND), its local activities' work
 * is redone, and a batch of them split across tasks no longer replays. Each detection that ends adds two
 * events (started, completed): 40 in flight stay under that bound with room for timers and signals.
 * Throughput past one window is the business of more receivers, not a wider window.
 */
const LOCAL_CALLS_WINDOW = 40;

/**
 * Why the loop ended: nothing left, a drain signal, this run's history is full (hand over), or nothing
 * is visible while other consumers hold messages (the next run takes them: a model is not held RUNNING
 * for up to a visibility timeout to wait for them).
 */
export type QueueEnd = 'empty' | 'drained' | 'history-full' | 'held-elsewhere';

/**
 * Processes messages with at most `concurrency` in flight (at most LOCAL_CALLS_WINDOW with local calls), receiving only as many as there are free
 * slots, until the queue is empty. A message that fails on its own goes to the dead-letter queue and the
 * batch goes on; a failure of the system, or `maxConsecutiveMessageFailures` failed messages in a row,
 * stops the taking of new work, and the rest stays queued.
 */
export async function processQueue(settings: BatchSettings, state: BatchState): Promise<QueueEnd> {
  const current = patched(MESSAGES_KEPT_AND_DEAD_LETTERED);
  // Off unless LOCAL_AWS_CALLS=true; absent from the settings of runs recorded before the setting: on.
  const local = settings.localAwsCalls !== false && patched(LOCAL_AWS_CALLS);
  const grouped = local && patched(WRITE_GROUPS);
  const batches = local && !grouped ? new LocalCallBatches() : undefined;
  const calls = batches?.calls ?? aws;
  const inFlightLimit = batches ? Math.min(settings.concurrency, LOCAL_CALLS_WINDOW) : settings.concurrency;
  const ready = batches ? new ReadyFlush(inFlightLimit) : undefined;
  const groups = grouped ? new WriteGroups(inFlightLimit, settings, state.continuedAsNew) : undefined;
  if (state.pages === 0 && state.continuedAsNew === 0 && state.queuedAtStart > 0)
    workflowMetrics.queuedAtStart(state.queuedAtStart);
  const context: MessageContext = {
    settings,
    counts: state.counts,
    locks: new ObjectLocks(),
    layout: outputLayoutOf(state),
    deadLetterFailures: current,
    calls,
    ready,
  };
  const held = new HeldMessages();
  const failures = new FailureTally(settings.maxConsecutiveMessageFailures);
  let finished = false;
  const historyFull = () => historyBudgetSpent(workflowInfo(), settings.continueAsNewAfterEvents);
  const stopTakingWork = () => state.draining || failures.stopped || historyFull();
  const keeper = current
    ? keepHeldMessagesHidden(settings, calls, held, () => finished).catch(unlessCancelled)
    : undefined;
  const flusher = (ready ?? groups)?.run(() => finished).catch(unlessCancelled);
  let callsMade = false;
  const localCalls = batches?.run(() => callsMade).catch(unlessCancelled);

  // One then(…, …) and one finally: as many steps as recorded histories took (see processMessage).
  const track = (message: ReceivedMessage, work: Promise<MessageOutcome | undefined>) => {
    state.inFlight += 1;
    void work
      .then(
        (outcome) => failures.ended(outcome),
        (error: unknown) => failures.failed(message, error),
      )
      .finally(() => {
        state.inFlight -= 1;
        held.finish(message);
      });
  };

  // With write groups, messages waiting for their writes leave the window, and the window refills half
  // of itself (up to a whole receive) at a time: each receive is an action of its own there.
  const working = () => state.inFlight - (groups?.released() ?? 0);
  const receiveAtLeast = groups ? Math.min(MAX_MESSAGES_PER_RECEIVE, Math.ceil(inFlightLimit / 2)) : 1;
  let end: QueueEnd | undefined;
  for (;;) {
    await condition(() => inFlightLimit - working() >= receiveAtLeast || stopTakingWork());
    if (stopTakingWork()) break;
    // With nothing in flight the receive may long-poll an empty queue: as an activity it does not hold
    // the workflow task open meanwhile, so the progress query and a drain signal are answered.
    const receiver = state.inFlight === 0 ? aws : calls;
    const receive = () =>
      receiver.receiveMessages({
        queueUrl: settings.queueUrl,
        maxMessages: Math.min(MAX_MESSAGES_PER_RECEIVE, inFlightLimit - working()),
        visibilityTimeoutSeconds: settings.messageVisibilityTimeoutSeconds,
        waitTimeSeconds: RECEIVE_WAIT_SECONDS,
      });
    const messages = await (groups ? groups.feeding(receive) : receive());
    state.pages += 1;
    for (const message of messages) {
      const seen = current ? held.receive(message, Date.now()) : 'new';
      if (seen === 'new') {
        const process: typeof processMessage = groups
          ? (received, messageContext) => processGroupedMessage(received, { ...messageContext, groups })
          : processMessage;
        track(message, inMessageSpan(message, context, process));
      }
      // Finished by this run, yet delivered again (its delete came with an older receipt): delete it
      // with this one, counting nothing.
      if (seen === 'finished') {
        track(
          message,
          calls.deleteMessage(settings.queueUrl, message.receiptHandle).then(() => undefined),
        );
      }
    }
    if (messages.length > 0) continue;
    if (state.inFlight > 0) {
      const busy = state.inFlight;
      await condition(() => state.inFlight < busy || stopTakingWork());
      continue;
    }
    const queued = await calls.countQueuedMessages(settings.queueUrl);
    if (queued.total === 0) break;
    if (current && queued.visible === 0) {
      end = 'held-elsewhere';
      break;
    }
    // Messages in flight elsewhere (e.g. left by a terminated run) or delayed: they come back visible.
    await sleep(settings.statusPollIntervalMs);
  }
  await condition(() => state.inFlight === 0);
  finished = true;
  if (keeper) await keeper;
  if (flusher) await flusher;
  callsMade = true;
  if (localCalls) await localCalls;
  failures.throwIfStopped();
  if (state.draining) return 'drained';
  if (historyFull()) return 'history-full';
  return end ?? 'empty';
}

/** Cancelled with the batch: the batch's own cancellation is what ends the run. */
function unlessCancelled(error: unknown): void {
  if (!isCancellation(error)) throw error;
}

/** The batch keeps the layout it began with: a handed-over run carries it, a batch begun before it is flat. */
function outputLayoutOf(state: BatchState): OutputLayout {
  state.outputLayout ??= state.pages === 0 && patched(OUTPUTS_BY_KIND) ? 'by-kind' : 'flat';
  return state.outputLayout;
}
