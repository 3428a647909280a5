/**
 * Knowledge distillation (Hinton, Vinyals and Dean 2015, "Distilling the Knowledge in a Neural
 * Network"): a small student learns from a large teacher's softened outputs as well as from the
 * labels. The teacher's weights stay fixed; only the student is updated (the curriculum: 教師モデル
 * の重みを固定し生徒モデルの重みを更新していく, the error uses both the teacher's and the labels').
 *
 * With logits z_s (student) and z_t (teacher), temperature T and weight alpha:
 *   p_t = softmax(z_t / T),  p_s = softmax(z_s / T)
 *   L = alpha * T^2 * KL(p_t || p_s) + (1 - alpha) * CE(y, z_s)
 * KL is the mean over the batch of sum_c p_t,c (log p_t,c - log p_s,c). The T^2 keeps the soft
 * term's gradient, (p_s - p_t) / T per logit, on the scale of the hard term's as T changes.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkOptions, checkRest, checkTensor } from '../tensor/validate.js';
import { fmtShape, shapesEqual } from '../tensor/shape.js';
import { add, crossEntropy, div, klDiv, logSoftmax, mul } from '../ops/index.js';

export interface DistillationLossOptions {
  /** Temperature T > 0 of both softmaxes (default 4; T = 1 is the plain softmax). */
  temperature?: number;
  /** Weight alpha in [0, 1] of the soft (teacher) term; 1 - alpha weighs the labels (default 0.9). */
  alpha?: number;
}

/**
 * The distillation loss alpha * T^2 * KL(softmax(z_t / T) || softmax(z_s / T)) + (1 - alpha) * CE(y, z_s),
 * a scalar. studentLogits z_s [N, C] receive the gradient; teacherLogits z_t [N, C] are detached
 * (the teacher is frozen); labels y are int32 class indices [N].
 * @example const loss = distillationLoss(student.forward(x), teacherLogits, y, { temperature: 4, alpha: 0.9 });
 */
export function distillationLoss(
  studentLogits: Tensor,
  teacherLogits: Tensor,
  labels: Tensor,
  opts: DistillationLossOptions = {},
  ...extra: never[]
): Tensor {
  const fn = 'distillationLoss';
  checkRest(fn, extra, 4, 'distillationLoss(studentLogits, teacherLogits, labels, { temperature?, alpha? })');
  checkTensor(fn, studentLogits, 'argument 1 (studentLogits)');
  checkTensor(fn, teacherLogits, 'argument 2 (teacherLogits)');
  checkTensor(fn, labels, 'argument 3 (labels)');
  const o = checkOptions(fn, 4, opts, { temperature: 'number', alpha: 'number' });
  const T = o.temperature ?? 4;
  const alpha = o.alpha ?? 0.9;
  if (!(T > 0) || !Number.isFinite(T)) throw new Error(`${fn}: temperature must be a finite number > 0, got ${T}`);
  if (!(alpha >= 0 && alpha <= 1)) throw new Error(`${fn}: alpha must be in [0, 1], got ${alpha}`);
  if (studentLogits.ndim !== 2 || !shapesEqual(studentLogits.shape, teacherLogits.shape)) {
    throw new Error(
      `${fn}: studentLogits and teacherLogits must both be [N, C] of one shape, got ${fmtShape(studentLogits.shape)} and ${fmtShape(teacherLogits.shape)}`,
    );
  }
  if (labels.dtype !== 'int32' || labels.ndim !== 1 || labels.shape[0] !== studentLogits.shape[0]) {
    throw new Error(
      `${fn}: labels must be int32 class indices [${studentLogits.shape[0]}], got a ${labels.dtype} tensor ${fmtShape(labels.shape)}`,
    );
  }
  // log p_s and log p_t at temperature T; the teacher's side carries no gradient.
  const logPs = logSoftmax(div(studentLogits, T), 1);
  const logPt = logSoftmax(div(teacherLogits.detach(), T), 1);
  // KL(p_t || p_s), averaged over the batch ('batchmean' is the true KL per example).
  const soft = klDiv(logPs, logPt, { reduction: 'batchmean', logTarget: true });
  const hard = crossEntropy(studentLogits, labels);
  return add(mul(soft, alpha * T * T), mul(hard, 1 - alpha));
}
