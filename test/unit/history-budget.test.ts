import { HISTORY_BYTES_PER_RUN, historyBudgetSpent } from '../../src/workflows/history-budget';

const info = (historyLength: number, historySize = 1000, continueAsNewSuggested = false) => ({
  historyLength,
  historySize,
  continueAsNewSuggested,
});

describe('historyBudgetSpent', () => {
  it('hands over once the run has recorded its event budget', () => {
    expect(historyBudgetSpent(info(9_999), 10_000)).toBe(false);
    expect(historyBudgetSpent(info(10_000), 10_000)).toBe(true);
  });

  it('ignores the server’s earlier suggestion when the batch has its own budget', () => {
    expect(historyBudgetSpent(info(4_500, 1000, true), 10_000)).toBe(false);
  });

  it('hands over on size whatever the event count, for results that make big events', () => {
    expect(historyBudgetSpent(info(2_000, HISTORY_BYTES_PER_RUN), 10_000)).toBe(true);
  });

  it('keeps the server’s suggestion for batches started before the budget existed', () => {
    expect(historyBudgetSpent(info(20_000, 1000, false), undefined)).toBe(false);
    expect(historyBudgetSpent(info(4_100, 1000, true), undefined)).toBe(true);
  });
});
