import {
  boolean,
  bindAddress,
  bucketName,
  decimal,
  duration,
  flagOf,
  integer,
  oneOf,
  projectVersionArn,
  queueUrl,
  region,
  sameBucketProblem,
  defaulted,
  optional,
  required,
  text,
  url,
  type SettingSpec,
} from './settings-spec';
import { UserError } from './user-error';
import { durationText } from '../workflows/duration-text';
import { LEARNED_TPS_RANGE } from '../workflows/learned-tps';

/** Every setting: environment variable, CLI flag (its kebab-case), meaning, form and default. */
export const SETTINGS = {
  sourceBucket: required(
    'SOURCE_BUCKET',
    'bucket images are uploaded to (its events feed the queue)',
    bucketName,
  ),
  resultsBucket: required('RESULTS_BUCKET', 'bucket for results, processed and failed images', bucketName),
  queueUrl: required('QUEUE_URL', 'SQS queue receiving the source bucket events', queueUrl),
  deadLetterQueueUrl: optional(
    'DEAD_LETTER_QUEUE_URL',
    'SQS queue for messages that must not be processed (default: QUEUE_URL + "-dlq")',
    queueUrl,
  ),
  projectVersionArn: required('PROJECT_VERSION_ARN', 'Custom Labels model version ARN', projectVersionArn),
  minInferenceUnits: defaulted(
    'MIN_INFERENCE_UNITS',
    'inference units to start the model with',
    integer(1, 100),
    '1',
  ),
  maxInferenceUnits: optional(
    'MAX_INFERENCE_UNITS',
    'upper bound for auto-scaling (unset: no auto-scaling); with TARGET_BATCH_DURATION, the most units a batch may start',
    integer(1, 100),
  ),
  targetBatchDurationMs: optional(
    'TARGET_BATCH_DURATION',
    'finish each batch within this (e.g. 30m) at least cost: start the fewest units, from MIN_INFERENCE_UNITS to MAX_INFERENCE_UNITS, that process the queue in time, fixed for the batch (no auto-scaling); unset: start MIN_INFERENCE_UNITS',
    duration,
  ),
  modelTpsPerInferenceUnit: defaulted(
    'MODEL_TPS_PER_INFERENCE_UNIT',
    'DetectCustomLabels calls per second one inference unit of your model serves (measure it: it depends on the model)',
    decimal(0.1, 10_000),
    '5',
  ),
  learnTpsFromBatches: defaulted(
    'LEARN_TPS_FROM_BATCHES',
    `with TARGET_BATCH_DURATION: size from the TPS per unit the model delivered in up to this many recent completed batches of the same model version on this TASK_QUEUE (the median), kept within a factor of ${LEARNED_TPS_RANGE} of MODEL_TPS_PER_INFERENCE_UNIT; 0: always MODEL_TPS_PER_INFERENCE_UNIT`,
    integer(0, 20),
    '5',
  ),
  modelStartTimeMs: defaulted(
    'MODEL_START_TIME',
    'how long your model takes to start (and stop), which TARGET_BATCH_DURATION leaves for it',
    duration,
    '10m',
  ),
  concurrency: defaulted('CONCURRENCY', 'messages processed at once', integer(1, 500), '10'),
  detectRateLimit: optional(
    'DETECT_RATE_LIMIT',
    'DetectCustomLabels calls per second across all workers, set when a worker starts (default: MODEL_TPS_PER_INFERENCE_UNIT × MIN_INFERENCE_UNITS, or × MAX_INFERENCE_UNITS with TARGET_BATCH_DURATION)',
    decimal(0.1, 10_000),
  ),
  receivers: optional(
    'RECEIVERS',
    'receiver child workflows one batch fans the queue out to, each with a share of CONCURRENCY (default: DETECT_RATE_LIMIT ÷ 10 images/s per receiver, at most CONCURRENCY ÷ 10; 1 keeps the batch in one workflow execution)',
    integer(1, 100),
  ),
  minConfidence: optional(
    'MIN_CONFIDENCE',
    'lowest confidence (0–100) to report; unset: each label’s assumed threshold',
    decimal(0, 100),
  ),
  statusPollIntervalMs: defaulted(
    'STATUS_POLL_INTERVAL',
    'how often a starting or stopping model is looked at again (and the queue, when its count shows visible messages a receive did not get)',
    duration,
    // The model bills from RUNNING, and a batch notices RUNNING half an interval late on average;
    // describing the model is free, and 5 s keeps even a 30-minute start to ~360 polls in the history.
    '5s',
  ),
  modelTransitionTimeoutMs: defaulted(
    'MODEL_TRANSITION_TIMEOUT',
    'give up on a model that is not RUNNING this long after the start request (or not STOPPED after the stop request)',
    duration,
    '60m',
  ),
  messageVisibilityTimeoutMs: defaulted(
    'MESSAGE_VISIBILITY_TIMEOUT',
    'how long a message being processed stays invisible to others (SQS rounds up to whole seconds)',
    duration,
    '10m',
  ),
  continueAsNewAfterEvents: defaulted(
    'CONTINUE_AS_NEW_AFTER_EVENTS',
    'history events one workflow run records before a long batch continues as new',
    // Each handover drains the messages in flight, so fewer is faster. The run goes on recording while
    // it drains (~300 events at CONCURRENCY 20), so 8,000 ends under Temporal's 10,240-event warning
    // and far from its 51,200 limit.
    integer(100, 40_000),
    '8000',
  ),
  maxConsecutiveMessageFailures: defaulted(
    'MAX_CONSECUTIVE_MESSAGE_FAILURES',
    'messages in a row that may fail on their own (each sent to the dead-letter queue with the reason) before the batch stops',
    integer(1, 10_000),
    '10',
  ),
  stopModelStartedElsewhere: defaulted(
    'STOP_MODEL_STARTED_ELSEWHERE',
    'true: also stop at the end a model the batch found STARTING or RUNNING that this project did not start (it may serve someone else); false (default): leave it running. A model this project started is always stopped',
    boolean,
    'false',
  ),
  localAwsCalls: defaulted(
    'LOCAL_AWS_CALLS',
    'true (default): the short S3/SQS calls run as local activities of write-group child workflows, about 1.3 Temporal actions per image instead of 5; false: each is an activity of its own',
    boolean,
    'true',
  ),
  inferenceUnitHourlyCost: defaulted(
    'INFERENCE_UNIT_HOURLY_COST',
    'USD per inference-unit hour, for the cost estimate',
    decimal(0, 1000),
    '4',
  ),
  temporalCostPerMillionActions: defaulted(
    'TEMPORAL_COST_PER_MILLION_ACTIONS',
    'USD per million Temporal Cloud actions, for the cost `run` prints (list price: docs.temporal.io/cloud/pricing)',
    decimal(0, 1000),
    '50',
  ),
  taskQueue: defaulted(
    'TASK_QUEUE',
    'Temporal task queue of the workflow and AWS activities',
    text,
    'custom-labels-batch',
  ),
  // No default: unset, the AWS SDK's chain decides (AWS_PROFILE's region in ~/.aws/config, for one).
  awsRegion: optional('AWS_REGION', 'AWS region (unset: the region of your AWS profile)', region),
  awsEndpointUrl: optional(
    'AWS_ENDPOINT_URL',
    'endpoint for every AWS service (e.g. moto); unset: real AWS',
    url,
  ),
  rekognitionEndpointUrl: optional(
    'AWS_ENDPOINT_URL_REKOGNITION',
    'endpoint for Rekognition only (e.g. the local model server)',
    url,
  ),
  metricsBindAddress: optional(
    'METRICS_BIND_ADDRESS',
    'serve Prometheus metrics (Temporal SDK and pipeline) at http://<this>/metrics, e.g. 127.0.0.1:9464; unset: no endpoint',
    bindAddress,
  ),
  otlpEndpoint: optional(
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'export traces over OTLP/gRPC to this collector, e.g. http://127.0.0.1:4317, and metrics too unless METRICS_BIND_ADDRESS serves them',
    url,
  ),
  logFormat: optional(
    'LOG_FORMAT',
    'json: one JSON object per line; pretty: for a terminal (unset: pretty on a terminal, json otherwise)',
    oneOf('json', 'pretty'),
  ),
} satisfies Record<string, SettingSpec<unknown>>;

