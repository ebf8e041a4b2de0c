import { TRACE_SERVICE_NAME } from '../../src/observability/tracing';
import { MESSAGE_SPAN, MESSAGE_WRITES_SPAN } from '../../src/observability/message-span-tracing';
import { METRIC } from '../../src/observability/metric-names';
import { OtlpReceiver, type ReceivedSpan } from './otlp-receiver';
import { runObservedBatch, type ObservedBatch } from './observed-batch';

/**
 * A batch run by the production worker with OTEL_EXPORTER_OTLP_ENDPOINT set to a collector in this
 * process: the batch must be one trace, a span per message under the batch's span, a span per AWS call
 * (activity) under the span of the message it is for (or the batch's, or its write group's when shared
 * by several messages), and the metrics must arrive there too. Both ways of making the S3/SQS calls:
 * each an activity of the batch, or (the default) local activities of write-group child workflows.
 */
const receiver = new OtlpReceiver();
let endpoint: string;

beforeAll(async () => {
  endpoint = await receiver.listen();
});
afterAll(() => receiver.close());

/** Runs one observed batch and returns its trace: every span whose trace holds the batch's workflow. */
function tracedBatch(localAwsCalls: 'true' | 'false') {
  const traced: { batch?: ObservedBatch; trace: ReceivedSpan[] } = { trace: [] };
  beforeAll(async () => {
    // Stopping the worker exports the spans it still holds.
    const batch = await runObservedBatch({
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      LOCAL_AWS_CALLS: localAwsCalls,
    });
    traced.batch = batch;
    const traceIds = new Set(
      receiver.spans
        .filter((span) => span.attributes.temporalWorkflowId === batch.workflowId)
        .map((span) => span.traceId),
    );
    expect(traceIds.size).toBe(1);
    traced.trace = receiver.spans.filter((span) => traceIds.has(span.traceId));
  });
  afterAll(() => traced.batch?.modelServer.close());
  const named = (name: string) => traced.trace.filter((span) => span.name === name);
  const parentOf = (span: ReceivedSpan) => traced.trace.find((other) => other.spanId === span.parentSpanId);
  /** The activities a span holds, by name, sorted. */
  const callsUnder = (parent: ReceivedSpan) =>
    traced.trace
      .filter((span) => span.parentSpanId === parent.spanId && span.name.startsWith('StartActivity:'))
      .map((span) => span.name)
      .sort();
  return { traced, batch: () => traced.batch!, named, parentOf, callsUnder };
}

const start = (...activities: string[]) => activities.map((activity) => `StartActivity:${activity}`).sort();

/** What every traced batch shows, whichever way it makes its S3/SQS calls. */
function itTracesTheBatch({ traced, batch, named, parentOf }: ReturnType<typeof tracedBatch>) {
  it('makes the batch one trace, rooted in its workflow span', () => {
    const roots = traced.trace.filter((span) => span.parentSpanId === '');
    expect(roots.map((span) => span.name)).toEqual(['RunWorkflow:batchWorkflow']);
    expect(new Set(traced.trace.map((span) => span.service))).toEqual(new Set([TRACE_SERVICE_NAME]));
  });

  it('has a span per message under the batch’s span, and per DetectCustomLabels call under its message', () => {
    const messages = named(MESSAGE_SPAN.name);
    expect(messages).toHaveLength(batch().summary.counts.messages);
    for (const message of messages) expect(parentOf(message)?.name).toBe('RunWorkflow:batchWorkflow');
    expect(new Set(messages.map((message) => message.attributes[MESSAGE_SPAN.messageId])).size).toBe(
      messages.length,
    );
    const runs = named('RunActivity:detectCustomLabels');
    expect(runs).toHaveLength(batch().summary.counts.processed + batch().summary.counts.failed);
    for (const run of runs) {
      const started = parentOf(run);
      expect(started?.name).toBe('StartActivity:detectCustomLabels');
      expect(parentOf(started!)?.name).toBe(MESSAGE_SPAN.name);
      expect(run.attributes.temporalWorkflowId).toBe(batch().workflowId);
    }
  });

  it('has a span per S3 and SQS call, under the span that started it, and for the model’s start and stop', () => {
    const { summary, imageCount } = batch();
    const runsOf = (activity: string) => named(`RunActivity:${activity}`).length;
    expect(runsOf('copyObject')).toBe(imageCount + 1);
    expect(runsOf('putJson')).toBe(imageCount + 1);
    expect(runsOf('deleteObject')).toBe(imageCount + 1);
    expect(runsOf('sendToDeadLetterQueue')).toBe(summary.counts.deadLettered);
    expect(runsOf('receiveMessages')).toBeGreaterThan(0);
    expect(runsOf('startModel')).toBe(1);
    expect(runsOf('stopModel')).toBe(1);
    for (const run of traced.trace.filter((span) => span.name.startsWith('RunActivity:'))) {
      expect(parentOf(run)?.name).toBe(run.name.replace('RunActivity:', 'StartActivity:'));
    }
  });
}

