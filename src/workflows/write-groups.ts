import { condition, executeChild, workflowInfo } from '@temporalio/workflow';
import type { BatchSettings } from './batch-types';
import type { MessageWrites, MessageWritten } from './write-group-types';
import { writeGroupWorkflow } from './write-group-workflow';
import { RunningCount } from './running-count';

/**
 * A group's size when the work keeps coming: its messages wait at most the time the model takes to label
 * as many (seconds), and its three actions (a child workflow, its task of local activities) are shared
 * by all of them.
 */
const GROUP_SIZE = 25;

interface Waiting {
  writes: MessageWrites;
  written(result: MessageWritten): void;
  failed(reason: unknown): void;
}

/**
 * Messages whose detections are done wait here and go to a write group together: one child workflow
 * whose local activities Temporal Cloud bills as one action, however many messages it holds. A group
 * goes once it holds GROUP_SIZE messages, or as soon as no detection or receive is under way (nothing could
 * join it soon), so a message never waits on an idle batch. Decided in conditions, which are looked at once
 * every detection ending in the same workflow activation has joined.
 */
export class WriteGroups {
  private waiting: Waiting[] = [];
  private writing = 0;
  private readonly feeders = new RunningCount();
  private groups = 0;
  constructor(
    /** Messages detected at once: as many again may wait for their writes outside it. */
    private readonly window: number,
    private readonly settings: BatchSettings,
    /** Tells this run's groups from its earlier runs' (continue-as-new keeps the workflow id). */
    private readonly runIndex: number,
  ) {}

  /**
   * Messages done with their detections that the window need not count: the receive loop takes others in
   * their place meanwhile, so the model is kept busy while a group fills. A window's worth at most, so
   * slow writes slow the taking of new work rather than pile up received messages.
   */
  released(): number {
    return Math.min(this.waiting.length + this.writing, this.window);
  }

  /** Counts work under way that may bring messages to a group (a detection, a receive) while it runs. */
  feeding<T>(work: () => Promise<T>): Promise<T> {
    return this.feeders.run(work);
  }

  /** Resolves with the message's end once its group has written. */
  write(writes: MessageWrites): Promise<MessageWritten> {
    return new Promise((written, failed) => this.waiting.push({ writes, written, failed }));
  }

  /** Sends each group when it is due, until `finished`; returns once every group it sent has ended. */
  async run(finished: () => boolean): Promise<void> {
    const sent: Promise<void>[] = [];
    for (;;) {
      await condition(() => this.due() || finished());
      if (this.waiting.length === 0) break;
      const group = this.waiting;
      this.waiting = [];
      sent.push(this.send(group));
    }
    await Promise.all(sent);
  }

  private due(): boolean {
    return this.waiting.length >= GROUP_SIZE || (this.waiting.length > 0 && this.feeders.count === 0);
  }

  private async send(group: Waiting[]): Promise<void> {
    this.groups += 1;
    this.writing += group.length;
    try {
      const results = await executeChild(writeGroupWorkflow, {
        workflowId: `${workflowInfo().workflowId}/writes-${this.runIndex}-${this.groups}`,
        args: [
          {
            queueUrl: this.settings.queueUrl,
            deadLetterQueueUrl: this.settings.deadLetterQueueUrl,
            messages: group.map(({ writes }) => writes),
          },
        ],
      });
      group.forEach((waiting, index) => waiting.written(results[index]));
    } catch (error) {
      for (const waiting of group) waiting.failed(error);
    } finally {
      this.writing -= group.length;
    }
  }
}
