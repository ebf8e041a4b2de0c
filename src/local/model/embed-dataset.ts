import { readFile } from 'node:fs/promises';
import { UserError } from '../../config/user-error';
import type { MapExample } from './conv-head';
import type { Dataset } from './dataset';
import { featureMaps, warmUpEmbedder, type View } from './embedder';

/** One image's feature maps, one per view asked for, and its label's index. */
export interface MappedImage {
  maps: Float32Array[];
  target: number;
}

/** Maps the chosen images of the data set (by index, in that order) in each view, logging progress every tenth of the way. */
export async function embedDataset(
  dataset: Dataset,
  chosen: readonly number[],
  views: readonly View[],
  log: (line: string) => void,
): Promise<MappedImage[]> {
  // Loaded first so that, in the loop, a failure can only be the image's fault.
  await warmUpEmbedder();
  const mapped: MappedImage[] = [];
  const reportEvery = Math.ceil(chosen.length / 10);
  for (const index of chosen) {
    const { file, label } = dataset.images[index];
    const bytes = await readFile(file);
    const maps = await featureMaps(bytes, views).catch((error: unknown) => {
      throw new UserError(`Could not decode ${file} (${(error as Error).message}). Fix or remove it.`);
    });
    mapped.push({ maps, target: label });
    if (mapped.length % reportEvery === 0 || mapped.length === chosen.length) {
      log(`Embedded ${mapped.length}/${chosen.length} images`);
    }
  }
  return mapped;
}

/** Every view of every image as its own example. */
export function mapExamples(images: readonly MappedImage[]): MapExample[] {
  return images.flatMap(({ maps, target }) => maps.map((map) => ({ map, target })));
}
