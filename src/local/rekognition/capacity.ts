/**
 * Token bucket sized by inference units: each unit serves `transactionsPerSecond` requests a second,
 * with at most one second of unused capacity saved up (the service tolerates short bursts, not more).
 */
export class InferenceCapacity {
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly requestsPerSecond: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = requestsPerSecond;
    this.refilledAt = now();
  }

  tryTake(): boolean {
    const now = this.now();
    const elapsedSeconds = (now - this.refilledAt) / 1000;
    this.tokens = Math.min(this.requestsPerSecond, this.tokens + elapsedSeconds * this.requestsPerSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
