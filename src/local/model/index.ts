export { loadClassifier, type Classifier, type LabelConfidence } from './classifier';
export type { EmbeddingSpec } from './backbone';
export type { Evaluation, LabelEvaluation } from './evaluation';
export { formatEvaluation } from './format-evaluation';
export {
  OutdatedModelError,
  type ModelFile,
  type ModelVersionRecord,
  type TrainingSettings,
} from './model-file';
export { listModelVersions } from './model-versions';
export { trainModel, type TrainedModel, type TrainModelOptions } from './train-model';
