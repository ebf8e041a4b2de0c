import { resumeOrCreate, type LegacyBatchInput } from '../../src/workflows/batch-input';
import { emptyCounts, newBatchState, summarize } from '../../src/workflows/batch-state';
import type { BatchSettings } from '../../src/workflows/batch-types';
import { durationText } from '../../src/workflows/duration-text';

const COMMON = {
  projectVersionArn: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
  queueUrl: 'http://queue/images',
  deadLetterQueueUrl: 'http://queue/images-dlq',
  sourceBucket: 'in',
  resultsBucket: 'out',
  minInferenceUnits: 2,
  concurrency: 4,
  detectTaskQueue: 'detect',
  inferenceUnitHourlyCost: 4,
};

const SETTINGS: BatchSettings = {
  ...COMMON,
  statusPollIntervalMs: 5_000,
  modelTransitionTimeoutMs: 3_600_000,
  messageVisibilityTimeoutSeconds: 601,
  stopModelStartedElsewhere: false,
};

const LEGACY: LegacyBatchInput = {
  settings: {
    ...COMMON,
    modelPollInterval: '5s',
    modelStartDeadline: '60m',
    messageVisibilityTimeout: '600500ms',
    stopModelStartedElsewhere: true,
  },
};

it('creates a new state for a new batch and resumes a handed-over one as it is', () => {
  expect(resumeOrCreate({ settings: SETTINGS })).toEqual({ settings: SETTINGS, state: newBatchState() });
  const state = { ...newBatchState(), phase: 'processing' as const, pages: 7, draining: true };
  expect(resumeOrCreate({ settings: SETTINGS, state }).state).toBe(state);
});

it('reads the input of batches started before settings came parsed (durations as text, old names)', () => {
  expect(resumeOrCreate(LEGACY)).toEqual({
    settings: { ...SETTINGS, stopModelFoundRunning: true },
    state: newBatchState(),
  });
});

it('gives batches started before the model tag the safe default, keeping their old setting for replay', () => {
  const beforeTag = {
    ...COMMON,
    statusPollIntervalMs: 5_000,
    modelTransitionTimeoutMs: 3_600_000,
    messageVisibilityTimeoutSeconds: 601,
    stopModelFoundRunning: true,
  };
  expect(resumeOrCreate({ settings: beforeTag }).settings).toEqual({
    ...SETTINGS,
    stopModelStartedElsewhere: false,
    stopModelFoundRunning: true,
  });
});

it('resumes a legacy carry-over with the model RUNNING, as its run had seen it before handing over', () => {
  const counts = { ...emptyCounts(), processed: 40, messages: 40 };
  const { state } = resumeOrCreate({
    ...LEGACY,
    carryOver: {
      counts,
      startedModel: true,
      foundModelUp: false,
      modelRunningSince: 1_000,
      pages: 5,
      continuedAsNew: 2,
      queuedAtStart: 100,
    },
  });
  expect(state).toEqual({
    ...newBatchState(),
    phase: 'processing',
    counts,
    queuedAtStart: 100,
    model: { status: 'RUNNING', startRequested: true, foundUp: false, runningSince: 1_000 },
    pages: 5,
    continuedAsNew: 2,
  });
});

it('summarizes the billed model time until the stop, or until now for a model left running', () => {
  const state = newBatchState();
  state.model = {
    status: 'STOPPED',
    startRequested: true,
    foundUp: false,
    runningSince: 0,
    stoppedAt: 1_800_000,
  };
  expect(summarize(state, SETTINGS, 9_999_999)).toMatchObject({
    startedModel: true,
    stoppedModel: true,
    modelStartedAt: '1970-01-01T00:00:00.000Z',
    modelStoppedAt: '1970-01-01T00:30:00.000Z',
    modelRunningSeconds: 1_800,
    estimatedInferenceCostUsd: 4, // half an hour × 2 units × $4
  });
  state.model = { status: 'RUNNING', startRequested: false, foundUp: true, runningSince: 0 };
  expect(summarize(state, SETTINGS, 3_600_000)).toMatchObject({
    stoppedModel: false,
    modelRunningSeconds: 3_600,
  });
});

it.each([
  [3_600_000, '1h'],
  [90_000, '90s'],
  [5_000, '5s'],
  [1_500, '1500ms'],
  [0, '0ms'],
])('writes %i ms as %s in messages', (ms, text) => {
  expect(durationText(ms)).toBe(text);
});
