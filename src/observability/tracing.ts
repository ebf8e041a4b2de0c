import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, WorkerOptions } from '@temporalio/worker';

/** Every span this project exports names it as its service. */
export const TRACE_SERVICE_NAME = 'custom-labels-batch';

/** What a worker adds to trace its activities and workflows; a client, to trace the batches it starts. */
export interface Tracing {
  /** Activity spans, children of the workflow span that scheduled them (local activities too). */
  activityInterceptors: ActivityInterceptorsFactory[];
  /** Workflow spans are made in the workflow sandbox and leave it through this sink, never on replay. */
  sinks: NonNullable<WorkerOptions['sinks']>;
  clientInterceptors: ClientInterceptors;
  /** Exports the spans still buffered; the process's last step. */
  shutdown(): Promise<void>;
}

let installed: Tracing | undefined;

/**
 * Traces to an OTLP/gRPC collector, through Temporal's OpenTelemetry interceptors: a batch is one trace
 * (its runs, across continue-as-new, share it) with a span per activity, i.e. per AWS call. Registers the
 * process's OpenTelemetry globals (W3C propagation, async-hooks context), so once per process; without
 * it no interceptor, sink or traced workflow bundle is installed and tracing costs nothing.
 */
export function installTracing(otlpEndpoint: string): Tracing {
  if (installed) return installed;
  const resource = new Resource({ 'service.name': TRACE_SERVICE_NAME });
  const processor = new BatchSpanProcessor(new OTLPTraceExporter({ url: otlpEndpoint }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  installed = {
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    shutdown: () => provider.shutdown(),
  };
  return installed;
}

/** The tracing this process installed, if any: clients made anywhere in it then join the traces. */
export function installedTracing(): Tracing | undefined {
  return installed;
}
