import { Tensor } from '../../tensor/tensor.js';
import { findBackend } from '../../backend/index.js';
import { record } from '../../autograd/node.js';
import { defineOp } from '../registry.js';
import { checkArg, checkTensor } from '../../tensor/validate.js';

/**
 * A copy of x on another backend (`x.to('cpu')`, `x.to('wasm')`); x itself when it is already
 * there. Moving is always explicit: ops refuse operands on two devices. The gradient moves back
 * (out = x, so dx = g on x's device). The source must be readable synchronously (a host backend);
 * from device memory, read with `await x.read()` and build the tensor from the values.
 * @example const y = x.to('cpu'); y.device // 'cpu'
 */
export function toDevice(x: Tensor, device: string): Tensor {
  checkTensor('toDevice', x);
  checkArg('toDevice', 'argument 2 (device)', device, 'string');
  if (x.device === device) return x;
  const target = findBackend(device);
  const src = x.backend;
  if (!src.hostMemory) {
    throw new Error(
      `to: cannot move a tensor from '${x.device}' to '${device}' synchronously; use await x.read() and create the tensor on '${device}'`,
    );
  }
  const out = Tensor.empty(x.shape, x.dtype, target.name);
  target.write(out.storage, src.read(src.dense(x)));
  return record('toDevice', [x], out, (g) => [toDevice(g, x.device)], false);
}
defineOp('toDevice', 'differentiable');
