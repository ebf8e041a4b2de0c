import { MockActivityEnvironment } from '@temporalio/testing';
import { heartbeatingWhileRunning } from '../../src/activities/heartbeats';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function beatsDuring(heartbeatTimeoutMs: number | undefined, runMs: number) {
  const environment = new MockActivityEnvironment({ heartbeatTimeoutMs });
  let beats = 0;
  environment.on('heartbeat', () => (beats += 1));
  const activities = heartbeatingWhileRunning({
    slowCall: async (value: string) => {
      await sleep(runMs);
      return value.toUpperCase();
    },
  });
  const result = await environment.run(activities.slowCall, 'done');
  const beatsAtEnd = beats;
  await sleep(heartbeatTimeoutMs ?? 50);
  return { result, beatsAtEnd, beatsAfter: beats };
}

it('heartbeats every half heartbeat timeout while the activity runs, and stops when it ends', async () => {
  const { result, beatsAtEnd, beatsAfter } = await beatsDuring(100, 330);
  expect(result).toBe('DONE');
  // About six at 50 ms; a loaded machine runs late intervals once, not once per missed tick, so only
  // "some" is certain.
  expect(beatsAtEnd).toBeGreaterThanOrEqual(1);
  expect(beatsAfter).toBe(beatsAtEnd);
});

it('does not heartbeat when the activity has no heartbeat timeout', async () => {
  const { result, beatsAtEnd } = await beatsDuring(undefined, 120);
  expect(result).toBe('DONE');
  expect(beatsAtEnd).toBe(0);
});

it('passes failures through unchanged', async () => {
  const environment = new MockActivityEnvironment({ heartbeatTimeoutMs: 100 });
  const failure = new Error('AccessDenied on s3://bucket/key');
  const activities = heartbeatingWhileRunning({ failingCall: () => Promise.reject(failure) });
  await expect(environment.run(activities.failingCall)).rejects.toBe(failure);
});
