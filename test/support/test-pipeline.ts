import { createAwsClients } from '../../src/aws-clients';
import { loadConfig, type Config } from '../../src/config/config';
import type { LocalRekognitionServer } from '../../src/local/rekognition';
import { provisionRequestFromConfig, provisionResources } from '../../src/provision';
import { scheduleHandle } from '../../src/schedule';
import { createBatchWorkers } from '../../src/worker';
import { startTestModelServer } from './model-server';
import { connectToTestTemporal, uniqueTaskQueue, type TemporalTestContext } from './temporal';
import { testEnv } from './test-env';

export interface RealStack {
  temporal: TemporalTestContext;
  modelServer: LocalRekognitionServer;
}

/**
 * The suite's Temporal and a model server of the file's own (see startTestModelServer), up before the
 * file's first test and closed after its last. `modelsDir`, read as they start: models of the file's own.
 */
export function realStackPerFile(modelsDir?: () => string): () => RealStack {
  let stack: RealStack | undefined;
  beforeAll(async () => {
    const temporal = await connectToTestTemporal();
    stack = { temporal, modelServer: await startTestModelServer(modelsDir?.()) };
  });
  afterAll(async () => {
    await stack?.modelServer.close();
    await stack?.temporal.close();
  });
  return () => {
    if (!stack) throw new Error('the real stack did not start (see beforeAll’s error)');
    return stack;
  };
}

export interface TestPipeline {
  config: Config;
  clients: ReturnType<typeof createAwsClients>;
  /** The queue's name, `<name>-<suffix>`. */
  queueName: string;
}

/**
 * A pipeline of the test's own on `stack`: buckets `<name>-src-<suffix>` and `<name>-out-<suffix>`, a
 * queue `<name>-<suffix>` with its dead-letter queue, a task queue, and the production workers polling
 * it while `use` runs; then its schedule, if `use` made one, is deleted and the workers are stopped.
 * `settings` (environment variables) go on top of the suite's model and a 200ms status poll.
 */
export async function withTestPipeline<T>(
  stack: RealStack,
  name: string,
  settings: Record<string, string>,
  use: (pipeline: TestPipeline) => Promise<T>,
): Promise<T> {
  const { temporal, modelServer } = stack;
  const taskQueue = uniqueTaskQueue(name).toLowerCase();
  const suffix = taskQueue.replace(/[^a-z0-9]/g, '').slice(-12);
  const queueName = `${name}-${suffix}`;
  const edgeConfig = loadConfig({
    SOURCE_BUCKET: `${name}-src-${suffix}`,
    RESULTS_BUCKET: `${name}-out-${suffix}`,
    QUEUE_URL: `${testEnv('motoEndpoint')}/123456789012/${queueName}`,
    PROJECT_VERSION_ARN: testEnv('modelArn'),
    AWS_ENDPOINT_URL: testEnv('motoEndpoint'),
    AWS_ENDPOINT_URL_REKOGNITION: modelServer.url,
    STATUS_POLL_INTERVAL: '200ms',
    TASK_QUEUE: taskQueue,
    ...settings,
  });
  const clients = createAwsClients(edgeConfig);
  try {
    const resources = await provisionResources(clients, provisionRequestFromConfig(edgeConfig));
    const config: Config = {
      ...edgeConfig,
      queueUrl: resources.queueUrl,
      deadLetterQueueUrl: resources.deadLetterQueueUrl,
    };
    const workers = await createBatchWorkers({
      connection: temporal.nativeConnection,
      namespace: 'default',
      config,
      deps: clients,
      workflowBundle: temporal.workflowBundle,
    });
    const running = workers.run();
    try {
      return await use({ config, clients, queueName });
    } finally {
      await scheduleHandle(temporal.client, config)
        .delete()
        .catch(() => undefined);
      workers.shutdown();
      await running;
    }
  } finally {
    clients.destroy();
  }
}