type Settings = typeof SETTINGS;
export type SettingKey = keyof Settings;
type ValueOf<S> = S extends SettingSpec<infer T> & { presence: infer P }
  ? P extends 'optional'
    ? T | undefined
    : T
  : never;

export type Config = { [K in keyof Settings]: ValueOf<Settings[K]> } & {
  deadLetterQueueUrl: string;
  detectRateLimit: number;
  detectTaskQueue: string;
};

/** The config fields that reading the settings `K` yields: the detect task queue comes with the task queue. */
export type ConfigOf<K extends SettingKey> = Pick<
  Config,
  K | ('taskQueue' extends K ? 'detectTaskQueue' : never)
>;

/** Settings defaulted from, or checked against, others: reading one reads those too. */
const READ_WITH: Partial<Record<SettingKey, SettingKey[]>> = {
  deadLetterQueueUrl: ['queueUrl'],
  detectRateLimit: [
    'minInferenceUnits',
    'maxInferenceUnits',
    'modelTpsPerInferenceUnit',
    'targetBatchDurationMs',
  ],
  maxInferenceUnits: ['minInferenceUnits'],
  targetBatchDurationMs: ['minInferenceUnits', 'maxInferenceUnits', 'modelStartTimeMs'],
};

/** Variables renamed since: a value left under the old name would otherwise be silently ignored. */
const RENAMED: Array<{ old: string; key: SettingKey; how: string }> = [
  { old: 'MODEL_POLL_INTERVAL', key: 'statusPollIntervalMs', how: 'STATUS_POLL_INTERVAL' },
  { old: 'MODEL_START_DEADLINE', key: 'modelTransitionTimeoutMs', how: 'MODEL_TRANSITION_TIMEOUT' },
  {
    old: 'KEEP_MODEL_STARTED_ELSEWHERE',
    key: 'stopModelStartedElsewhere',
    how: 'STOP_MODEL_STARTED_ELSEWHERE, with the opposite meaning (KEEP_MODEL_STARTED_ELSEWHERE=true is STOP_MODEL_STARTED_ELSEWHERE=false, now the default)',
  },
  {
    old: 'STOP_MODEL_FOUND_RUNNING',
    key: 'stopModelStartedElsewhere',
    how: 'STOP_MODEL_STARTED_ELSEWHERE (default false), which governs only models this project did not start: one it started is always stopped',
  },
];

