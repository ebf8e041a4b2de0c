/**
 * How many receivers (child workflows each running the receive loop) a batch fans its queue out to.
 * One workflow execution records every event of its messages in order, on one worker at a time: ~30
 * events per image today, so a 200 images/s model would need one execution to record ~6,000 events/s
 * and one worker to run all its workflow tasks. Each receiver takes a share of the rate and of the window.
 */

/** Images per second one receiver is planned for (bench/scenarios/receivers.ts measures events/s at it). */
export const IMAGES_PER_SECOND_PER_RECEIVER = 10;
/** A receiver's window (messages at once) is at least this: a smaller one would leave the model waiting. */
export const MIN_WINDOW_PER_RECEIVER = 10;

/** From the model's capacity (the detect rate limit) and the window: 1 keeps the batch in one execution. */
export function receiversFor(capacity: { detectRateLimit: number; concurrency: number }): number {
  const byRate = Math.ceil(capacity.detectRateLimit / IMAGES_PER_SECOND_PER_RECEIVER);
  const byWindow = Math.floor(capacity.concurrency / MIN_WINDOW_PER_RECEIVER);
  return Math.max(1, Math.min(byRate, byWindow));
}

/** Each receiver's window: the batch's concurrency split as evenly as it goes, never below one message. */
export function receiverWindows(concurrency: number, receivers: number): number[] {
  const count = Math.max(1, Math.min(receivers, concurrency));
  return Array.from(
    { length: count },
    (_, index) => Math.floor(concurrency / count) + (index < concurrency % count ? 1 : 0),
  );
}
