export { loadClassifier, type Classifier, type LabelConfidence } from './classifier';
export type { EmbeddingSpec } from './backbone';
export type { Evaluation, LabelEvaluation } from './evaluation';
export { formatEvaluation } from './format-evaluation';
export {
  OutdatedModelError,
  type ModelFile,
  type ClassificationModelFile,
  type DetectionModelFile,
  type ModelVersionRecord,
  type TrainingSettings,
} from './model-file';
export { listModelVersions } from './model-versions';
export { trainModel, type TrainedModel, type TrainModelOptions } from './train-model';
export {
  trainDetectionModel,
  type TrainDetectionModelOptions,
  type TrainedDetectionModel,
} from './train-detection-model';
export type { DetectedLabel } from './detection/detector';
export type { DetectionEvaluation } from './detection/evaluate-detections';
