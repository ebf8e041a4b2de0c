import * as path from 'node:path';
import { UserError } from '../../config/user-error';
import { EMBEDDING } from './backbone';
import { readDataset, type Dataset } from './dataset';
import { embedDataset, mapExamples } from './embed-dataset';
import { INFERENCE_VIEWS, TRAINING_VIEWS } from './embedder';
import { evaluate } from './evaluation';
import { ensembleProbabilities, trainHeadEnsemble, trainingSteps } from './head-ensemble';
import { writeModelFile, type ClassificationModelFile } from './model-file';
import { listModelVersions } from './model-versions';
import {
  checkAccount,
  checkRegion,
  checkResourceName,
  projectArn,
  projectArnPrefix,
  projectVersionArn,
  type ArnParts,
} from './rekognition-names';
import { stratifiedSplit } from './split';
import { VersionFolder } from './version-folder';

export interface TrainModelOptions extends VersionOptions {
  /** One sub-folder per label, named after it, holding that label's JPEG/PNG images. */
  dataDir: string;
}

/** What every kind of model version is trained with besides its data. */
export interface VersionOptions {
  project: string;
  /** Defaults to `v<createdAt in epoch ms>`. */
  version?: string;
  modelsDir: string;
  /** For the ARNs; defaults to us-east-1. */
  region?: string;
  /** For the ARNs; defaults to 123456789012. */
  account?: string;
  /** Share of each label's images kept out of training to evaluate on; defaults to 0.2, like Rekognition's auto-split. */
  holdoutFraction?: number;
  /** Seeds the held-out split; defaults to 1. */
  seed?: number;
  log?: (line: string) => void;
}

export type TrainedModel = Omit<ClassificationModelFile, 'schemaVersion' | 'head'> & {
  modelPath: string;
  /** Files in label folders that were not JPEG/PNG images, left out. */
  skippedFiles: string[];
};

/**
 * Trains a version: maps every image, trains the head on the training split and evaluates it on the
 * held-out split. The head saved is that one, not one retrained on everything: as in Rekognition Custom
 * Labels, whose test set is never trained on, the evaluation and the assumed thresholds then describe the
 * very model that is served rather than a sibling trained on more data.
 */
export async function trainModel(options: TrainModelOptions): Promise<TrainedModel> {
  const settings = resolveSettings(options);
  const { log } = settings;
  const folder = new VersionFolder(options.modelsDir, options.project, settings.version);
  await folder.checkIsFree();

  const dataset = await readDataset(options.dataDir, log);
  log(
    `Labels: ${dataset.labels.map((label, index) => `${label} (${countImages(dataset, index)})`).join(', ')}`,
  );
  const split = stratifiedSplit(
    dataset.images.map(({ label }) => label),
    settings.holdoutFraction,
    settings.seed,
  );
  log(`Training on ${split.training.length} images, holding out ${split.heldOut.length} to evaluate on.`);
  const mapping = stopwatch();
  const training = await embedDataset(dataset, split.training, TRAINING_VIEWS, log);
  const heldOut = await embedDataset(dataset, split.heldOut, INFERENCE_VIEWS, log);
  const backbonePasses = [...training, ...heldOut].reduce((sum, { maps }) => sum + maps.length, 0);
  log(`Mapped ${dataset.images.length} images in ${backbonePasses} backbone passes (${mapping()}).`);
  const fitting = stopwatch();
  const head = trainHeadEnsemble(mapExamples(training), EMBEDDING.grid, dataset.labels.length, settings.seed);
  const work = { backbonePasses, optimizerSteps: trainingSteps(head) };
  log(`Fitted ${head.members.length} heads in ${work.optimizerSteps} optimizer steps (${fitting()}).`);
  const evaluation = evaluate(
    dataset.labels,
    heldOut.map(({ maps, target }) => ({ probabilities: ensembleProbabilities(head, maps), target })),
    split.training.length,
  );

  const metadata = {
    kind: 'classification' as const,
    ...(await versionNames(options, settings)),
    labels: dataset.labels,
    thresholds: thresholdsOf(evaluation),
    evaluation,
    training: { ...trainingRecord(settings, { dataDir: path.resolve(options.dataDir) }), work },
    embedding: EMBEDDING,
  };
  const modelPath = await saveVersion(folder, { ...metadata, head }, log);
  return { ...metadata, modelPath, skippedFiles: dataset.skippedFiles };
}

