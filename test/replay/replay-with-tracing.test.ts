import { Resource } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { TRACED_WORKFLOW_INTERCEPTOR_MODULES } from '../../src/observability/workflow-interceptor-modules';
import { replayEveryHistoryWith } from '../support/replay-with-interceptors';

/**
 * A traced worker bundles Temporal's OpenTelemetry workflow interceptors and the span per message:
 * they add headers and spans but no command, so every recorded history (none recorded with them)
 * replays in a traced worker, and a replay exports no span.
 */
const exported = new InMemorySpanExporter();

replayEveryHistoryWith({
  named: 'the tracing interceptors',
  modules: TRACED_WORKFLOW_INTERCEPTOR_MODULES,
  bundled: /interceptors-opentelemetry\/lib\/workflow-interceptors\.js/,
  sinks: { exporter: makeWorkflowExporter(new SimpleSpanProcessor(exported), new Resource({})) },
});

it('exports no span while replaying', () => {
  expect(exported.getFinishedSpans()).toEqual([]);
});
