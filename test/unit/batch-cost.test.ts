import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import { countAwsRequests } from '../../src/cost/aws-requests';
import { batchCost } from '../../src/cost/batch-cost';
import { costLines } from '../../src/cost/cost-text';
import { LIST_PRICES, pricesFrom } from '../../src/cost/prices';
import { replacedDesignBill, replacedDesignCost } from '../../src/cost/replaced-design';
import type { BatchSummary } from '../../src/workflows/batch-types';

const HISTORIES_DIR = join(__dirname, '..', 'replay', 'histories');
const LONG_BATCH =
  '2026-12-01.continues-as-new-on-a-long-batch-stopping-the-model-exactly-once-at-the-end-noth';

function recordedJson(file: string): { events: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')) as {
    events: Array<Record<string, unknown>>;
  };
}

const longBatch = () =>
  Array.from({ length: 5 }, (_, i) => historyFromJSON(recordedJson(`${LONG_BATCH}.${i + 1}.json`)));

/** The summary the chain's last run returned, as recorded in its completed event. */
function recordedSummary(): BatchSummary {
  const completed = recordedJson(`${LONG_BATCH}.5.json`).events.at(-1) as {
    workflowExecutionCompletedEventAttributes: { result: { payloads: Array<{ data: string }> } };
  };
  const data = completed.workflowExecutionCompletedEventAttributes.result.payloads[0].data;
  return JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as BatchSummary;
}

describe('countAwsRequests on a recorded batch', () => {
  it('counts one call per activity attempt, priced by what each call is', () => {
    // 60 images, all first attempts: per image copyObject + putJson (S3 writes), deleteObject (free),
    // deleteMessage; 24 receives and 2 queue counts: 60 + 24 + 2 = 86 SQS requests, 120 S3 writes.
    const requests = countAwsRequests(longBatch());
    expect(requests).toMatchObject({ sqs: 86, s3Writes: 120, s3Reads: 0, s3Deletes: 60, unclassified: [] });
    expect(requests.byActivity).toMatchObject({ detectCustomLabels: 60, receiveMessages: 24, startModel: 1 });
  });
});

type JsonEvent = Record<string, unknown>;
const numbered = (events: JsonEvent[]): History =>
  historyFromJSON({ events: events.map((event, index) => ({ eventId: String(index + 1), ...event })) });
const scheduled = (type: string): JsonEvent => ({
  eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  activityTaskScheduledEventAttributes: { activityType: { name: type } },
});
const started = (scheduledEventId: number, attempt: number): JsonEvent => ({
  eventType: 'EVENT_TYPE_ACTIVITY_TASK_STARTED',
  activityTaskStartedEventAttributes: { scheduledEventId: String(scheduledEventId), attempt },
});
/** A local-activity marker as the TypeScript SDK's core writes it: its data JSON, snake_case. */
const localActivity = (type: string, attempt: number): JsonEvent => ({
  eventType: 'EVENT_TYPE_MARKER_RECORDED',
  markerRecordedEventAttributes: {
    markerName: 'core_local_activity',
    details: {
      data: {
        payloads: [
          {
            metadata: { encoding: Buffer.from('json/plain').toString('base64') },
            data: Buffer.from(
              JSON.stringify({ seq: 1, attempt, activity_id: '1', activity_type: type }),
            ).toString('base64'),
          },
        ],
      },
    },
  },
});

describe('countAwsRequests by rule', () => {
  it('counts every attempt of an activity, from the attempt on its started event', () => {
    const requests = countAwsRequests([
      numbered([scheduled('deleteMessage'), started(1, 3), scheduled('putJson'), started(3, 1)]),
    ]);
    expect(requests).toMatchObject({ sqs: 3, s3Writes: 1, byActivity: { deleteMessage: 3, putJson: 1 } });
  });

  it('counts local activities from their markers, each with its attempts, in a child workflow’s history too', () => {
    const parent = numbered([scheduled('receiveMessages'), started(1, 1)]);
    const child = numbered([
      localActivity('deleteMessage', 1),
      localActivity('copyObject', 2),
      localActivity('sourceObjectExists', 1),
    ]);
    expect(countAwsRequests([parent, child])).toMatchObject({ sqs: 2, s3Writes: 2, s3Reads: 1 });
  });

  it('lists an activity type it cannot price instead of dropping its calls silently', () => {
    const requests = countAwsRequests([numbered([localActivity('deleteMessageBatch', 1)])]);
    expect(requests.unclassified).toEqual(['deleteMessageBatch']);
    expect(requests.byActivity).toEqual({ deleteMessageBatch: 1 });
  });

  it('ignores a patch marker', () => {
    const patch = {
      eventType: 'EVENT_TYPE_MARKER_RECORDED',
      markerRecordedEventAttributes: { markerName: 'core_patch' },
    };
    expect(countAwsRequests([numbered([patch])]).byActivity).toEqual({});
  });
});