/** Each label's threshold, as the evaluation on the held-out images assumed it. */
export function thresholdsOf(evaluation: {
  perLabel: ReadonlyArray<{ label: string; assumedThreshold: number }>;
}): Record<string, number> {
  return Object.fromEntries(
    evaluation.perLabel.map(({ label, assumedThreshold }) => [label, assumedThreshold]),
  );
}

/** How a version was trained: its input, and the settings that make the training repeatable. */
export function trainingRecord<Input extends Record<string, string>>(settings: Settings, input: Input) {
  return {
    ...input,
    seed: settings.seed,
    holdoutFraction: settings.holdoutFraction,
    durationMs: Date.now() - settings.createdAt,
  };
}

/** Creates the version's folder and writes its model file; returns the file's path. */
export async function saveVersion(
  folder: VersionFolder,
  model: Parameters<typeof writeModelFile>[1],
  log: (line: string) => void,
): Promise<string> {
  await folder.create();
  const modelPath = await writeModelFile(folder.path, model);
  log(`Trained in ${seconds(model.training.durationMs)}; saved ${model.projectVersionArn} to ${modelPath}`);
  return modelPath;
}

/** The names and ARNs of the version being trained. */
export async function versionNames(
  options: Pick<VersionOptions, 'project' | 'modelsDir'>,
  { arnParts, createdAt, version }: Settings,
) {
  return {
    projectName: options.project,
    versionName: version,
    projectArn: (await existingProjectArn(options.modelsDir, arnParts)) ?? projectArn(arnParts, createdAt),
    projectVersionArn: projectVersionArn(arnParts, version, createdAt),
    createdAt,
  };
}

export interface Settings {
  version: string;
  arnParts: ArnParts;
  holdoutFraction: number;
  seed: number;
  log: (line: string) => void;
  createdAt: number;
}

export function resolveSettings(options: VersionOptions): Settings {
  const createdAt = Date.now();
  const settings: Settings = {
    version: options.version ?? `v${createdAt}`,
    arnParts: {
      region: options.region ?? 'us-east-1',
      account: options.account ?? '123456789012',
      project: options.project,
    },
    holdoutFraction: options.holdoutFraction ?? 0.2,
    seed: options.seed ?? 1,
    log: options.log ?? (() => undefined),
    createdAt,
  };
  checkResourceName(options.project, 'project name');
  checkResourceName(settings.version, 'version name');
  checkRegion(settings.arnParts.region);
  checkAccount(settings.arnParts.account);
  if (!(settings.holdoutFraction > 0 && settings.holdoutFraction <= 0.5)) {
    throw new UserError(`holdoutFraction must be above 0 and at most 0.5; got ${settings.holdoutFraction}.`);
  }
  if (!Number.isSafeInteger(settings.seed) || settings.seed < 0) {
    throw new UserError(`seed must be a non-negative integer; got ${settings.seed}.`);
  }
  return settings;
}

/** A project keeps its ARN across versions, as in Rekognition, where the project is created once. */
async function existingProjectArn(modelsDir: string, arnParts: ArnParts): Promise<string | undefined> {
  const prefix = projectArnPrefix(arnParts);
  const versions = await listModelVersions(modelsDir);
  return versions.find((version) => version.projectArn.startsWith(prefix))?.projectArn;
}

/** A function that says how long it has been since it was made, e.g. "12.3 s". */
function stopwatch(): () => string {
  const started = performance.now();
  return () => seconds(performance.now() - started);
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

function countImages(dataset: Dataset, label: number): number {
  return dataset.images.filter((image) => image.label === label).length;
}
