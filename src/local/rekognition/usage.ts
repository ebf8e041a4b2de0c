/** One RUNNING interval of a model version: what the real service bills, and how much of it did work. */
export interface RunningInterval {
  startedAt: number;
  stoppedAt: number | null;
  inferenceUnits: number;
  runningMs: number;
  busyMs: number;
  idleMs: number;
  inferences: number;
  throttled: number;
}

export interface VersionUsage {
  projectVersionArn: string;
  status: string;
  intervals: RunningInterval[];
  totals: {
    starts: number;
    runningMs: number;
    busyMs: number;
    idleMs: number;
    inferences: number;
    throttled: number;
  };
}

interface OpenInterval {
  startedAt: number;
  stoppedAt: number | null;
  inferenceUnits: number;
  busyMsBeforeCurrentBurst: number;
  inferences: number;
  throttled: number;
}

/**
 * Accounting per model version. "Busy" is wall time with at least one inference in flight, so
 * running minus busy is the time billed for an idle model.
 */
export class UsageRecorder {
  private readonly intervals: OpenInterval[] = [];
  private inFlight = 0;
  private busySince: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  running(inferenceUnits: number): void {
    if (this.busySince !== null) this.busySince = this.now();
    this.intervals.push({
      startedAt: this.now(),
      stoppedAt: null,
      inferenceUnits,
      busyMsBeforeCurrentBurst: 0,
      inferences: 0,
      throttled: 0,
    });
  }

  stopped(): void {
    const current = this.current();
    if (!current) return;
    const now = this.now();
    if (this.busySince !== null) {
      current.busyMsBeforeCurrentBurst += now - this.busySince;
      this.busySince = now;
    }
    current.stoppedAt = now;
  }

  throttled(): void {
    const current = this.current();
    if (current) current.throttled += 1;
  }

  /** Marks one inference in flight; call the returned function when it ends, whatever the outcome. */
  inferenceStarted(): () => void {
    const interval = this.current();
    if (interval) interval.inferences += 1;
    if (this.inFlight++ === 0) this.busySince = this.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.inFlight === 0 && this.busySince !== null) {
        const open = this.current();
        if (open) open.busyMsBeforeCurrentBurst += this.now() - this.busySince;
        this.busySince = null;
      }
    };
  }

  report(projectVersionArn: string, status: string): VersionUsage {
    const now = this.now();
    const intervals = this.intervals.map((interval) => {
      const end = interval.stoppedAt ?? now;
      const ongoingBurst = interval.stoppedAt === null && this.busySince !== null ? now - this.busySince : 0;
      const runningMs = end - interval.startedAt;
      const busyMs = Math.min(runningMs, interval.busyMsBeforeCurrentBurst + ongoingBurst);
      return {
        startedAt: interval.startedAt,
        stoppedAt: interval.stoppedAt,
        inferenceUnits: interval.inferenceUnits,
        runningMs,
        busyMs,
        idleMs: runningMs - busyMs,
        inferences: interval.inferences,
        throttled: interval.throttled,
      };
    });
    const sum = (pick: (interval: RunningInterval) => number) =>
      intervals.reduce((total, interval) => total + pick(interval), 0);
    return {
      projectVersionArn,
      status,
      intervals,
      totals: {
        starts: intervals.length,
        runningMs: sum((i) => i.runningMs),
        busyMs: sum((i) => i.busyMs),
        idleMs: sum((i) => i.idleMs),
        inferences: sum((i) => i.inferences),
        throttled: sum((i) => i.throttled),
      },
    };
  }

  private current(): OpenInterval | undefined {
    const last = this.intervals[this.intervals.length - 1];
    return last && last.stoppedAt === null ? last : undefined;
  }
}
