import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelFile } from '../../../src/local/model';

let clones = 0;

/**
 * A new version of the test model (a copy of its model.json under a new version name), so that each
 * scenario has its own model version and therefore its own schedule and workflow ids: a scenario
 * that goes wrong cannot leave a batch or a schedule in the way of the next one.
 */
export async function cloneModelVersion(
  modelsDir: string,
  baseArn: string,
  versionName: string,
): Promise<string> {
  const [, project, , baseVersion] = baseArn.split(':').slice(5).join(':').split('/');
  const base = JSON.parse(
    await readFile(join(modelsDir, project, baseVersion, 'model.json'), 'utf8'),
  ) as ModelFile;
  clones += 1;
  const createdAt = base.createdAt + clones;
  const projectVersionArn = base.projectVersionArn.replace(
    /\/version\/[^/]+\/\d+$/,
    `/version/${versionName}/${createdAt}`,
  );
  const dir = join(modelsDir, project, versionName);
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({ ...base, versionName, projectVersionArn, createdAt }),
  );
  return projectVersionArn;
}
