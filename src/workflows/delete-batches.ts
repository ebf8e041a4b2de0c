import { condition } from '@temporalio/workflow';
import type { AwsCalls } from './activity-proxies';
import { inCallersSpan } from './message-span';
import { RunningCount } from './running-count';

/** SQS takes at most 10 entries in one DeleteMessageBatch. */
const MAX_BATCH_ENTRIES = 10;

interface Asked {
  receiptHandle: string;
  /** Its DeleteMessage call, in its caller's span when traced. */
  alone(): Promise<void>;
  deleted(value?: Promise<void>): void;
  failed(reason: unknown): void;
}

/**
 * A write group's message deletes, as DeleteMessageBatch calls of up to 10 messages (one SQS request
 * each, where DeleteMessage is one per message). A message asks for its delete once its outputs are
 * written; the deletes go once every message still writing has asked, all in one batch of local calls,
 * so a group of 25 makes 3 calls. The child returns only when its last message ends anyway: waiting for
 * the slowest costs nothing, and the batch keeps the messages hidden until then. A message whose entry
 * failed is deleted alone next, and ends as that delete does; a call that failed fails its messages.
 */
export class DeleteBatches {
  private asked: Asked[] = [];
  private readonly writers = new RunningCount();

  constructor(
    private readonly calls: AwsCalls,
    private readonly queueUrl: string,
  ) {}

  /** One message's writes, counted while they run: the deletes wait for every message still writing. */
  writing<T>(write: () => Promise<T>): Promise<T> {
    return this.writers.run(write);
  }

  /** Resolves once the message is off the queue. */
  readonly delete = (receiptHandle: string): Promise<void> =>
    new Promise((deleted, failed) => {
      const alone = inCallersSpan(() => this.calls.deleteMessage(this.queueUrl, receiptHandle));
      this.asked.push({ receiptHandle, alone, deleted, failed });
    });

  /** Sends the deletes each time every message still writing has asked, until `finished`. */
  async run(finished: () => boolean): Promise<void> {
    try {
      for (;;) {
        await condition(
          () => (this.asked.length > 0 && this.asked.length === this.writers.count) || finished(),
        );
        if (this.asked.length === 0) return;
        const asked = this.asked;
        this.asked = [];
        await this.send(asked);
      }
    } catch (error) {
      // Cancelled: the messages still waiting end with it rather than never.
      for (const waiting of this.asked) waiting.failed(error);
      throw error;
    }
  }

  private async send(asked: Asked[]): Promise<void> {
    const chunks: Asked[][] = [];
    for (let start = 0; start < asked.length; start += MAX_BATCH_ENTRIES)
      chunks.push(asked.slice(start, start + MAX_BATCH_ENTRIES));
    const ends = await Promise.allSettled(
      chunks.map((chunk) =>
        this.calls.deleteMessages(
          this.queueUrl,
          chunk.map(({ receiptHandle }) => receiptHandle),
        ),
      ),
    );
    ends.forEach((end, index) =>
      chunks[index].forEach((message, entry) => {
        if (end.status === 'rejected') message.failed(end.reason);
        else if (end.value[entry]) message.deleted();
        else message.deleted(message.alone());
      }),
    );
  }
}
