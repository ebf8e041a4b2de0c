import { MIN_UNITS, newBatchState, summarize } from '../../src/workflows/batch-state';
import { BATCH_SETTINGS as SETTINGS } from '../support/batch-settings';

describe('the summary’s inference units', () => {
  it('bills the units the batch chose, and says how long its start took', () => {
    const state = newBatchState();
    state.model = {
      status: 'STOPPED',
      startRequested: true,
      foundUp: false,
      startRequestedAt: 0,
      runningSince: 120_000,
      stoppedAt: 1_920_000,
      inferenceUnits: { chosen: 3, reason: 'sized' },
    };
    expect(summarize(state, SETTINGS, 0)).toMatchObject({
      modelStartSeconds: 120,
      inferenceUnits: { chosen: 3, reason: 'sized' },
      estimatedInferenceCostUsd: 6, // half an hour × 3 units × $4
    });
  });

  it('says MIN_INFERENCE_UNITS for a batch that ran its model before units were recorded', () => {
    const state = newBatchState();
    state.model = {
      status: 'STOPPED',
      startRequested: true,
      foundUp: false,
      runningSince: 0,
      stoppedAt: 3_600_000,
    };
    const summary = summarize(state, SETTINGS, 0);
    expect(summary.inferenceUnits).toEqual({ chosen: 1, reason: MIN_UNITS });
    expect(summary.modelStartSeconds).toBeUndefined();
    expect(summary.estimatedInferenceCostUsd).toBe(4);
  });

  it('has no units for a batch that never brought the model up', () => {
    const state = newBatchState();
    state.queueWasEmpty = true;
    expect(summarize(state, SETTINGS, 0)).not.toHaveProperty('inferenceUnits');
  });
});
