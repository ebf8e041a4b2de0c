import {
  learnTpsPerUnit,
  measuredTpsPerUnit,
  type EarlierBatch,
  type ThroughputMeasurement,
} from '../../src/workflows/learned-tps';

let closed = 0;
/** An earlier batch that processed `imagesProcessed` in `busySeconds` on `inferenceUnits` units. */
function batch(imagesProcessed: number, busySeconds: number, inferenceUnits = 1): EarlierBatch {
  closed += 1;
  return {
    workflowId: `batch-${closed}`,
    runId: `run-${closed}`,
    closedAt: new Date(Date.UTC(2026, 11, 1, closed)).toISOString(),
    throughput: { imagesProcessed, busySeconds, inferenceUnits },
  };
}

// Configured 5 TPS per unit; the workers' rate limit lets 50 calls/s through.
const options = { configured: 5, detectRateLimit: 50, batches: 5 };

describe('measuredTpsPerUnit', () => {
  it('divides the images by the busy seconds and the units, and by the pipeline efficiency the sizing applies', () => {
    const throughput: ThroughputMeasurement = { imagesProcessed: 1140, busySeconds: 100, inferenceUnits: 2 };
    // 1,140 images in 100 s on 2 units: 5.7 images/s per unit, 6 TPS per unit at 0.95 of capacity.
    expect(measuredTpsPerUnit(throughput)).toBeCloseTo(6, 10);
  });
});

describe('learnTpsPerUnit', () => {
  it('uses the configured value when no earlier batch measured the model, and says so', () => {
    expect(learnTpsPerUnit([], options)).toEqual({
      tpsPerUnit: 5,
      source: 'configured',
      batches: 0,
      reason: 'MODEL_TPS_PER_INFERENCE_UNIT: no completed earlier batch of this model measured it',
    });
  });

  it('ignores batches too small to measure, and those the rate limit held rather than the model', () => {
    // 40 images; 60 images in 10 s; 4,500 images in 100 s: 45 images/s, ≥ 0.9 × 0.95 × 50.
    const choice = learnTpsPerUnit([batch(40, 100), batch(60, 10), batch(4500, 100, 10)], options);
    expect(choice).toEqual({
      tpsPerUnit: 5,
      source: 'configured',
      batches: 0,
      reason:
        'MODEL_TPS_PER_INFERENCE_UNIT: none of the 3 earlier batches read measured it (2 under 50 images or 15s busy, 1 held by DETECT_RATE_LIMIT 50/s)',
    });
  });

  it('learns the median TPS per unit of the measured batches, and says from how many', () => {
    // 5.7, 3.8 and 7.6 images/s per unit: 6, 4 and 8 TPS per unit at 0.95.
    const choice = learnTpsPerUnit([batch(570, 100), batch(760, 100, 2), batch(760, 50, 2)], options);
    expect(choice.source).toBe('learned');
    expect(choice.batches).toBe(3);
    expect(choice.tpsPerUnit).toBeCloseTo(6, 10);
    expect(choice.reason).toBe(
      'learned from the 3 earlier batches of this model: images processed ÷ (busy seconds × units × 0.95) = 6.00, 4.00, 8.00, median 6.00',
    );
  });

  it('takes the mean of the middle two of an even count', () => {
    expect(learnTpsPerUnit([batch(570, 100), batch(380, 100)], options).tpsPerUnit).toBeCloseTo(5, 10);
  });

  it('learns from the most recent measured batches only (the list comes newest first)', () => {
    const newest = [batch(570, 100), batch(570, 100)];
    const older = [batch(190, 100), batch(190, 100), batch(190, 100)];
    const choice = learnTpsPerUnit([...newest, batch(10, 100), ...older], { ...options, batches: 2 });
    expect(choice).toMatchObject({ source: 'learned', batches: 2 });
    expect(choice.tpsPerUnit).toBeCloseTo(6, 10);
  });

  it('keeps the learned value within a factor of 4 of the configured one, and says so', () => {
    // 1 image/s per unit: 1.05 TPS; 30 images/s per unit (below the rate limit's 42.75): 31.6 TPS.
    const slow = learnTpsPerUnit([batch(100, 100)], options);
    expect(slow.tpsPerUnit).toBe(1.25);
    expect(slow.reason).toMatch(/median 1\.05, kept to 1\/4 of MODEL_TPS_PER_INFERENCE_UNIT 5$/);
    const fast = learnTpsPerUnit([batch(3000, 100)], options);
    expect(fast.tpsPerUnit).toBe(20);
    expect(fast.reason).toMatch(/median 31\.58, kept to 4 × MODEL_TPS_PER_INFERENCE_UNIT 5$/);
  });
});
