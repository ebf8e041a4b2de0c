import { createAwsClients } from '../../../src/aws-clients';
import { loadConfig, type Config } from '../../../src/config/config';
import { provisionRequestFromConfig, provisionResources } from '../../../src/provision';
import { testEnv } from '../../support/test-env';

/**
 * The environment variables of a production worker process (see WorkerProcess) on the suite's moto and
 * the given model server: buckets `<name>-in` and `<name>-out`, queue and task queue `<name>`, then
 * `settings`.
 */
export function workerEnv(
  name: string,
  stack: { temporalAddress: string; modelServerUrl: string; projectVersionArn: string },
  settings: Record<string, string>,
): Record<string, string> {
  const motoEndpoint = testEnv('motoEndpoint');
  return {
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: motoEndpoint,
    AWS_ENDPOINT_URL_REKOGNITION: stack.modelServerUrl,
    SOURCE_BUCKET: `${name}-in`,
    RESULTS_BUCKET: `${name}-out`,
    QUEUE_URL: `${motoEndpoint}/123456789012/${name}`,
    PROJECT_VERSION_ARN: stack.projectVersionArn,
    TASK_QUEUE: name,
    ...settings,
  };
}

/**
 * Creates the buckets and queues `env` names; returns it with the queue URLs as the service returned
 * them (for the worker and the schedule alike), its config and clients (the caller destroys them).
 */
export async function provisionWorkerEnv(env: Record<string, string>): Promise<{
  env: Record<string, string>;
  config: Config;
  clients: ReturnType<typeof createAwsClients>;
}> {
  const edgeConfig = loadConfig(env);
  const clients = createAwsClients(edgeConfig);
  try {
    const resources = await provisionResources(clients, provisionRequestFromConfig(edgeConfig));
    const provisioned = {
      ...env,
      QUEUE_URL: resources.queueUrl,
      DEAD_LETTER_QUEUE_URL: resources.deadLetterQueueUrl,
    };
    return { env: provisioned, config: loadConfig(provisioned), clients };
  } catch (error) {
    clients.destroy();
    throw error;
  }
}
