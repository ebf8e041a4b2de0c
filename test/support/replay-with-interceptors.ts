import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type ReplayWorkerOptions,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { loadHistories } from './histories';
import { quietBundlerLogger } from './temporal';

/**
 * Tests that every recorded history replays on the workflows bundled with `modules` (workflow
 * interceptor modules), and that the bundle holds them (`bundled` matches its code): interceptors that
 * observe must issue no command. `named`, e.g. "the metrics interceptor", titles the tests.
 */
export function replayEveryHistoryWith(options: {
  named: string;
  modules: string[];
  bundled: RegExp;
  sinks?: ReplayWorkerOptions['sinks'];
}): void {
  const { named, modules, bundled, sinks } = options;
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    // Replay workers log each state change at INFO; warnings and errors are what a failure needs.
    Runtime.install({ logger: new DefaultLogger('WARN'), workerHeartbeatInterval: 0 });
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('../../src/workflows'),
      workflowInterceptorModules: modules,
      logger: quietBundlerLogger,
    });
  });

  it(`bundles ${named}`, () => {
    expect(bundle.code).toMatch(bundled);
  });

  it.each(loadHistories().map((h) => [h.workflowId, h] as const))(
    `replays %s with ${named}`,
    async (_name, { workflowId, history }) => {
      await Worker.runReplayHistory({ workflowBundle: bundle, sinks }, history, workflowId);
    },
  );
}
