/**
 * shinsou/node: the parts that need Node.js (file system, gzip, network). The core entry point
 * stays free of them so it runs in browsers.
 */
export { saveFile, loadFile, saveCheckpoint, loadCheckpoint, saveSnapshot, loadSnapshot } from './checkpoint.js';
export { runFiles, type RunFilesOptions } from './train-files.js';
export { writeFileAtomic, readMaybeGzip, readFileLimited, readTextFileLimited, fetchLimited, READ_LIMITS } from './files.js';
export { readIdxFile } from './idx-file.js';
export {
  loadFashionMnist,
  defaultDataDir,
  FASHION_MNIST_CLASSES,
  FASHION_MNIST_FILES,
  FASHION_MNIST_URL,
  DEBIAN_FASHION_MNIST_DIR,
  type FashionMnistOptions,
  type ImageSet,
  type Split,
} from './fashion-mnist.js';
export { trainingCurvesSvg, scatterSvg, vegaLiteSvg, type CurvePoint, type ScatterPoint } from './plot.js';
// Go over GTP with other processes: serve an engine on stdio, drive engines, run matches.
export { serveGtp } from './go/gtp-serve.js';
export { GtpClient, GtpError, splitCommandLine } from './go/gtp-client.js';
export { runMatch, formatSummary, type MatchOptions, type MatchSummary, type GameRecord, type EngineId } from './go/match.js';
export { loadWesnothDialogue, DEBIAN_WESNOTH_CAMPAIGNS, type WesnothOptions } from './wesnoth.js';
export { loadBibleParallel, type BibleParallelOptions } from './bible-parallel.js';
export {
  quantizeRun,
  loadRunModel,
  classifierAccuracy,
  medianMs,
  type QuantizeRunOptions,
  type QuantizeRunReport,
} from './quantize-run.js';
export { loadTrainedRun, buildTrainedModel, type TrainedRun, type BuildTrainedModelOptions } from './trained-run.js';
