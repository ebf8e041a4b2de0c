import { PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { createAwsClients } from '../src/aws-clients';
import { loadConfig, type Config } from '../src/config/config';
import { provisionRequestFromConfig, provisionResources } from '../src/provision';
import type { BenchStack } from './bench-stack';

export interface ScenarioSettings {
  /** Becomes the bucket, queue and task queue names. */
  name: string;
  modelServerUrl: string;
  concurrency: number;
  detectRateLimit: number;
  /** Product default when omitted. */
  statusPollInterval?: string;
  /** The worker's Prometheus endpoint (METRICS_BIND_ADDRESS); off when omitted. */
  metricsBindAddress?: string;
  /** RECEIVERS; 1 when omitted, so that figures stay those of one workflow execution. */
  receivers?: number;
  /** LOCAL_AWS_CALLS, always set, so that a figure says which path it measured whatever the default. */
  localAwsCalls: boolean;
}

/** A scenario name's part telling the two LOCAL_AWS_CALLS paths apart. */
export const awsCallsPath = (localAwsCalls: boolean) => (localAwsCalls ? 'local' : 'activities');

export interface Scenario {
  config: Config;
  /** The environment the worker process reads: the same variables a deployment sets. */
  env: Record<string, string>;
  clients: ReturnType<typeof createAwsClients>;
}

/**
 * Fresh buckets and queues for one scenario, provisioned as `provision` does (S3 notifications into
 * the queue, dead-letter queue, redrive). moto is reset first, so earlier scenarios' objects cost nothing.
 */
export async function provisionScenario(stack: BenchStack, settings: ScenarioSettings): Promise<Scenario> {
  await stack.moto.reset();
  const name = settings.name.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: 'default',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL: stack.moto.endpoint,
    AWS_ENDPOINT_URL_REKOGNITION: settings.modelServerUrl,
    PROJECT_VERSION_ARN: stack.projectVersionArn,
    SOURCE_BUCKET: `bench-${name}-in`,
    RESULTS_BUCKET: `bench-${name}-out`,
    QUEUE_URL: `${stack.moto.endpoint}/123456789012/bench-${name}`,
    CONCURRENCY: String(settings.concurrency),
    DETECT_RATE_LIMIT: String(settings.detectRateLimit),
    TASK_QUEUE: `bench-${name}-${Date.now()}`,
    ...(settings.statusPollInterval && { STATUS_POLL_INTERVAL: settings.statusPollInterval }),
    ...(settings.metricsBindAddress && { METRICS_BIND_ADDRESS: settings.metricsBindAddress }),
    RECEIVERS: String(settings.receivers ?? 1),
    LOCAL_AWS_CALLS: String(settings.localAwsCalls),
  };
  const edgeConfig = loadConfig(env);
  const clients = createAwsClients(edgeConfig);
  const resources = await provisionResources(clients, provisionRequestFromConfig(edgeConfig));
  // Setting the notification queued an s3:TestEvent: scenarios start from an empty queue.
  await clients.sqs.send(new PurgeQueueCommand({ QueueUrl: resources.queueUrl }));
  env.QUEUE_URL = resources.queueUrl;
  env.DEAD_LETTER_QUEUE_URL = resources.deadLetterQueueUrl;
  return { config: loadConfig(env), env, clients };
}