describe('the replaced design', () => {
  it('bills a model that starts in 5 minutes 69 minutes when its images take 10: the start poll, then a whole hold', () => {
    // Noticed RUNNING at the first 900 s check (600 s idle), then one 3540 s hold: 4140 s, 74 - 5 = 69 min.
    expect(replacedDesignBill({ modelStartSeconds: 300, processingSeconds: 600, busySeconds: 600 })).toEqual({
      runningSeconds: 4140,
      idleSeconds: 3540,
    });
  });

  it('bills its state transitions, functions, queue and bucket requests for a two-hold batch', () => {
    // Start 1,000 s: two 900 s waits, three Start Model calls. 5,000 s of processing: two holds.
    // Executions: 2 + 2×3 + 2 + 2 + 3×2 + 3 = 21 transitions; the batch spans 1,800 + 7,080 = 8,880 s, so
    // the hourly rule starts two more (7 each): 35. Functions: 1 + 3 + 1 + 2 + 2 + 2×3 + 1,000 = 1,015.
    // SQS: 1 + 2 queue checks, 2 per image, 7,080 s × 5/20 empty receives = 3 + 2,000 + 1,770.
    const cost = replacedDesignCost(
      { images: 1000, modelStartSeconds: 1000, processingSeconds: 5000 },
      LIST_PRICES,
    );
    expect(cost.model.runningSeconds).toBe(1800 - 1000 + 7080);
    expect(cost.model.usd).toBeCloseTo((7880 / 3600) * 4, 10);
    expect(cost.stepFunctions).toEqual({ transitions: 35, usd: expect.closeTo(0.000875, 10) });
    expect(cost.lambda.invocations).toBe(1015);
    expect(cost.lambda.gbSeconds).toBeCloseTo(1015 / 8, 10);
    expect(cost.sqs.requests).toBe(3 + 2000 + 1770);
    expect(cost.s3).toEqual({ writes: 2000, reads: 1000, usd: expect.closeTo(0.01 + 0.0004, 10) });
  });
});

describe('batchCost on a recorded batch', () => {
  it('prices the 60-image continue-as-new batch and the replaced design for it', () => {
    const cost = batchCost(longBatch(), recordedSummary(), LIST_PRICES);
    // Model: 4.655 s × 1 unit × $4/h as its summary says; 338 actions at $50/M; 86 SQS requests at
    // $0.40/M; 120 S3 writes at $0.005 per 1,000.
    expect(cost.images).toBe(60);
    expect(cost.actions.total).toBe(338);
    expect(cost.usd.model).toBeCloseTo((4.655 / 3600) * 4, 12);
    expect(cost.usd.temporal).toBeCloseTo(0.0169, 12);
    expect(cost.usd.sqs).toBeCloseTo(0.0000344, 12);
    expect(cost.usd.s3).toBeCloseTo(0.0006, 12);
    expect(cost.perThousandImagesUsd).toBeCloseTo(
      ((4.655 / 3600) * 4 + 0.0169 + 0.0000344 + 0.0006) / 0.06,
      9,
    );
    // The replaced design: one 900 s poll and one 3540 s hold = 74 billed minutes at 1 unit.
    expect(cost.replaced.model.runningSeconds).toBe(4440);
    expect(cost.replaced.perThousandImagesUsd).toBeGreaterThan(80);
  });

  it('uses the prices the user set', () => {
    const prices = pricesFrom({ temporalCostPerMillionActions: 25, inferenceUnitHourlyCost: 2 });
    const cost = batchCost(longBatch(), recordedSummary(), prices);
    expect(cost.usd.temporal).toBeCloseTo(338 * 25e-6, 12);
    expect(cost.replaced.model.usd).toBeCloseTo((4440 / 3600) * 2, 12);
  });

  it('shares nothing over an empty batch', () => {
    const summary = { ...recordedSummary(), counts: { ...recordedSummary().counts, processed: 0 } };
    const cost = batchCost([], summary, LIST_PRICES);
    expect(cost.perThousandImagesUsd).toBeUndefined();
    expect(cost.actionsPerImage).toBeUndefined();
  });

  it('reads as actions per image and cost per 1,000 images with its parts, against the replaced design', () => {
    const [ours, replaced] = costLines(batchCost(longBatch(), recordedSummary(), LIST_PRICES));
    expect(ours).toBe(
      'cost: 338 Temporal actions for 60 images (5.63 per image); $0.378 per 1,000 images: model $0.086, ' +
        'Temporal $0.282, SQS (86 requests) $0.00057, S3 (120 writes, 0 reads) $0.010',
    );
    expect(replaced).toMatch(
      /^replaced design \(Step Functions \+ Lambda\): \$82\.\d{3} per 1,000 images: model \(74 billed minutes at 1 unit\) \$82\.222, Step Functions \(22 transitions\) \$0\.00917, Lambda \(70 invocations\) \$0\.00266, SQS \$0\.00671, S3 \$0\.010; it costs 217\.\d × this batch$/,
    );
  });
});
