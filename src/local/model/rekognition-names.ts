import { UserError } from '../../config/user-error';

/** Rekognition's pattern for project and version names. */
const RESOURCE_NAME = /^[a-zA-Z0-9_.-]{1,255}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;

/** `what` names the option in the error, e.g. "project name". */
export function checkResourceName(name: string, what: string): void {
  // "." and ".." pass Rekognition's pattern but would escape the models folder when used as a path.
  if (!RESOURCE_NAME.test(name) || name === '.' || name === '..') {
    throw new UserError(
      `Invalid ${what} ${JSON.stringify(name)}: use 1–255 letters, digits, "_", "." or "-" (and not "." or "..").`,
    );
  }
}

export function checkRegion(region: string): void {
  if (!REGION.test(region)) {
    throw new UserError(`Invalid region ${JSON.stringify(region)}: expected a name such as us-east-1.`);
  }
}

export function checkAccount(account: string): void {
  if (!ACCOUNT.test(account)) {
    throw new UserError(`Invalid account ${JSON.stringify(account)}: expected a 12-digit AWS account id.`);
  }
}

export interface ArnParts {
  region: string;
  account: string;
  project: string;
}

export function projectArn(parts: ArnParts, projectCreatedAt: number): string {
  return `${projectArnPrefix(parts)}${projectCreatedAt}`;
}

/** A project's ARN up to its creation time, which is all one can know of it before looking it up. */
export function projectArnPrefix({ region, account, project }: ArnParts): string {
  return `arn:aws:rekognition:${region}:${account}:project/${project}/`;
}

export function projectVersionArn(
  { region, account, project }: ArnParts,
  version: string,
  createdAt: number,
): string {
  return `arn:aws:rekognition:${region}:${account}:project/${project}/version/${version}/${createdAt}`;
}
