import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../src/local/stack/python-tools';

export interface SampleImage {
  body: Buffer;
  /** jpg, jpeg or png, as named. */
  extension: string;
}

/** The sample dataset's images (sample-data/<label>/…), read once per call, in a stable order. */
export function sampleImages(): SampleImage[] {
  const root = join(PROJECT_DIR, 'sample-data');
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(jpe?g|png)$/i.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort()
    .map((path) => ({ body: readFileSync(path), extension: path.split('.').pop()! }));
}
