/**
 * The object an S3 event announced: its version where the bucket is versioned, else the key with the
 * eTag it had then. Every step acts on it, never on whatever the key holds by the time the step runs.
 */
export interface AnnouncedObject {
  bucket: string;
  key: string;
  versionId?: string;
  eTag?: string;
}

/** How errors and logs name it: the version or eTag says which upload under the key. */
export function describeObject(object: AnnouncedObject): string {
  const where = `s3://${object.bucket}/${object.key}`;
  if (object.versionId) return `${where} (version ${object.versionId})`;
  return object.eTag ? `${where} (eTag ${object.eTag})` : where;
}
