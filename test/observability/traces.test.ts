import { TRACE_SERVICE_NAME } from '../../src/observability/tracing';
import { MESSAGE_SPAN } from '../../src/observability/message-span-tracing';
import { METRIC } from '../../src/observability/metric-names';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { runObservedBatch, type ObservedBatch } from './observed-batch';

/**
 * A batch run by the production worker with OTEL_EXPORTER_OTLP_ENDPOINT set to a collector in this
 * process: the batch must be one trace, a span per message under the batch's span, a span per AWS call
 * (activity) under the span of the message it is for (or the batch's), and the metrics must arrive
 * there too.
 */
const receiver = new OtlpReceiver();
let batch: ObservedBatch;
let trace: ReceivedSpan[];

beforeAll(async () => {
  const endpoint = await receiver.listen();
  // Stopping the worker exports the spans it still holds.
  // Every call an activity of the batch, so each is under its message's span (with write groups, the
  // default, the writes are under their group's workflow span instead).
  batch = await runObservedBatch({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, LOCAL_AWS_CALLS: 'false' });
  const traceIds = new Set(
    receiver.spans
      .filter((span) => span.attributes.temporalWorkflowId === batch.workflowId)
      .map((span) => span.traceId),
  );
  expect(traceIds.size).toBe(1);
  trace = receiver.spans.filter((span) => traceIds.has(span.traceId));
});

afterAll(async () => {
  await batch?.modelServer.close();
  await receiver.close();
});

const named = (name: string) => trace.filter((span) => span.name === name);
const parentOf = (span: ReceivedSpan) => trace.find((other) => other.spanId === span.parentSpanId);

it('makes the batch one trace, rooted in its workflow span', () => {
  const roots = trace.filter((span) => span.parentSpanId === '');
  expect(roots.map((span) => span.name)).toEqual(['RunWorkflow:batchWorkflow']);
  expect(new Set(trace.map((span) => span.service))).toEqual(new Set([TRACE_SERVICE_NAME]));
});

it('has a span per DetectCustomLabels call, under the span of the message it is for', () => {
  const { summary } = batch;
  const runs = named('RunActivity:detectCustomLabels');
  expect(runs).toHaveLength(summary.counts.processed + summary.counts.failed);
  for (const run of runs) {
    const start = parentOf(run);
    expect(start?.name).toBe('StartActivity:detectCustomLabels');
    expect(parentOf(start!)?.name).toBe(MESSAGE_SPAN.name);
    expect(parentOf(parentOf(start!)!)?.name).toBe('RunWorkflow:batchWorkflow');
    expect(run.attributes.temporalWorkflowId).toBe(batch.workflowId);
  }
});

/** The activities a message's span holds, by name, sorted. */
const callsUnder = (message: ReceivedSpan) =>
  trace
    .filter((span) => span.parentSpanId === message.spanId)
    .map((span) => span.name)
    .sort();

it('has a span per message, under the batch’s span, holding every AWS call of that message', () => {
  const messages = named(MESSAGE_SPAN.name);
  expect(messages).toHaveLength(batch.summary.counts.messages);
  for (const message of messages) expect(parentOf(message)?.name).toBe('RunWorkflow:batchWorkflow');
  expect(new Set(messages.map((message) => message.attributes[MESSAGE_SPAN.messageId])).size).toBe(
    messages.length,
  );

  const ofKey = (key: string) => messages.filter((message) => message.attributes[MESSAGE_SPAN.s3Key] === key);
  for (let image = 0; image < batch.imageCount; image += 1) {
    const [message, ...others] = ofKey(`in/${image}.jpg`);
    expect(others).toEqual([]);
    expect(message.attributes[MESSAGE_SPAN.outcome]).toBe('done');
    expect(callsUnder(message)).toEqual([
      'StartActivity:copyObject',
      'StartActivity:deleteMessage',
      'StartActivity:deleteObject',
      'StartActivity:detectCustomLabels',
      'StartActivity:putJson',
    ]);
  }
  // The text file: Rekognition rejects it, and it moves to the failures with the reason.
  expect(ofKey('in/notes.txt').map(callsUnder)).toEqual([
    [
      'StartActivity:copyObject',
      'StartActivity:deleteMessage',
      'StartActivity:deleteObject',
      'StartActivity:detectCustomLabels',
      'StartActivity:putJson',
    ],
  ]);
  const rejected = messages.filter((message) => message.attributes[MESSAGE_SPAN.kind] === 'rejected');
  expect(rejected.map(callsUnder)).toEqual([
    ['StartActivity:deleteMessage', 'StartActivity:sendToDeadLetterQueue'],
  ]);
});

it('leaves under the batch’s span only the calls that are not one message’s', () => {
  const batchSpan = named('RunWorkflow:batchWorkflow')[0];
  const batchCalls = new Set(callsUnder(batchSpan));
  for (const call of ['detectCustomLabels', 'copyObject', 'putJson', 'deleteObject', 'deleteMessage']) {
    expect(batchCalls).not.toContain(`StartActivity:${call}`);
  }
  expect(batchCalls).toContain('StartActivity:receiveMessages');
  expect(batchCalls).toContain('StartActivity:startModel');
});

it('has a span per S3 and SQS call of each message, and for the model’s start and stop', () => {
  const { summary, imageCount } = batch;
  const runsOf = (activity: string) => named(`RunActivity:${activity}`).length;
  expect(runsOf('copyObject')).toBe(imageCount + 1);
  expect(runsOf('putJson')).toBe(imageCount + 1);
  expect(runsOf('deleteObject')).toBe(imageCount + 1);
  expect(runsOf('deleteMessage')).toBe(summary.counts.messages);
  expect(runsOf('sendToDeadLetterQueue')).toBe(summary.counts.deadLettered);
  expect(runsOf('receiveMessages')).toBeGreaterThan(0);
  expect(runsOf('startModel')).toBe(1);
  expect(runsOf('stopModel')).toBe(1);
  for (const run of trace.filter((span) => span.name.startsWith('RunActivity:'))) {
    expect(parentOf(run)?.name).toBe(run.name.replace('RunActivity:', 'StartActivity:'));
  }
});

it('exports the metrics to the same collector', () => {
  expect(receiver.metricNames).toContain(`${METRIC.imagesProcessed}`);
  expect(receiver.metricNames).toContain('temporal_workflow_task_execution_latency');
});
