import { readFile, rename, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { EmbeddingSpec } from './backbone';
import type { DetectionEvaluation } from './detection/evaluate-detections';
import type { FeatureMapSpec } from './detection/feature-map';
import type { Evaluation } from './evaluation';
import type { HeadEnsemble } from './head-ensemble';
import type { LinearHead } from './linear-head';

export const MODEL_FILE_NAME = 'model.json';
/**
 * 2: the embedding taps several layers (`embedding.layers`); version-1 heads cannot be read by it.
 * 3: a classification head is an ensemble of convolutional heads (`head.members`).
 */
const SCHEMA_VERSION = 3;

/** The contents of `<modelsDir>/<project>/<version>/model.json`. */
export type ModelFile = ClassificationModelFile | DetectionModelFile;

/** Image-level labels. Files written before detection models existed have no `kind`: they are these. */
export interface ClassificationModelFile extends ModelFileBase {
  kind?: 'classification';
  evaluation: Evaluation;
  embedding: EmbeddingSpec;
  head: HeadEnsemble;
}

/** Objects with bounding boxes; the head has one more row than labels, the last for background. */
export interface DetectionModelFile extends ModelFileBase {
  kind: 'detection';
  evaluation: DetectionEvaluation;
  featureMap: FeatureMapSpec;
  head: LinearHead;
}

interface ModelFileBase {
  schemaVersion: typeof SCHEMA_VERSION;
  projectName: string;
  versionName: string;
  projectArn: string;
  projectVersionArn: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** In the head's output order. */
  labels: string[];
  /** Label → assumed threshold, confidence 0–100. */
  thresholds: Record<string, number>;
  training: TrainingSettings;
}

export interface TrainingSettings {
  /** The folder of label folders (classification) or the manifest (detection) trained on. */
  dataDir?: string;
  manifest?: string;
  seed: number;
  holdoutFraction: number;
  durationMs: number;
  /** What training cost, whatever else the machine was doing (classification models from this version on). */
  work?: TrainingWork;
}

export interface TrainingWork {
  /** Images through the backbone, counting each view of an image. */
  backbonePasses: number;
  /** Optimizer steps over all the head's members. */
  optimizerSteps: number;
}

/** A model version as listed: everything but the head's weights, plus where its model.json is. */
export type ModelVersionRecord = OmitEach<ModelFile, 'schemaVersion' | 'head'> & { modelPath: string };

/** Omit over each member of a union, not over the keys they share. */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Writes under a temporary name first, so a listing never sees a half-written model. */
export async function writeModelFile(
  versionDir: string,
  model: OmitEach<ModelFile, 'schemaVersion'>,
): Promise<string> {
  const modelPath = path.join(versionDir, MODEL_FILE_NAME);
  const partialPath = `${modelPath}.partial`;
  await writeFile(partialPath, JSON.stringify({ schemaVersion: SCHEMA_VERSION, ...model }, null, 2) + '\n');
  await rename(partialPath, modelPath);
  return modelPath;
}

export async function readModelFile(modelPath: string): Promise<ModelFile> {
  const text = await readFile(modelPath, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw notAModel(modelPath, (error as Error).message);
  }
  const writtenBy = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof writtenBy === 'number' && writtenBy < SCHEMA_VERSION) {
    throw new OutdatedModelError(
      `${modelPath} was trained by an older custom-labels-batch (model schema ${writtenBy}, now ${SCHEMA_VERSION}); ` +
        'train it again with `custom-labels-batch local train`.',
    );
  }
  const problem = findProblem(parsed);
  if (problem) throw notAModel(modelPath, problem);
  return parsed as ModelFile;
}

/** A model file this version could read once but no longer can: the fix is to train again. */
export class OutdatedModelError extends Error {
  override name = 'OutdatedModelError';
}

function notAModel(modelPath: string, problem: string): Error {
  return new Error(`${modelPath} is not a model written by \`custom-labels-batch local train\`: ${problem}.`);
}

export function toRecord(
  { schemaVersion: _schemaVersion, head: _head, ...metadata }: ModelFile,
  modelPath: string,
): ModelVersionRecord {
  return { ...metadata, modelPath };
}

/** Checks what readers rely on; the rest is reporting. */
function findProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'not a JSON object';
  const model = value as Record<string, unknown>;
  if (model.schemaVersion !== SCHEMA_VERSION) {
    return `schemaVersion is ${String(model.schemaVersion)}, expected ${SCHEMA_VERSION}`;
  }
  for (const field of ['projectName', 'versionName', 'projectArn', 'projectVersionArn'] as const) {
    if (typeof model[field] !== 'string') return `${field} is missing`;
  }
  if (typeof model.createdAt !== 'number') return 'createdAt is missing';
  const labels = model.labels;
  if (!Array.isArray(labels) || !labels.every((label) => typeof label === 'string')) {
    return 'labels is not a list of names';
  }
  if (typeof model.thresholds !== 'object' || model.thresholds === null) return 'thresholds is missing';
  const detection = model.kind === 'detection';
  if (model.kind !== undefined && model.kind !== 'classification' && !detection) {
    return `kind is ${JSON.stringify(model.kind)}, expected classification or detection`;
  }
  const problem = detection ? linearHeadProblem(model.head, labels.length + 1) : convHeadProblem(model.head);
  if (problem) return problem;
  const features = detection ? 'featureMap' : 'embedding';
  if (typeof model[features] !== 'object' || model[features] === null) return `${features} is missing`;
  return undefined;
}

function linearHeadProblem(value: unknown, rows: number): string | undefined {
  const head = value as Partial<LinearHead> | undefined;
  if (!Array.isArray(head?.weights) || !Array.isArray(head.biases) || head.weights.length !== rows) {
    return 'head does not have one row of weights per label and one for background';
  }
  return undefined;
}

/** Only whether it is one: the members' shapes are checked against the embedding when it is loaded. */
function convHeadProblem(value: unknown): string | undefined {
  const members = (value as Partial<HeadEnsemble> | null | undefined)?.members;
  return Array.isArray(members) && members.length > 0 ? undefined : 'head has no members';
}
