/**
 * The op registry: every public op declares itself here with whether it has a gradient. Tests walk
 * the registry to prove that each differentiable op is gradient-checked and that nothing that
 * claims a gradient silently lacks one.
 */
export interface OpInfo {
  name: string;
  /**
   * 'differentiable': float inputs get gradients. 'nondifferentiable': the output carries no
   * gradient (integer/bool results, sampling); such ops return tensors with requiresGrad false.
   */
  grad: 'differentiable' | 'nondifferentiable';
  /** Short description for docs and error messages. */
  doc?: string;
}

const registry = new Map<string, OpInfo>();

export function defineOp(name: string, grad: OpInfo['grad'], doc?: string): void {
  if (registry.has(name)) throw new Error(`defineOp: op '${name}' is registered twice`);
  registry.set(name, doc === undefined ? { name, grad } : { name, grad, doc });
}

export function listOps(): OpInfo[] {
  return [...registry.values()];
}

export function opInfo(name: string): OpInfo | undefined {
  return registry.get(name);
}
