const UNITS: Array<[string, number]> = [
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Milliseconds as a user would have typed them ('60m' reads as '1h'), for messages. */
export function durationText(milliseconds: number): string {
  const [unit, size] = UNITS.find(([, size]) => milliseconds % size === 0 && milliseconds > 0) ?? ['ms', 1];
  return `${milliseconds / size}${unit}`;
}
