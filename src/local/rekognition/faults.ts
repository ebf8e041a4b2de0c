import { invalidParameter } from './errors';
import { VERSION_STATUSES, type VersionStatus } from './model-version';

export type StartFault = 'fail' | 'hang';

/** Faults tests and benchmarks inject over HTTP or programmatically; `projectVersionArn` omitted = any version. */
export interface FaultRequest {
  projectVersionArn?: string;
  /** The next start ends in FAILED instead of RUNNING. */
  failNextStart?: boolean;
  /** The next start stays STARTING until stopped. */
  hangNextStart?: boolean;
  /** Share of DetectCustomLabels calls (0–1) rejected with ProvisionedThroughputExceededException. */
  throttleFraction?: number;
  /** How long the throttle fraction holds; forever when omitted. */
  throttleForMs?: number;
  /**
   * Objects (`s3://bucket/key`, every version) the model may not read, as under a bucket policy or KMS
   * key that shuts Rekognition out: DetectCustomLabels answers InvalidS3ObjectException while S3 still
   * has them.
   */
  denyObjectReads?: string[];
  /** Answer as an object-detection model does: every label with its `Geometry` (box and polygon). */
  answerWithBoxes?: boolean;
  /**
   * Puts the version (`projectVersionArn` required) in this status, as training, copying, deleting or
   * the service expiring it would: the statuses the local lifecycle does not reach by itself.
   */
  status?: VersionStatus;
  /** A TRAINING_IN_PROGRESS or COPYING_IN_PROGRESS status completes after this long; never when omitted. */
  statusSettlesAfterMs?: number;
}

export interface StatusChange {
  status: VersionStatus;
  settlesAfterMs?: number;
}

const ANY_VERSION = '*';

export class Faults {
  private readonly startFaults = new Map<string, StartFault>();
  private throttle: { fraction: number; until: number; owed: number } | undefined;
  private readonly deniedObjects = new Set<string>();
  private boxes = false;
  private readonly statusChanges = new Map<string, StatusChange>();

  constructor(private readonly now: () => number = Date.now) {}

  inject(request: FaultRequest): void {
    const target = request.projectVersionArn ?? ANY_VERSION;
    if (request.failNextStart && request.hangNextStart) {
      throw invalidParameter('failNextStart and hangNextStart exclude each other.');
    }
    if (request.status !== undefined) this.statusChanges.set(...statusChange(request));
    if (request.failNextStart) this.startFaults.set(target, 'fail');
    if (request.hangNextStart) this.startFaults.set(target, 'hang');
    if (request.throttleFraction !== undefined) {
      const fraction = request.throttleFraction;
      if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
        throw invalidParameter(
          `throttleFraction must be a number from 0 to 1; got ${JSON.stringify(fraction)}.`,
        );
      }
      const forMs = request.throttleForMs;
      if (forMs !== undefined && !(typeof forMs === 'number' && forMs > 0)) {
        throw invalidParameter(
          `throttleForMs must be a positive number of milliseconds; got ${JSON.stringify(forMs)}.`,
        );
      }
      this.throttle = { fraction, until: forMs === undefined ? Infinity : this.now() + forMs, owed: 0 };
    }
    if (request.denyObjectReads !== undefined) {
      const uris = request.denyObjectReads;
      if (!Array.isArray(uris) || !uris.every((uri) => typeof uri === 'string' && uri.startsWith('s3://'))) {
        throw invalidParameter(
          `denyObjectReads must be a list of s3://bucket/key URIs; got ${JSON.stringify(uris)}.`,
        );
      }
      for (const uri of uris) this.deniedObjects.add(uri);
    }
    if (request.answerWithBoxes !== undefined) this.boxes = request.answerWithBoxes === true;
  }

  clear(): void {
    this.startFaults.clear();
    this.statusChanges.clear();
    this.throttle = undefined;
    this.deniedObjects.clear();
    this.boxes = false;
  }

  readDenied(bucket: string, key: string): boolean {
    return this.deniedObjects.has(`s3://${bucket}/${key}`);
  }

  get answersWithBoxes(): boolean {
    return this.boxes;
  }

  takeStartFault(projectVersionArn: string): StartFault | undefined {
    for (const key of [projectVersionArn, ANY_VERSION]) {
      const fault = this.startFaults.get(key);
      if (fault) {
        this.startFaults.delete(key);
        return fault;
      }
    }
    return undefined;
  }

  /** The status a test put the version in since it was last asked for, if any. */
  takeStatusChange(projectVersionArn: string): StatusChange | undefined {
    const change = this.statusChanges.get(projectVersionArn);
    this.statusChanges.delete(projectVersionArn);
    return change;
  }

  /** Spreads rejections evenly (every second call at 0.5) so runs are repeatable. */
  shouldThrottle(): boolean {
    const throttle = this.throttle;
    if (!throttle) return false;
    if (this.now() >= throttle.until) {
      this.throttle = undefined;
      return false;
    }
    throttle.owed += throttle.fraction;
    if (throttle.owed < 1) return false;
    throttle.owed -= 1;
    return true;
  }
}

/** The version a status request names, and the change, once both are valid. */
function statusChange(request: FaultRequest): [string, StatusChange] {
  const { status, statusSettlesAfterMs: settlesAfterMs, projectVersionArn } = request;
  if (!projectVersionArn)
    throw invalidParameter('status needs the projectVersionArn of the version to change.');
  if (!(VERSION_STATUSES as readonly unknown[]).includes(status)) {
    throw invalidParameter(
      `status must be one of ${VERSION_STATUSES.join(', ')}; got ${JSON.stringify(status)}.`,
    );
  }
  if (settlesAfterMs !== undefined && !(typeof settlesAfterMs === 'number' && settlesAfterMs >= 0)) {
    throw invalidParameter(
      `statusSettlesAfterMs must be a number of milliseconds ≥ 0; got ${JSON.stringify(settlesAfterMs)}.`,
    );
  }
  return [projectVersionArn, { status: status!, settlesAfterMs }];
}
