import { SETTINGS } from '../../src/config/config';
import { parseDuration } from '../../src/config/duration';
import { DEFAULT_MAX_RECEIVE_COUNT } from '../../src/provision/definitions';
import { DEFAULT_CADENCE } from '../../src/schedule';

/** What `cdk synth/deploy -c key=value` can set; every key has a default except the worker's own. */
export interface StackSettings {
  /** Prefix of every resource name; bucket names add the account and region to be globally unique. */
  name: string;
  /** The worker's MESSAGE_VISIBILITY_TIMEOUT, which is also the queue's visibility timeout. */
  visibilityTimeoutSeconds: number;
  maxReceiveCount: number;
  /** How often `schedule create` runs a batch: the oldest-message alarm counts in these. */
  schedulePeriodSeconds: number;
  oldestMessageAlarmPeriods: number;
  modelRunningAlarmHours: number;
  /** Email address the alarms notify (confirmed by the recipient); none: alarms only show in CloudWatch. */
  alarmEmail?: string;
  /** Present only when the stack runs the worker on ECS Fargate (`-c worker=true`). */
  worker?: WorkerSettings;
}

export interface WorkerSettings {
  /** The worker image, e.g. an ECR URI the Dockerfile's image was pushed to. */
  image: string;
  /** Secrets Manager secret (full ARN) holding the Temporal connection settings as JSON. */
  temporalSecretArn: string;
  temporalAuth: 'api-key' | 'mtls';
}

/** `app.node.tryGetContext`: strings from `-c key=value`, any JSON value from cdk.json. */
type Context = (key: string) => unknown;

/** Reads and checks the context at synth time, so a typo fails `cdk synth` instead of a deployment. */
export function settingsFromContext(context: Context): StackSettings {
  const text = (key: string): string | undefined => {
    const value = context(key);
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
  };
  const whole = (key: string, fallback: number, min: number, max: number): number => {
    const raw = text(key);
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`context ${key} must be a whole number from ${min} to ${max}; got ${raw}.`);
    }
    return value;
  };
  const seconds = (key: string, fallback: string): number =>
    Math.ceil(parseDuration(text(key) ?? fallback, `context ${key}`) / 1000);

  const name = text('name') ?? 'custom-labels-batch';
  if (!/^[a-z0-9][a-z0-9-]{0,19}$/.test(name)) {
    throw new Error(
      `context name must be 1–20 lowercase letters, digits or "-" (it starts bucket names); got ${name}.`,
    );
  }
  return {
    name,
    visibilityTimeoutSeconds: seconds('messageVisibilityTimeout', defaultVisibilityTimeout()),
    maxReceiveCount: whole('maxReceiveCount', DEFAULT_MAX_RECEIVE_COUNT, 1, 1_000),
    schedulePeriodSeconds: seconds('schedulePeriod', defaultSchedulePeriod()),
    oldestMessageAlarmPeriods: whole('oldestMessageAlarmPeriods', 2, 1, 100),
    modelRunningAlarmHours: whole('modelRunningAlarmHours', 4, 1, 168),
    alarmEmail: text('alarmEmail'),
    worker: text('worker') === 'true' ? workerSettings(text) : undefined,
  };
}

/** The worker's own default, so that the queue and the worker agree without anyone setting it. */
function defaultVisibilityTimeout(): string {
  const { defaultText } = SETTINGS.messageVisibilityTimeoutMs;
  if (defaultText === undefined)
    throw new Error('MESSAGE_VISIBILITY_TIMEOUT has no default: set context messageVisibilityTimeout.');
  return defaultText;
}

function defaultSchedulePeriod(): string {
  if (!('every' in DEFAULT_CADENCE))
    throw new Error('the default schedule is a cron: set context schedulePeriod.');
  return DEFAULT_CADENCE.every;
}

function workerSettings(text: (key: string) => string | undefined): WorkerSettings {
  const image = text('workerImage');
  const temporalSecretArn = text('temporalSecretArn');
  const temporalAuth = text('temporalAuth') ?? 'api-key';
  if (!image) throw new Error('context worker=true needs workerImage (the worker image to run).');
  if (
    !temporalSecretArn ||
    !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+-[A-Za-z0-9]{6}$/.test(temporalSecretArn)
  ) {
    throw new Error(
      `context worker=true needs temporalSecretArn, the full ARN of the Secrets Manager secret with the Temporal settings (ending in its 6-character suffix); got ${temporalSecretArn}.`,
    );
  }
  if (temporalAuth !== 'api-key' && temporalAuth !== 'mtls') {
    throw new Error(`context temporalAuth must be api-key or mtls; got ${temporalAuth}.`);
  }
  return { image, temporalSecretArn, temporalAuth };
}
