import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { MODEL_FILE_NAME, readModelFile, toRecord, type ModelVersionRecord } from './model-file';
import { pathExists } from './path-exists';

/**
 * Every trained version under `<modelsDir>/<project>/<version>/model.json`, by project then age. Reads the
 * files only (no TensorFlow), so it is cheap enough to call per request. A missing modelsDir means no models
 * yet; a version folder without model.json is still training and is left out.
 */
export async function listModelVersions(modelsDir: string): Promise<ModelVersionRecord[]> {
  const records: ModelVersionRecord[] = [];
  for (const project of await subfolders(modelsDir)) {
    for (const version of await subfolders(project)) {
      const modelPath = path.join(version, MODEL_FILE_NAME);
      if (await pathExists(modelPath)) records.push(toRecord(await readModelFile(modelPath), modelPath));
    }
  }
  return records.sort((a, b) => a.projectName.localeCompare(b.projectName) || a.createdAt - b.createdAt);
}

async function subfolders(folder: string): Promise<string[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.filter((entry) => entry.isDirectory()).map((entry) => path.join(folder, entry.name));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