/**
 * Reads and validates every setting once, at the edge: CLI flags override environment variables.
 * All problems are reported together, each naming the variable and the expected form.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  overrides: Record<string, string | undefined> = {},
): Config {
  return loadConfigSubset(env, overrides, Object.keys(SETTINGS) as SettingKey[]);
}

/**
 * Like loadConfig, for a command that needs only some settings: one that never calls Rekognition
 * must not demand PROJECT_VERSION_ARN.
 */
export function loadConfigSubset<K extends SettingKey>(
  env: NodeJS.ProcessEnv,
  overrides: Record<string, string | undefined>,
  keys: readonly K[],
): ConfigOf<K> {
  const wanted = new Set<SettingKey>(keys.flatMap((key) => [key, ...(READ_WITH[key] ?? [])]));
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  // A value is named as the user gave it: the flag when typed on the command line, else the variable.
  const nameOf = (key: SettingKey) => {
    const { env } = SETTINGS[key];
    return overrides[env] === undefined ? env : flagOf(env);
  };
  for (const { old, key, how } of RENAMED) {
    if (wanted.has(key) && env[old] !== undefined) problems.push(`${old} was renamed: set ${how}.`);
  }
  for (const [key, spec] of Object.entries(SETTINGS) as Array<[SettingKey, SettingSpec<unknown>]>) {
    if (!wanted.has(key)) continue;
    const typed = overrides[spec.env] ?? env[spec.env];
    const raw = typed === undefined || typed === '' ? spec.defaultText : typed;
    if (raw === undefined) {
      if (spec.presence === 'required') problems.push(`${spec.env} is required: ${spec.description}.`);
      values[key] = undefined;
      continue;
    }
    try {
      values[key] = spec.parse(raw, nameOf(key));
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const config = values as Config;
  const sameBucket =
    wanted.has('sourceBucket') && wanted.has('resultsBucket') && problems.length === 0
      ? sameBucketProblem(
          { source: config.sourceBucket, results: config.resultsBucket },
          { source: nameOf('sourceBucket'), results: nameOf('resultsBucket') },
        )
      : undefined;
  if (sameBucket) problems.push(sameBucket);
  if (
    problems.length === 0 &&
    config.maxInferenceUnits !== undefined &&
    config.maxInferenceUnits < config.minInferenceUnits
  ) {
    problems.push(
      `${nameOf('maxInferenceUnits')} (${config.maxInferenceUnits}) must not be below ${nameOf('minInferenceUnits')} (${config.minInferenceUnits}).`,
    );
  }
  if (problems.length === 0 && config.targetBatchDurationMs !== undefined) {
    problems.push(...targetProblems(config, nameOf));
  }
  if (problems.length > 0) throw new UserError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    ...config,
    ...(wanted.has('deadLetterQueueUrl') && {
      deadLetterQueueUrl: config.deadLetterQueueUrl ?? `${config.queueUrl}-dlq`,
    }),
    ...(wanted.has('detectRateLimit') && {
      detectRateLimit: config.detectRateLimit ?? defaultDetectRateLimit(config),
    }),
    ...(wanted.has('taskQueue') && { detectTaskQueue: `${config.taskQueue}-detect` }),
  };
}

/** The model's throughput at the most units a batch may start: the rate limit a worker starts with. */
function defaultDetectRateLimit(config: Config): number {
  const units =
    config.targetBatchDurationMs === undefined
      ? config.minInferenceUnits
      : (config.maxInferenceUnits ?? config.minInferenceUnits);
  return config.modelTpsPerInferenceUnit * units;
}

/** TARGET_BATCH_DURATION chooses between the unit bounds, after the time it leaves for the model to start. */
function targetProblems(config: Config, nameOf: (key: SettingKey) => string): string[] {
  const target = config.targetBatchDurationMs ?? 0;
  const problems: string[] = [];
  if (config.maxInferenceUnits === undefined) {
    problems.push(
      `${nameOf('targetBatchDurationMs')} chooses the units from ${nameOf('minInferenceUnits')} to ${nameOf('maxInferenceUnits')}: set ${nameOf('maxInferenceUnits')} too.`,
    );
  }
  if (target <= config.modelStartTimeMs) {
    problems.push(
      `${nameOf('targetBatchDurationMs')} (${durationText(target)}) must be longer than ${nameOf('modelStartTimeMs')} (${durationText(config.modelStartTimeMs)}), which it leaves for the model to start.`,
    );
  }
  return problems;
}
