import type { Dirent } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../config/user-error';
import { detectImageFormat } from './image-format';

/** Fewer and the held-out split cannot leave both a test image and a few training images per label. */
export const MIN_IMAGES_PER_LABEL = 5;

export interface Dataset {
  /** Folder names, sorted: a label's index is its position here. */
  labels: string[];
  images: Array<{ file: string; label: number }>;
  /** Files that are not JPEG or PNG images, left out of training. */
  skippedFiles: string[];
}

/**
 * Reads a folder-per-label data set, the layout Rekognition Custom Labels can import from S3. Loose files
 * at the top are ignored (a README, a licence); files that are not JPEG/PNG are skipped with a complaint.
 */
export async function readDataset(dataDir: string, log: (line: string) => void): Promise<Dataset> {
  const labels = (await listEntries(dataDir))
    .filter((entry) => entry.isDirectory() && !isHidden(entry.name))
    .map((entry) => entry.name)
    .sort();
  if (labels.length < 2) {
    throw new UserError(
      `${dataDir} has ${labels.length === 0 ? 'no label folders' : `only one label folder (${labels[0]})`}; ` +
        'a classifier needs at least 2. Add one sub-folder per label, named after the label, holding its JPEG/PNG images.',
    );
  }

  const dataset: Dataset = { labels, images: [], skippedFiles: [] };
  const tooSmall: string[] = [];
  for (const [label, name] of labels.entries()) {
    const folder = path.join(dataDir, name);
    let count = 0;
    for (const entry of await listEntries(folder)) {
      const file = path.join(folder, entry.name);
      if (isHidden(entry.name)) continue;
      if (!entry.isFile()) {
        log(`Skipping ${file}: sub-folders of a label folder are not read.`);
      } else if (detectImageFormat(await readStart(file)) === undefined) {
        log(`Skipping ${file}: not a JPEG or PNG image.`);
        dataset.skippedFiles.push(file);
      } else {
        dataset.images.push({ file, label });
        count++;
      }
    }
    if (count < MIN_IMAGES_PER_LABEL) tooSmall.push(`${folder} (${count})`);
  }
  if (tooSmall.length > 0) {
    throw new UserError(
      `Each label needs at least ${MIN_IMAGES_PER_LABEL} JPEG/PNG images; too few in ${tooSmall.join(', ')}. ` +
        'Add images to these folders, or remove them to train without those labels.',
    );
  }
  return dataset;
}

/** Finder and editor droppings (.DS_Store, ._photo.jpg) are not training data and not worth a complaint. */
function isHidden(name: string): boolean {
  return name.startsWith('.');
}

async function listEntries(folder: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    // Code-unit order, not locale order: the same folder must give the same split on every machine.
    return entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      throw new UserError(
        `Data folder ${folder} does not exist or is not a folder; create it with one sub-folder per label.`,
      );
    }
    throw error;
  }
}

/** Enough bytes to recognise the format, without reading whole images twice. */
async function readStart(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(8), 0, 8, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
