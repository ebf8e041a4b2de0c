import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../../src/observability/workflow-interceptor-modules';
import { createBatchWorkers } from '../../../src/worker';
import { installTestRuntime, quietBundlerLogger } from '../../support/temporal';
import { testEnv } from '../../support/test-env';
import type { ScenarioStack } from './scenario-stack';

/**
 * The production workers (createBatchWorkers: same activities, same worker options) running
 * diverging-workflows.ts instead of the production workflows, in this process, while `use` runs.
 */
export async function withDivergingWorker<T>(stack: ScenarioStack, use: () => Promise<T>): Promise<T> {
  installTestRuntime();
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('./diverging-workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
  const connection = await NativeConnection.connect({ address: testEnv('temporalAddress') });
  try {
    const workers = await createBatchWorkers({
      connection,
      namespace: 'default',
      config: stack.config,
      deps: stack.clients,
      workflowBundle,
    });
    const running = workers.run();
    try {
      return await use();
    } finally {
      workers.shutdown();
      await running;
    }
  } finally {
    await connection.close();
  }
}
