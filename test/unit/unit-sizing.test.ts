import { PIPELINE_EFFICIENCY, sizeInferenceUnits, type UnitSizing } from '../../src/workflows/unit-sizing';

// 5 TPS per unit, 10 minutes to start, a rate limit feeding up to 10 units.
const sizing: UnitSizing = {
  targetMs: 30 * 60_000,
  tpsPerUnit: 5,
  modelStartMs: 10 * 60_000,
  detectRateLimit: 50,
};
const bounds = { min: 1, max: 10 };
// Images one unit finishes in the 20 minutes the target leaves: 5 × 0.95 × 1,200 s.
const perUnitIn20m = 5 * PIPELINE_EFFICIENCY * 1200;

describe('sizeInferenceUnits', () => {
  it('starts the minimum when it finishes in time', () => {
    expect(sizeInferenceUnits(perUnitIn20m, sizing, bounds)).toEqual({
      chosen: 1,
      reason:
        '5700 messages within 30m, 10m of it for the model to start: 1 unit (4.75 images/s) takes 20.0m',
    });
  });

  it('starts the fewest units that finish in time, and says what one fewer would take', () => {
    expect(sizeInferenceUnits(perUnitIn20m + 1, sizing, bounds)).toEqual({
      chosen: 2,
      reason:
        '5701 messages within 30m, 10m of it for the model to start: 2 units (9.50 images/s) take 10.0m; 1 unit (4.75 images/s) takes 20.0m',
    });
    expect(sizeInferenceUnits(7 * perUnitIn20m, sizing, bounds).chosen).toBe(7);
  });

  it('never starts fewer than the minimum', () => {
    expect(sizeInferenceUnits(1, sizing, { min: 3, max: 10 }).chosen).toBe(3);
  });

  it('starts the most units when even they cannot finish in time, and says so', () => {
    expect(sizeInferenceUnits(11 * perUnitIn20m, sizing, bounds)).toEqual({
      chosen: 10,
      reason:
        'cannot finish 62700 messages within 30m, 10m of it for the model to start: at best 10 units (47.50 images/s) take 22.0m',
    });
  });

  it('starts no more units than the detect rate limit feeds: more would bill without finishing sooner', () => {
    const limited = { ...sizing, detectRateLimit: 12 };
    expect(sizeInferenceUnits(2 * perUnitIn20m, limited, bounds).chosen).toBe(2);
    expect(sizeInferenceUnits(3 * perUnitIn20m, limited, bounds)).toEqual({
      chosen: 3,
      reason:
        'cannot finish 17100 messages within 30m, 10m of it for the model to start: at best 3 units (11.40 images/s) take 25.0m; DETECT_RATE_LIMIT 12/s feeds no more than 3',
    });
  });

  it('counts the model’s start against the target', () => {
    const slowStart = { ...sizing, modelStartMs: 25 * 60_000 };
    // 5 minutes left: a quarter of what one unit does in 20.
    expect(sizeInferenceUnits(perUnitIn20m / 4, slowStart, bounds).chosen).toBe(1);
    expect(sizeInferenceUnits(perUnitIn20m / 4 + 1, slowStart, bounds).chosen).toBe(2);
  });
});
