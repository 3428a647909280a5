// Entry point of the kernel module: everything exported here is callable from JS and workers.
export { gemm, gemmBatch, scratchFloats, isRelaxed } from './gemm';
export { convForward, convBackwardInput, convBackwardWeight } from './conv';
export { expF32, sigmoidF32, tanhF32, softmaxRowsF32 } from './math';
export { addF32, subF32, mulF32, divF32, reluF32, reluBackwardF32, sigmoidBackwardF32, tanhBackwardF32 } from './elementwise';
export { maxPool2x2, poolPlan, scatterAddPlanes, windowMeanBackward } from './pool';
export { winogradWeights, winogradConv, winogradWeightGrad, winogradWeightsBackward } from './winograd';
export { lstmCellForward, lstmCellBackward, gruCellForward, gruCellBackward } from './rnn';
export { normForwardF32, normBackwardF32 } from './norm';
export { sgdF32, adamF32, rmspropF32 } from './optim';
export { word2vecChunk } from './word2vec';
export { qgemm, qim2col, qmaxPool, qquantize } from './qgemm';
