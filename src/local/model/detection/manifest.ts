import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { UserError } from '../../../config/user-error';
import type { BoundingBox } from './boxes';

/** An image of a detection data set and the objects on it, boxes in ratios of the image. */
export interface AnnotatedImage {
  /** As the manifest gives it: a path relative to the manifest, an absolute path or an s3:// URI. */
  sourceRef: string;
  objects: Array<{ label: number; box: BoundingBox }>;
}

export interface DetectionDataset {
  /** Class names, sorted: a label's index is its position here. */
  labels: string[];
  images: AnnotatedImage[];
  /** Folder relative source-refs are read from. */
  baseDir: string;
}

const DETECTION_TYPE = 'groundtruth/object-detection';

interface GroundTruthBoxes {
  image_size?: Array<{ width?: unknown; height?: unknown }>;
  annotations?: Array<{
    class_id?: unknown;
    left?: unknown;
    top?: unknown;
    width?: unknown;
    height?: unknown;
  }>;
}

interface GroundTruthMetadata {
  type?: unknown;
  'class-map'?: Record<string, unknown>;
}

/**
 * Reads a SageMaker Ground Truth bounding-box manifest, the format Rekognition Custom Labels imports: one
 * JSON object per line with `source-ref` and a label attribute (any name) whose `<name>-metadata` has
 * type `groundtruth/object-detection`, pixel boxes in `annotations` and class names in `class-map`.
 */
export async function readDetectionManifest(manifestPath: string): Promise<DetectionDataset> {
  const text = await readFile(manifestPath, 'utf8').catch(() => {
    throw new UserError(`Manifest ${manifestPath} cannot be read: give the path of a .manifest file.`);
  });
  const parsed: Array<{ sourceRef: string; objects: Array<{ name: string; box: BoundingBox }> }> = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${manifestPath} line ${index + 1}`;
    parsed.push(parseLine(line, where));
  });
  const labels = [...new Set(parsed.flatMap(({ objects }) => objects.map(({ name }) => name)))].sort();
  if (labels.length === 0) {
    throw new UserError(`${manifestPath} has no bounding boxes: a detection model needs labelled objects.`);
  }
  return {
    labels,
    baseDir: path.dirname(path.resolve(manifestPath)),
    images: parsed.map(({ sourceRef, objects }) => ({
      sourceRef,
      objects: objects.map(({ name, box }) => ({ label: labels.indexOf(name), box })),
    })),
  };
}

function parseLine(line: string, where: string) {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new UserError(`${where} is not JSON: a manifest has one JSON object per line.`);
  }
  const sourceRef = entry['source-ref'];
  if (typeof sourceRef !== 'string' || sourceRef === '') {
    throw new UserError(`${where} has no "source-ref": each line names its image there.`);
  }
  const attribute = Object.keys(entry).find(
    (key) => (entry[`${key}-metadata`] as GroundTruthMetadata | undefined)?.type === DETECTION_TYPE,
  );
  if (!attribute) {
    throw new UserError(
      `${where} has no bounding-box label attribute (one whose "<name>-metadata" has type "${DETECTION_TYPE}").`,
    );
  }
  const boxes = entry[attribute] as GroundTruthBoxes;
  const classMap = (entry[`${attribute}-metadata`] as GroundTruthMetadata)['class-map'] ?? {};
  const size = boxes.image_size?.[0];
  const [width, height] = [Number(size?.width), Number(size?.height)];
  if (!(width > 0 && height > 0))
    throw new UserError(`${where}: image_size needs a positive width and height.`);
  const objects = (boxes.annotations ?? []).map((annotation) => {
    const name = classMap[String(annotation.class_id)];
    if (typeof name !== 'string') {
      throw new UserError(`${where}: class_id ${String(annotation.class_id)} is not in the class-map.`);
    }
    const [left, top, boxWidth, boxHeight] = [
      annotation.left,
      annotation.top,
      annotation.width,
      annotation.height,
    ].map(Number);
    if (![left, top, boxWidth, boxHeight].every(Number.isFinite) || boxWidth <= 0 || boxHeight <= 0) {
      throw new UserError(`${where}: a ${name} box needs numeric left, top and a positive width and height.`);
    }
    return {
      name,
      box: { Left: left / width, Top: top / height, Width: boxWidth / width, Height: boxHeight / height },
    };
  });
  return { sourceRef, objects };
}