describe('with every S3/SQS call an activity of the batch (LOCAL_AWS_CALLS=false)', () => {
  const observed = tracedBatch('false');
  const { batch, named, callsUnder } = observed;
  itTracesTheBatch(observed);

  it('holds every AWS call of a message in the message’s span', () => {
    const messages = named(MESSAGE_SPAN.name);
    const ofKey = (key: string) =>
      messages.filter((message) => message.attributes[MESSAGE_SPAN.s3Key] === key);
    for (let image = 0; image < batch().imageCount; image += 1) {
      const [message, ...others] = ofKey(`in/${image}.jpg`);
      expect(others).toEqual([]);
      expect(message.attributes[MESSAGE_SPAN.outcome]).toBe('done');
      expect(callsUnder(message)).toEqual(
        start('copyObject', 'deleteMessage', 'deleteObject', 'detectCustomLabels', 'putJson'),
      );
    }
    // The text file: Rekognition rejects it, and it moves to the failures with the reason.
    expect(ofKey('in/notes.txt').map(callsUnder)).toEqual([
      start('copyObject', 'deleteMessage', 'deleteObject', 'detectCustomLabels', 'putJson'),
    ]);
    const rejected = messages.filter((message) => message.attributes[MESSAGE_SPAN.kind] === 'rejected');
    expect(rejected.map(callsUnder)).toEqual([start('deleteMessage', 'sendToDeadLetterQueue')]);
    expect(named('RunActivity:deleteMessage')).toHaveLength(batch().summary.counts.messages);
  });

  it('leaves under the batch’s span only the calls that are not one message’s', () => {
    const batchCalls = new Set(callsUnder(named('RunWorkflow:batchWorkflow')[0]));
    for (const call of start('detectCustomLabels', 'copyObject', 'putJson', 'deleteObject', 'deleteMessage'))
      expect(batchCalls).not.toContain(call);
    expect(batchCalls).toContain('StartActivity:receiveMessages');
    expect(batchCalls).toContain('StartActivity:startModel');
  });

  it('exports the metrics to the same collector', () => {
    expect(receiver.metricNames).toContain(`${METRIC.imagesProcessed}`);
    expect(receiver.metricNames).toContain('temporal_workflow_task_execution_latency');
  });
});

describe('with the writes in write groups (LOCAL_AWS_CALLS=true, the default)', () => {
  const observed = tracedBatch('true');
  const { batch, named, parentOf, callsUnder } = observed;
  itTracesTheBatch(observed);

  it('has a span per message’s writes, under its write group’s span, holding that message’s writes', () => {
    const groups = named('RunWorkflow:writeGroupWorkflow');
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(parentOf(group)?.name).toBe('StartChildWorkflow:writeGroupWorkflow');
      expect(parentOf(parentOf(group)!)?.name).toBe('RunWorkflow:batchWorkflow');
    }
    const writes = named(MESSAGE_WRITES_SPAN.name);
    for (const span of writes) expect(parentOf(span)?.name).toBe('RunWorkflow:writeGroupWorkflow');
    // One per message, carrying the id its span in the batch carries.
    const idsOf = (spans: ReceivedSpan[]) =>
      spans.map((span) => span.attributes[MESSAGE_SPAN.messageId]).sort();
    expect(idsOf(writes)).toEqual(idsOf(named(MESSAGE_SPAN.name)));

    const ofKey = (key: string) => writes.filter((span) => span.attributes[MESSAGE_SPAN.s3Key] === key);
    for (let image = 0; image < batch().imageCount; image += 1) {
      const [span, ...others] = ofKey(`in/${image}.jpg`);
      expect(others).toEqual([]);
      expect(span.attributes[MESSAGE_WRITES_SPAN.end]).toBe('deleted');
      expect(callsUnder(span)).toEqual(start('copyObject', 'deleteObject', 'putJson'));
    }
    expect(ofKey('in/notes.txt').map(callsUnder)).toEqual([start('copyObject', 'deleteObject', 'putJson')]);
    const deadLettered = writes.filter((span) => span.attributes[MESSAGE_WRITES_SPAN.deadLetterReason]);
    expect(deadLettered.map(callsUnder)).toEqual([start('sendToDeadLetterQueue')]);
    expect(deadLettered[0].attributes[MESSAGE_WRITES_SPAN.end]).toBe('deleted');
  });

  it('holds in a message’s span in the batch its detections, and in its group’s span the shared deletes', () => {
    for (const message of named(MESSAGE_SPAN.name)) {
      const calls = new Set(callsUnder(message));
      calls.delete('StartActivity:detectCustomLabels');
      expect([...calls]).toEqual([]);
    }
    const deletes = named('StartActivity:deleteMessages');
    expect(deletes.length).toBeGreaterThan(0);
    for (const span of deletes) expect(parentOf(span)?.name).toBe('RunWorkflow:writeGroupWorkflow');
    expect(named('StartActivity:deleteMessage')).toEqual([]);
    for (const group of named('RunWorkflow:writeGroupWorkflow'))
      expect(new Set(callsUnder(group))).toEqual(new Set(['StartActivity:deleteMessages']));
  });
});
