import { parseDuration } from './duration';
import { UserError } from './user-error';
import { MODEL_VERSION_ARN_FORM, parseModelVersionArn } from '../model-version-arn';

type Parse<T> = (text: string, name: string) => T;

export interface SettingSpec<T> {
  /** The environment variable; the CLI flag is its kebab-case (`SOURCE_BUCKET` → `--source-bucket`). */
  env: string;
  description: string;
  parse: Parse<T>;
  presence: 'required' | 'optional' | 'defaulted';
  /** As a user would type it: parsed like a typed value, and shown as it is in `--help`. */
  defaultText?: string;
}

export function required<T>(
  env: string,
  description: string,
  parse: Parse<T>,
): SettingSpec<T> & { presence: 'required' } {
  return { env, description, parse, presence: 'required' };
}

export function optional<T>(
  env: string,
  description: string,
  parse: Parse<T>,
): SettingSpec<T> & { presence: 'optional' } {
  return { env, description, parse, presence: 'optional' };
}

export function defaulted<T>(
  env: string,
  description: string,
  parse: Parse<T>,
  defaultText: string,
): SettingSpec<T> & { presence: 'defaulted' } {
  return { env, description, parse, presence: 'defaulted', defaultText };
}

export function flagOf(env: string): string {
  return `--${env.toLowerCase().replace(/_/g, '-')}`;
}

function invalid(name: string, expected: string, text: string): UserError {
  return new UserError(`${name} must be ${expected}; got ${JSON.stringify(text)}.`);
}

export const text: Parse<string> = (value, name) => {
  if (value.trim() === '') throw invalid(name, 'a non-empty value', value);
  return value.trim();
};

/** S3 bucket naming rules: 3–63 characters of a–z, 0–9, '.', '-', starting and ending with a letter or digit. */
export const bucketName: Parse<string> = (value, name) => {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value)) {
    throw invalid(name, 'an S3 bucket name (3–63 of a–z, 0–9, ".", "-")', value);
  }
  return value;
};

/** Outputs written to the source bucket would raise events and be processed again, forever. */
export function sameBucketProblem(
  buckets: { source: string; results: string },
  names: { source: string; results: string },
): string | undefined {
  if (buckets.source !== buckets.results) return undefined;
  return `${names.results} must differ from ${names.source}: outputs in the source bucket would trigger the pipeline again.`;
}

export const queueUrl: Parse<string> = (value, name) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(
      name,
      'an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/images',
      value,
    );
  }
  if (!/^https?:$/.test(url.protocol) || url.pathname.split('/').filter(Boolean).length < 1) {
    throw invalid(
      name,
      'an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/images',
      value,
    );
  }
  return value;
};

export const url: Parse<string> = (value, name) => {
  try {
    return new URL(value).toString().replace(/\/$/, '');
  } catch {
    throw invalid(name, 'a URL such as http://127.0.0.1:5000', value);
  }
};

export const projectVersionArn: Parse<string> = (value, name) => {
  if (!parseModelVersionArn(value))
    throw invalid(name, `a model version ARN (${MODEL_VERSION_ARN_FORM})`, value);
  return value;
};

export function integer(min: number, max: number): Parse<number> {
  return (value, name) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
      throw invalid(name, `a whole number from ${min} to ${max}`, value);
    }
    return number;
  };
}

export function decimal(min: number, max: number): Parse<number> {
  return (value, name) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isFinite(number) || number < min || number > max) {
      throw invalid(name, `a number from ${min} to ${max}`, value);
    }
    return number;
  };
}

/** In milliseconds. */
export const duration: Parse<number> = (value, name) => parseDuration(value, name);

export const boolean: Parse<boolean> = (value, name) => {
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw invalid(name, 'true or false', value);
};

export const region: Parse<string> = (value, name) => {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value)) throw invalid(name, 'an AWS region such as us-east-1', value);
  return value;
};

/** Where a Prometheus endpoint listens: `host:port` (e.g. `127.0.0.1:9464`, `0.0.0.0:9464`, `[::1]:9464`). */
export const bindAddress: Parse<string> = (value, name) => {
  const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[2]) : 0;
  if (!match || port < 1 || port > 65_535) throw invalid(name, 'host:port, e.g. 127.0.0.1:9464', value);
  return value.trim();
};

/** One of the given words. */
export function oneOf<T extends string>(...words: T[]): Parse<T> {
  return (value, name) => {
    if (!(words as string[]).includes(value.trim())) throw invalid(name, words.join(' or '), value);
    return value.trim() as T;
  };
}
