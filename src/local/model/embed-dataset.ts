import { readFile } from 'node:fs/promises';
import { UserError } from '../../config/user-error';
import type { Dataset } from './dataset';
import { embed, warmUpEmbedder } from './embedder';
import type { TrainingExample } from './softmax-regression';

/** Embeds every image of the data set in order, logging progress every tenth of the way. */
export async function embedDataset(
  dataset: Dataset,
  log: (line: string) => void,
): Promise<TrainingExample[]> {
  // Loaded first so that, in the loop, a failure can only be the image's fault.
  await warmUpEmbedder();
  const examples: TrainingExample[] = [];
  const reportEvery = Math.ceil(dataset.images.length / 10);
  for (const { file, label } of dataset.images) {
    const bytes = await readFile(file);
    const features = await embed(bytes).catch((error: unknown) => {
      throw new UserError(`Could not decode ${file} (${(error as Error).message}). Fix or remove it.`);
    });
    examples.push({ features, target: label });
    if (examples.length % reportEvery === 0 || examples.length === dataset.images.length) {
      log(`Embedded ${examples.length}/${dataset.images.length} images`);
    }
  }
  return examples;
}
