import { batchSettingsFrom } from '../../src/batch-settings';
import { loadConfig } from '../../src/config/config';
import { UserError } from '../../src/config/user-error';
import { receiversFor, receiverWindows } from '../../src/workflows/receiver-plan';

const VALID = {
  SOURCE_BUCKET: 'images-in',
  RESULTS_BUCKET: 'images-out',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/images',
  PROJECT_VERSION_ARN: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
};

it('keeps a batch of the default model (5 TPS, CONCURRENCY 10) in one execution', () => {
  expect(batchSettingsFrom(loadConfig(VALID)).receivers).toBe(1);
});

it('derives receivers from the detect rate limit, bounded by windows of at least ten messages', () => {
  // 20 units × 10 TPS with DETECT_RATE_LIMIT 1.2 × capacity and CONCURRENCY 4 × capacity.
  expect(receiversFor({ detectRateLimit: 240, concurrency: 800 })).toBe(24);
  expect(receiversFor({ detectRateLimit: 240, concurrency: 50 })).toBe(5);
  expect(receiversFor({ detectRateLimit: 10, concurrency: 500 })).toBe(1);
  expect(receiversFor({ detectRateLimit: 10_000, concurrency: 9 })).toBe(1);
});

it('takes RECEIVERS over the derived count', () => {
  const config = loadConfig({ ...VALID, RECEIVERS: '3', DETECT_RATE_LIMIT: '1000', CONCURRENCY: '200' });
  expect(batchSettingsFrom(config).receivers).toBe(3);
});

it('names RECEIVERS and its form when it is not a whole number from 1 to 100', () => {
  for (const bad of ['0', '101', 'many', '2.5']) {
    expect(() => loadConfig({ ...VALID, RECEIVERS: bad })).toThrow(UserError);
    expect(() => loadConfig({ ...VALID, RECEIVERS: bad })).toThrow(
      `RECEIVERS must be a whole number from 1 to 100; got "${bad}".`,
    );
  }
});

it('splits the window as evenly as it goes, never into more receivers than messages', () => {
  expect(receiverWindows(10, 3)).toEqual([4, 3, 3]);
  expect(receiverWindows(9, 3)).toEqual([3, 3, 3]);
  expect(receiverWindows(2, 5)).toEqual([1, 1]);
  expect(receiverWindows(10, 1)).toEqual([10]);
});
