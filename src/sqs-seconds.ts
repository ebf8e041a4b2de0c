/** SQS counts whole seconds; rounding up never lets a message reappear before its configured time. */
export function sqsSeconds(milliseconds: number): number {
  return Math.ceil(milliseconds / 1000);
}
