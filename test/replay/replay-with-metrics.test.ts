import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/workflow-interceptor-modules';
import { loadHistories } from '../support/histories';
import { quietBundlerLogger } from '../support/temporal';

/**
 * The worker bundles the batch-metrics interceptor with the workflows: it observes and emits metrics
 * but must issue no command, so every recorded history still replays with it in the bundle.
 */
let bundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  // Replay workers log each state change at INFO; warnings and errors are what a failure needs.
  Runtime.install({ logger: new DefaultLogger('WARN'), workerHeartbeatInterval: 0 });
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
});

it('bundles the interceptor', () => {
  expect(bundle.code).toMatch(/"\.\/src\/observability\/workflow-interceptors\.ts"/);
});

it.each(loadHistories().map((h) => [h.workflowId, h] as const))(
  'replays %s with the metrics interceptor',
  async (_name, { workflowId, history }) => {
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
  },
);
