import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { TRACED_WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/workflow-interceptor-modules';
import { loadHistories } from '../support/histories';
import { quietBundlerLogger } from '../support/temporal';

/**
 * A traced worker bundles Temporal's OpenTelemetry workflow interceptors: they add headers and spans
 * but no command, so every recorded history (none recorded with them) replays in a traced worker, and
 * a replay exports no span.
 */
let bundle: WorkflowBundleWithSourceMap;
const exported = new InMemorySpanExporter();
const sinks = { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exported), new Resource({})) };

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN'), workerHeartbeatInterval: 0 });
  bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    workflowInterceptorModules: TRACED_WORKFLOW_INTERCEPTOR_MODULES,
    logger: quietBundlerLogger,
  });
});

it('bundles the tracing interceptors', () => {
  expect(bundle.code).toMatch(/interceptors-opentelemetry\/lib\/workflow-interceptors\.js/);
});

it.each(loadHistories().map((h) => [h.workflowId, h] as const))(
  'replays %s with the tracing interceptors',
  async (_name, { workflowId, history }) => {
    await Worker.runReplayHistory({ workflowBundle: bundle, sinks }, history, workflowId);
  },
);

it('exports no span while replaying', () => {
  expect(exported.getFinishedSpans()).toEqual([]);
});
