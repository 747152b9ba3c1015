// @hgrad/train: from a checked graph to training. Compiles IR graphs into engine models, makes
// the data their Dataset node names, and runs the one training loop every host drives.
export { compileGraph, GraphModel, type GraphRun } from './compile.ts';
export { NODE_IMPLS, type NodeImpl, type Inputs, type Outputs } from './kinds.ts';
export {
  loadDataset,
  loadTestSet,
  hasTestSplit,
  filesNeeded,
  type DatasetFiles,
  type LoadedData,
} from './datasets.ts';
export {
  evaluationReport,
  subsetData,
  perClassScores,
  confusionTable,
  type EvaluationReport,
  type ClassScore,
  type Misclassified,
  type ReportOptions,
  type SplitName,
} from './report.ts';
export { makeOptimizer, makeScheduler, type ScheduledRun } from './schedule.ts';
export { scheduleCurve, scheduleOf, type RunLength } from './lr-curve.ts';
export {
  TrainingRun,
  type CarryReport,
  type EpochMetrics,
  type Progress,
  type TrainingRunOptions,
} from './training-run.ts';
export { evaluate, isClassification, type Evaluation } from './evaluate.ts';
export {
  scanTable,
  measureTable,
  tableData,
  standardizeRow,
  guessDelimiter,
  splitFields,
  problemText,
  TableError,
  DELIMITERS,
  type TableScan,
  type TableMeasure,
  type TableChoice,
  type TableData,
  type TableProblem,
  type ColumnSummary,
  type Delimiter,
} from './table.ts';
export {
  imageSample,
  imagesData,
  channelStats,
  folderHash,
  IMAGE_FILES,
  type ImageSamples,
} from './images.ts';
export {
  checkNodeGradient,
  type NodeGradCheck,
  type TensorCheck,
  type CheckedEntry,
} from './node-gradcheck.ts';
export { prepareRun, datasetOf, sampleShape, type PrepareOptions, type PreparedRun } from './prepare.ts';
export { TrainingStopped } from './faults.ts';
