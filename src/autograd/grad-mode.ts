/** Whether ops record the graph. Scoped switches, like torch.no_grad / torch.enable_grad. */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Runs fn with graph recording off (inference, optimizer updates). Restores the mode after. */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs fn with graph recording on, even inside noGrad. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

export function withGradMode<T>(mode: boolean, fn: () => T): T {
  const prev = enabled;
  enabled = mode;
  try {
    const r = fn();
    if (r instanceof Promise) {
      throw new Error('noGrad/enableGrad: the function returned a Promise; grad mode scopes must be synchronous');
    }
    return r;
  } finally {
    enabled = prev;
  }
}

/** Sets the mode globally (for REPLs and scripts); prefer the scoped forms. */
export function setGradEnabled(mode: boolean): void {
  enabled = mode;
}
