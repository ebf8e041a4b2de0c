/** A mistake the user can fix: printed as its message alone, without a stack trace. */
export class UserError extends Error {
  override name = 'UserError';
}
