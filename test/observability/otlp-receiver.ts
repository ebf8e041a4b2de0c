import { createServer, type Http2Server, type Http2Session, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { parse } from 'protobufjs';

/**
 * The parts of OTLP's protobuf messages the tests read (field numbers as in opentelemetry-proto);
 * a decoder skips the fields left out.
 */
const OTLP_SUBSET = `
syntax = "proto3";
message ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
message ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
message ScopeSpans { repeated Span spans = 2; }
message Span {
  bytes trace_id = 1;
  bytes span_id = 2;
  bytes parent_span_id = 4;
  string name = 5;
  repeated KeyValue attributes = 9;
}
message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ResourceMetrics { Resource resource = 1; repeated ScopeMetrics scope_metrics = 2; }
message ScopeMetrics { repeated Metric metrics = 2; }
message Metric { string name = 1; }
message Resource { repeated KeyValue attributes = 1; }
message KeyValue { string key = 1; AnyValue value = 2; }
message AnyValue { string string_value = 1; }
`;

const root = parse(OTLP_SUBSET, { keepCase: true }).root;
const TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const METRICS = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export';

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a trace's root. */
  parentSpanId: string;
  name: string;
  service: string;
  attributes: Record<string, string>;
}

interface WireKeyValue {
  key: string;
  value?: { string_value?: string };
}

function attributes(list: WireKeyValue[] = []): Record<string, string> {
  return Object.fromEntries(list.map(({ key, value }) => [key, value?.string_value ?? '']));
}

const hex = (bytes?: Uint8Array) => Buffer.from(bytes ?? []).toString('hex');

/** The messages of one gRPC request body: each a 1-byte compressed flag, a 4-byte length, the bytes. */
function grpcMessages(body: Buffer, encoding: string | undefined): Buffer[] {
  const messages: Buffer[] = [];
  for (let at = 0; at < body.length;) {
    const length = body.readUInt32BE(at + 1);
    const message = body.subarray(at + 5, at + 5 + length);
    messages.push(body[at] === 1 && encoding === 'gzip' ? gunzipSync(message) : message);
    at += 5 + length;
  }
  return messages;
}

/**
 * An OTLP/gRPC collector in the test process, on node's HTTP/2 server: it keeps the spans and metric
 * names it is sent and answers each export with an empty (successful) response.
 */
export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  readonly metricNames = new Set<string>();
  private readonly server: Http2Server = createServer();
  private readonly sessions = new Set<Http2Session>();

  async listen(): Promise<string> {
    this.server.on('session', (session) => {
      this.sessions.add(session);
      session.on('close', () => this.sessions.delete(session));
    });
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const encoding = headers['grpc-encoding'] as string | undefined;
        for (const message of grpcMessages(Buffer.concat(chunks), encoding)) {
          this.take(String(headers[':path']), message);
        }
        respond(stream);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private take(path: string, message: Buffer): void {
    if (path === TRACES) {
      const request = root.lookupType('ExportTraceServiceRequest').decode(message) as unknown as {
        resource_spans: {
          resource?: { attributes: WireKeyValue[] };
          scope_spans: {
            spans: (Record<'trace_id' | 'span_id' | 'parent_span_id', Uint8Array> & {
              name: string;
              attributes: WireKeyValue[];
            })[];
          }[];
        }[];
      };
      for (const resourceSpans of request.resource_spans) {
        const service = attributes(resourceSpans.resource?.attributes)['service.name'] ?? '';
        for (const span of resourceSpans.scope_spans.flatMap((scope) => scope.spans)) {
          this.spans.push({
            traceId: hex(span.trace_id),
            spanId: hex(span.span_id),
            parentSpanId: hex(span.parent_span_id),
            name: span.name,
            service,
            attributes: attributes(span.attributes),
          });
        }
      }
    } else if (path === METRICS) {
      const request = root.lookupType('ExportMetricsServiceRequest').decode(message) as unknown as {
        resource_metrics: { scope_metrics: { metrics: { name: string }[] }[] }[];
      };
      for (const scope of request.resource_metrics.flatMap((resource) => resource.scope_metrics)) {
        for (const metric of scope.metrics) this.metricNames.add(metric.name);
      }
    }
  }

  /** Exporters keep their connection open: closing ends theirs too. */
  close(): Promise<void> {
    for (const session of this.sessions) session.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** An empty export response (all accepted), then status OK in the trailers. */
function respond(stream: ServerHttp2Stream): void {
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
  stream.end(Buffer.alloc(5));
}
