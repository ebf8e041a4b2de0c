import { condition } from '@temporalio/workflow';
import { localAws, type AwsCalls } from './activity-proxies';
import { inCallersSpan } from './message-span';

type LocalCall = () => Promise<unknown>;

interface Queued {
  call: LocalCall;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/**
 * Every local activity of a run goes through here, in batches: the calls made in one workflow activation
 * start together, and their callers go on only once every call of the batch has ended, in the order they
 * called. Local activities that each woke the workflow as they ended would break replay: Core records
 * them in the order they ended but, replaying, hands them back in the order they were scheduled
 * (sdk-typescript#1744), so the next commands would come in another order.
 */
export class LocalCallBatches {
  private queue: Queued[] = [];
  /** The AWS calls, each a local activity run in the next batch. */
  readonly calls: AwsCalls;

  constructor() {
    const activities = localAws as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    this.calls = new Proxy({} as AwsCalls, {
      get: (_target, name) => {
        const activity = activities[String(name)];
        // Started later, by `run`: traced, each call is still a child of its caller's span (its message's).
        return (...args: unknown[]) => this.enqueue(inCallersSpan(() => activity(...args)));
      },
    });
  }

  private enqueue(call: LocalCall): Promise<unknown> {
    return new Promise((resolve, reject) => this.queue.push({ call, resolve, reject }));
  }

  /** Runs batch after batch until `finished` with nothing queued. */
  async run(finished: () => boolean): Promise<void> {
    for (;;) {
      // A condition is looked at once the activation's work is done: every call it made is queued.
      await condition(() => this.queue.length > 0 || finished());
      if (this.queue.length === 0) return;
      const batch = this.queue;
      this.queue = [];
      const ends = await Promise.allSettled(batch.map(({ call }) => call()));
      ends.forEach((end, index) => {
        if (end.status === 'fulfilled') batch[index].resolve(end.value);
        else batch[index].reject(end.reason);
      });
    }
  }
}
