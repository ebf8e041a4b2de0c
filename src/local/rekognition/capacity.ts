/**
 * Token bucket sized by inference units: each unit serves `transactionsPerSecond` requests a second,
 * with at most one second of unused capacity saved up (the service tolerates short bursts, not more),
 * and never less than one request.
 */
export class InferenceCapacity {
  private tokens: number;
  private refilledAt: number;

  private readonly burst: number;

  constructor(
    private readonly requestsPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.burst = Math.max(1, requestsPerSecond);
    this.tokens = this.burst;
    this.refilledAt = now();
  }

  tryTake(): boolean {
    const now = this.now();
    const elapsedSeconds = (now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsedSeconds * this.requestsPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
