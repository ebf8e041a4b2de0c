import type { ReceivedMessage } from '../activities';

/** What a receive of a message this run already knows means. */
export type Redelivery = 'new' | 'in-flight' | 'finished';

interface Held {
  message: ReceivedMessage;
  /** Workflow time (ms) the message was last hidden for a whole visibility timeout. */
  hiddenAt: number;
  /** The number of looks begun when the message was last hidden for a whole visibility timeout. */
  hiddenDuringLook: number;
}

/**
 * The messages this run is working on, by message id, and those it finished. SQS hands a message out
 * again when its visibility timeout passes: a redelivery of one in flight only renews its receipt
 * handle (the newest is the one SQS honours), so no message is worked on or counted twice.
 *
 * How long a message has been hidden is counted in the keeper's looks, not in workflow time: a worker
 * that answers a query while a workflow task waits for it is handed that task's events at the time of the
 * last task, which a replay does not repeat, so a decision taken on workflow time there is not replayable.
 */
export class HeldMessages {
  private readonly inFlight = new Map<string, Held>();
  private readonly finished = new Set<string>();
  private looksBegun = 0;

  /** Records a received message; the same object's receipt handle is renewed on each redelivery. */
  receive(message: ReceivedMessage, now: number): Redelivery {
    if (this.finished.has(message.messageId)) return 'finished';
    const held = this.inFlight.get(message.messageId);
    if (!held) {
      this.inFlight.set(message.messageId, { message, hiddenAt: now, hiddenDuringLook: this.looksBegun });
      return 'new';
    }
    held.message.receiptHandle = message.receiptHandle;
    held.hiddenAt = now;
    held.hiddenDuringLook = this.looksBegun;
    return 'in-flight';
  }

  finish(message: ReceivedMessage): void {
    this.inFlight.delete(message.messageId);
    this.finished.add(message.messageId);
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** The keeper begins waiting one look period. */
  beginLook(): void {
    this.looksBegun += 1;
  }

  /**
   * Messages hidden since before the look that just ended began (so for at least one look period),
   * marked hidden again as of this look (their extension is under way).
   */
  takeHiddenThroughALook(): ReceivedMessage[] {
    const due = [...this.inFlight.values()].filter((held) => held.hiddenDuringLook < this.looksBegun);
    for (const held of due) held.hiddenDuringLook = this.looksBegun;
    return due.map((held) => held.message);
  }

  /**
   * Messages hidden at least `ms` ago, marked hidden again as of `now`: the rule of runs recorded before
   * looks were counted, kept so they replay.
   */
  takeHiddenLongerThan(ms: number, now: number): ReceivedMessage[] {
    const due = [...this.inFlight.values()].filter((held) => now - held.hiddenAt >= ms);
    for (const held of due) held.hiddenAt = now;
    return due.map((held) => held.message);
  }
}
