import { batchSettingsFrom } from '../../src/batch-settings';
import { loadConfig } from '../../src/config/config';
import { UserError } from '../../src/config/user-error';

const VALID = {
  SOURCE_BUCKET: 'images-in',
  RESULTS_BUCKET: 'images-out',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/images',
  PROJECT_VERSION_ARN: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
};

function problems(env: Record<string, string>): string {
  try {
    loadConfig({ ...VALID, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

describe('TARGET_BATCH_DURATION and the prices', () => {
  it('leaves batches unsized by default, the rate limit following the TPS per unit and the minimum units', () => {
    const config = loadConfig({ ...VALID, MIN_INFERENCE_UNITS: '2', MODEL_TPS_PER_INFERENCE_UNIT: '7.5' });
    expect(config).toMatchObject({
      targetBatchDurationMs: undefined,
      detectRateLimit: 15,
      temporalCostPerMillionActions: 50,
    });
    expect(batchSettingsFrom(config).unitSizing).toBeUndefined();
  });

  it('sizes each batch between the unit bounds, the workers’ rate limit feeding the most units', () => {
    const config = loadConfig({
      ...VALID,
      TARGET_BATCH_DURATION: '30m',
      MAX_INFERENCE_UNITS: '4',
      MODEL_START_TIME: '5m',
      TEMPORAL_COST_PER_MILLION_ACTIONS: '42',
    });
    expect(config.detectRateLimit).toBe(20);
    expect(config.temporalCostPerMillionActions).toBe(42);
    expect(batchSettingsFrom(config).unitSizing).toEqual({
      targetMs: 1_800_000,
      tpsPerUnit: 5,
      learnFromBatches: 5,
      modelStartMs: 300_000,
      detectRateLimit: 20,
    });
  });

  it('learns the TPS per unit from LEARN_TPS_FROM_BATCHES earlier batches, none at 0', () => {
    const sized = { ...VALID, TARGET_BATCH_DURATION: '30m', MAX_INFERENCE_UNITS: '4' };
    const settings = (more: Record<string, string>) => batchSettingsFrom(loadConfig({ ...sized, ...more }));
    expect(settings({ LEARN_TPS_FROM_BATCHES: '12' }).unitSizing?.learnFromBatches).toBe(12);
    expect(settings({ LEARN_TPS_FROM_BATCHES: '0' }).unitSizing?.learnFromBatches).toBe(0);
    expect(problems({ LEARN_TPS_FROM_BATCHES: 'all' })).toContain(
      'LEARN_TPS_FROM_BATCHES must be a whole number from 0 to 20; got "all".',
    );
    expect(problems({ LEARN_TPS_FROM_BATCHES: '21' })).toContain(
      'LEARN_TPS_FROM_BATCHES must be a whole number from 0 to 20; got "21".',
    );
  });

  it('keeps a DETECT_RATE_LIMIT the user set, which the sizing then sizes against', () => {
    const config = loadConfig({
      ...VALID,
      TARGET_BATCH_DURATION: '30m',
      MAX_INFERENCE_UNITS: '4',
      DETECT_RATE_LIMIT: '8',
    });
    expect(batchSettingsFrom(config).unitSizing?.detectRateLimit).toBe(8);
  });

  it('asks for MAX_INFERENCE_UNITS, and for a target longer than the model’s start', () => {
    expect(problems({ TARGET_BATCH_DURATION: '30m' })).toContain(
      'TARGET_BATCH_DURATION chooses the units from MIN_INFERENCE_UNITS to MAX_INFERENCE_UNITS: set MAX_INFERENCE_UNITS too.',
    );
    expect(problems({ TARGET_BATCH_DURATION: '10m', MAX_INFERENCE_UNITS: '3' })).toContain(
      'TARGET_BATCH_DURATION (10m) must be longer than MODEL_START_TIME (10m), which it leaves for the model to start.',
    );
    expect(problems({ TARGET_BATCH_DURATION: 'half an hour' })).toContain(
      'TARGET_BATCH_DURATION must be a duration such as 500ms, 30s, 5m or 1h; got "half an hour".',
    );
    expect(problems({ TEMPORAL_COST_PER_MILLION_ACTIONS: '-1' })).toContain(
      'TEMPORAL_COST_PER_MILLION_ACTIONS must be a number from 0 to 1000; got "-1".',
    );
  });
});
