import { newBatchState, summarize, type ModelRecord } from '../../src/workflows/batch-state';
import { BATCH_SETTINGS as SETTINGS } from '../support/batch-settings';

/** A batch that started its model on 3 units, saw it RUNNING at 2 min and asked for the stop at 12 min. */
function summaryOf(model: Partial<ModelRecord>) {
  const state = newBatchState();
  state.counts.processed = 1_200;
  state.model = {
    status: 'STOPPED',
    startRequested: true,
    foundUp: false,
    startRequestedAt: 0,
    runningSince: 120_000,
    stopRequestedAt: 720_000,
    stoppedAt: 750_000,
    inferenceUnits: { chosen: 3, reason: 'sized' },
    ...model,
  };
  return summarize(state, SETTINGS, 800_000);
}

describe('the summary’s throughput', () => {
  it('measures the images processed from RUNNING to the stop request, on the units the batch started', () => {
    expect(summaryOf({}).throughput).toEqual({ imagesProcessed: 1_200, busySeconds: 600, inferenceUnits: 3 });
  });

  it('measures nothing of a model the batch did not start, nor of one it did not stop', () => {
    expect(summaryOf({ startRequested: false, foundUp: true })).not.toHaveProperty('throughput');
    expect(summaryOf({ stopRequestedAt: undefined, stoppedAt: undefined })).not.toHaveProperty('throughput');
    expect(summaryOf({ runningSince: undefined })).not.toHaveProperty('throughput');
  });

  it('says which TPS per unit the units were sized from', () => {
    const tpsPerUnit = { tpsPerUnit: 6, source: 'learned' as const, batches: 2, reason: 'learned' };
    expect(summaryOf({ tpsPerUnit }).tpsPerUnit).toEqual(tpsPerUnit);
    expect(summaryOf({})).not.toHaveProperty('tpsPerUnit');
  });
});
