import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { busiestWindow, workerShares } from '../../bench/worker-shares';

// A recorded receiver of a fanned-out batch: one worker process (26802@vm) ran all of it.
const receiver = historyFromJSON(
  JSON.parse(
    readFileSync(
      join(
        __dirname,
        '..',
        'replay',
        'histories',
        '2026-12-01-receivers.drains-every-receiver.receiver-1.json',
      ),
      'utf8',
    ),
  ),
);

describe('which worker ran which task of a batch', () => {
  it('counts workflow and activity tasks by worker identity, and when each detection was dispatched', () => {
    const shares = workerShares([receiver]);
    expect(shares.byIdentity).toEqual({ '26802@vm': { workflowTasks: 37, activityTasks: 39 } });
    expect(shares.detectStartedAt).toHaveLength(7);
    expect(shares.detectStartedAt).toEqual([...shares.detectStartedAt].sort((a, b) => a - b));
  });

  it('finds the most times within any window, its end excluded', () => {
    expect(busiestWindow([0, 100, 900, 1000, 5000], 1000)).toBe(3);
    expect(busiestWindow([], 1000)).toBe(0);
  });
});
