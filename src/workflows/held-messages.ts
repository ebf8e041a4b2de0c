import type { ReceivedMessage } from '../activities';

/** What a receive of a message this run already knows means. */
export type Redelivery = 'new' | 'in-flight' | 'finished';

interface Held {
  message: ReceivedMessage;
  /** Workflow time (ms) the message was last hidden for a whole visibility timeout. */
  hiddenAt: number;
}

/**
 * The messages this run is working on, by message id, and those it finished. SQS hands a message out
 * again when its visibility timeout passes: a redelivery of one in flight only renews its receipt
 * handle (the newest is the one SQS honours), so no message is worked on or counted twice.
 */
export class HeldMessages {
  private readonly inFlight = new Map<string, Held>();
  private readonly finished = new Set<string>();

  /** Records a received message; the same object's receipt handle is renewed on each redelivery. */
  receive(message: ReceivedMessage, now: number): Redelivery {
    if (this.finished.has(message.messageId)) return 'finished';
    const held = this.inFlight.get(message.messageId);
    if (!held) {
      this.inFlight.set(message.messageId, { message, hiddenAt: now });
      return 'new';
    }
    held.message.receiptHandle = message.receiptHandle;
    held.hiddenAt = now;
    return 'in-flight';
  }

  finish(message: ReceivedMessage): void {
    this.inFlight.delete(message.messageId);
    this.finished.add(message.messageId);
  }

  get size(): number {
    return this.inFlight.size;
  }

  /** Messages hidden at least `ms` ago, marked hidden again as of `now` (their extension is under way). */
  takeHiddenLongerThan(ms: number, now: number): ReceivedMessage[] {
    const due = [...this.inFlight.values()].filter((held) => now - held.hiddenAt >= ms);
    for (const held of due) held.hiddenAt = now;
    return due.map((held) => held.message);
  }
}
