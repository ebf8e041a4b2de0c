/** The shape sets on disk: a folder per label for classification, a Ground Truth manifest for detection. */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { seededRandom, type Random } from '../src/local/model/seeded-random';
import { between } from './drawing';
import { renderShapeImage, SHAPES, type PlacedShape, type ShapeName } from './shape-images';

/** One shape per image, large enough to be the image's subject. */
export async function writeShapeClassificationSet(
  outDir: string,
  {
    seed,
    imagesPerLabel,
    labels = SHAPES,
  }: { seed: number; imagesPerLabel: number; labels?: readonly ShapeName[] },
): Promise<void> {
  const random = seededRandom(seed);
  for (const label of labels) {
    await mkdir(path.join(outDir, label), { recursive: true });
    for (let index = 1; index <= imagesPerLabel; index++) {
      const image = await renderShapeImage(random, {
        labels: [label],
        radius: [0.15, 0.45],
        side: [128, 480],
      });
      await writeFile(path.join(outDir, label, `${label}-${pad(index)}.${image.extension}`), image.bytes);
    }
  }
}

/**
 * `images` images of 1–3 shapes each, and `train.manifest` beside them: one SageMaker Ground Truth
 * bounding-box line per image, the format Rekognition Custom Labels imports, with `source-ref` relative
 * to the manifest.
 */
export async function writeShapeDetectionSet(
  outDir: string,
  { seed, images }: { seed: number; images: number },
): Promise<string> {
  const random = seededRandom(seed);
  await mkdir(path.join(outDir, 'images'), { recursive: true });
  const lines: string[] = [];
  for (let index = 1; index <= images; index++) {
    const labels = Array.from({ length: between(random, 1, 3) }, () => pick(random, SHAPES));
    const image = await renderShapeImage(random, { labels, radius: [0.1, 0.22], side: [256, 640] });
    const file = `images/shapes-${pad(index)}.${image.extension}`;
    await writeFile(path.join(outDir, file), image.bytes);
    lines.push(JSON.stringify(manifestLine(file, image.width, image.height, image.shapes)));
  }
  const manifestPath = path.join(outDir, 'train.manifest');
  await writeFile(manifestPath, lines.join('\n') + '\n');
  return manifestPath;
}

function manifestLine(sourceRef: string, width: number, height: number, shapes: PlacedShape[]) {
  const classIds = new Map(SHAPES.map((label, index) => [label, index]));
  return {
    'source-ref': sourceRef,
    'bounding-box': {
      image_size: [{ width, height, depth: 3 }],
      annotations: shapes.map(({ label, box }) => ({
        class_id: classIds.get(label),
        left: Math.round(box.left),
        top: Math.round(box.top),
        width: Math.round(box.width),
        height: Math.round(box.height),
      })),
    },
    'bounding-box-metadata': {
      objects: shapes.map(() => ({ confidence: 1 })),
      'class-map': Object.fromEntries(SHAPES.map((label, index) => [String(index), label])),
      type: 'groundtruth/object-detection',
      'human-annotated': 'yes',
      'creation-date': '2024-11-27T00:00:00.000000',
      'job-name': 'generated-shapes',
    },
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

function pad(index: number): string {
  return String(index).padStart(3, '0');
}
