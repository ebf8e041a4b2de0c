import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { testEnv } from './test-env';

export interface TemporalTestContext {
  client: Client;
  nativeConnection: NativeConnection;
  workflowBundle: WorkflowBundleWithSourceMap;
  close(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflow code bundled once per test file, as the worker would bundle it. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    logger: quietBundlerLogger,
  });
  return bundle;
}

/** Keeps webpack's progress out of test output; warnings and errors still show. */
export const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
};

/**
 * Quiet logs, and no worker heartbeats: their background task would outlive the test server and keep
 * jest from exiting.
 */
export function installTestRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN'), workerHeartbeatInterval: 0 });
  } catch {
    // Already installed by an earlier test file in this process.
  }
}

/** Clients of the jest run's Temporal dev server (started by global-setup.ts). */
export async function connectToTestTemporal(): Promise<TemporalTestContext> {
  installTestRuntime();
  const address = testEnv('temporalAddress');
  const [connection, nativeConnection, workflowBundleValue] = await Promise.all([
    Connection.connect({ address }),
    NativeConnection.connect({ address }),
    workflowBundle(),
  ]);
  return {
    client: new Client({ connection }),
    nativeConnection,
    workflowBundle: workflowBundleValue,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

let counter = 0;
/** A task queue no other test uses. */
export function uniqueTaskQueue(name: string): string {
  counter += 1;
  return `${name}-${process.pid}-${counter}-${Date.now()}`;
}
