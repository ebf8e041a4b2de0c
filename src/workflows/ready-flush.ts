import { condition } from '@temporalio/workflow';
import { RunningCount } from './running-count';

/**
 * A group larger than this would hold a workflow task open while many chains of S3/SQS calls run, and
 * every detection finishing meanwhile waits for that task to end.
 */
const MAX_GROUP = 25;

/**
 * Messages whose detections are done wait here, and go on to their writes together: the local activities
 * of a group then run in one workflow task, which Temporal Cloud bills as one action however many it
 * holds. A group goes once it has a third of the concurrency, or as soon as no detection is under way
 * (nothing else could join it soon), so a message never waits on an idle batch.
 */
export class ReadyFlush {
  private waiting: Array<() => void> = [];
  private readonly detections = new RunningCount();
  private readonly groupSize: number;

  constructor(concurrency: number) {
    this.groupSize = Math.min(MAX_GROUP, Math.max(1, Math.floor(concurrency / 3)));
  }

  /** Counts a detection under way while it runs. */
  detect<T>(detection: () => Promise<T>): Promise<T> {
    return this.detections.run(detection);
  }

  /** Resolves when this message's group goes. */
  join(): Promise<void> {
    return new Promise((go) => this.waiting.push(go));
  }

  /**
   * Lets each group go when it is due, until `finished`. Decided in a condition, which is looked at
   * once every detection finishing in the same workflow activation has joined.
   */
  async run(finished: () => boolean): Promise<void> {
    for (;;) {
      await condition(() => this.due() || finished());
      if (this.waiting.length === 0) return;
      const group = this.waiting;
      this.waiting = [];
      for (const go of group) go();
    }
  }

  private due(): boolean {
    return this.waiting.length >= this.groupSize || (this.waiting.length > 0 && this.detections.count === 0);
  }
}

/**
 * One message's place in the groups: it joins one after each detection, and its writes, dead-lettering
 * and delete then run with its group.
 */
export class WriteTurn {
  private writing = false;

  constructor(private readonly flush: ReadyFlush) {}

  detect<T>(detection: () => Promise<T>): Promise<T> {
    this.writing = false;
    return this.flush.detect(detection);
  }

  /** Waits for this message's group, unless it is already writing with one. */
  async ready(): Promise<void> {
    if (this.writing) return;
    await this.flush.join();
    this.writing = true;
  }
}
