import { MODEL_VERSION_ARN_FORM, parseModelVersionArn } from '../../model-version-arn';
import { invalidParameter } from './errors';

/** Field readers for request bodies: each names the field and the expected form when it is wrong. */
export type RequestBody = Record<string, unknown>;

const PROJECT_ARN = /^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.-]{1,255}\/[0-9]+$/;

export function requiredString(body: RequestBody, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw invalidParameter(`${field} is required and must be a non-empty string.`);
  }
  return value;
}

export function optionalNumber(
  body: RequestBody,
  field: string,
  range: { min: number; max: number; integer?: boolean },
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < range.min ||
    value > range.max ||
    (range.integer && !Number.isInteger(value))
  ) {
    const kind = range.integer ? 'an integer' : 'a number';
    throw invalidParameter(
      `${field} must be ${kind} from ${range.min} to ${range.max}; got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

export function projectVersionArn(body: RequestBody): string {
  const arn = requiredString(body, 'ProjectVersionArn');
  if (!parseModelVersionArn(arn)) {
    throw invalidParameter(
      `ProjectVersionArn ${JSON.stringify(arn)} is not a model version ARN (${MODEL_VERSION_ARN_FORM}).`,
    );
  }
  return arn;
}

export function projectArn(body: RequestBody): string {
  const arn = requiredString(body, 'ProjectArn');
  if (!PROJECT_ARN.test(arn)) {
    throw invalidParameter(
      `ProjectArn ${JSON.stringify(arn)} is not a project ARN (arn:aws:rekognition:<region>:<account>:project/<name>/<number>).`,
    );
  }
  return arn;
}
