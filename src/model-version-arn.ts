/** What a Custom Labels model version ARN looks like, for messages that say what was expected. */
export const MODEL_VERSION_ARN_FORM =
  'arn:aws:rekognition:<region>:<account>:project/<name>/version/<version>/<number>';

/** Rekognition's own grammar: names of 1–255 of a–z, A–Z, 0–9, '_', '.', '-'; the number is the creation time. */
const MODEL_VERSION_ARN =
  /^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/([a-zA-Z0-9_.-]{1,255})\/version\/([a-zA-Z0-9_.-]{1,255})\/\d+$/;

export interface ModelVersionName {
  projectName: string;
  versionName: string;
}

/** The project and version names a model version ARN carries; undefined when it is not one. */
export function parseModelVersionArn(arn: string): ModelVersionName | undefined {
  const match = MODEL_VERSION_ARN.exec(arn);
  return match ? { projectName: match[1], versionName: match[2] } : undefined;
}
