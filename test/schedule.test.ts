import { ScheduleOverlapPolicy } from '@temporalio/client';
import { loadConfig } from '../src/config/config';
import { describeCadence, scheduleHandle, upsertSchedule } from '../src/schedule';
import { connectToTestTemporal, uniqueTaskQueue, type TemporalTestContext } from './support/temporal';

let temporal: TemporalTestContext;

beforeAll(async () => {
  temporal = await connectToTestTemporal();
});

afterAll(() => temporal.close());

function configFor(version: string) {
  return loadConfig({
    SOURCE_BUCKET: 'schedule-in',
    RESULTS_BUCKET: 'schedule-out',
    QUEUE_URL: 'http://localhost:5000/123456789012/schedule',
    PROJECT_VERSION_ARN: `arn:aws:rekognition:us-east-1:123456789012:project/schedule-test/version/${version}/1700000000000`,
    TASK_QUEUE: uniqueTaskQueue('schedule'),
  });
}

it('creates the hourly schedule once, then updates it in place (idempotent upsert)', async () => {
  const config = configFor(`v${Date.now()}`);
  const handle = scheduleHandle(temporal.client, config);
  try {
    expect(await upsertSchedule(temporal.client, config)).toBe('created');
    let description = await handle.describe();
    expect(describeCadence(description)).toBe('every 3600s');
    expect(description.policies).toMatchObject({
      overlap: ScheduleOverlapPolicy.SKIP,
      catchupWindow: 600_000,
    });
    expect(description.action).toMatchObject({ workflowType: 'batchWorkflow', taskQueue: config.taskQueue });

    await handle.pause('maintenance');
    expect(await upsertSchedule(temporal.client, { ...config, concurrency: 3 }, { cron: '0 * * * *' })).toBe(
      'updated',
    );
    description = await handle.describe();
    expect(description.spec.calendars).toHaveLength(1);
    expect(description.state).toMatchObject({ paused: true, note: 'maintenance' });
    const [input] = (description.action as { args: Array<{ settings: { concurrency: number } }> }).args;
    expect(input.settings.concurrency).toBe(3);
  } finally {
    await handle.delete();
  }
});

it('derives one schedule per model version', () => {
  const a = scheduleHandle(temporal.client, configFor('alpha'));
  const b = scheduleHandle(temporal.client, configFor('beta'));
  expect(a.scheduleId).toBe('custom-labels-batch-schedule-test-alpha');
  expect(b.scheduleId).not.toBe(a.scheduleId);
});
