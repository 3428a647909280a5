/**
 * An opt-in per-op profiler for training steps. While active, record() (autograd/node.ts) calls
 * `profiler.onRecord`, which
 *   - charges the time since the previous recorded op (or the start) to this op's forward, and
 *   - wraps the op's backward closure to time it.
 * Forward times are therefore "time between consecutive recorded ops": ops that record nothing
 * (no input requires grad, or noGrad) are charged to the next recorded op. Cheap when inactive
 * (one boolean check per recorded op).
 * @example const prof = startProfile(); step(); const report = stopProfile(prof);
 */
import type { BackwardFn } from './node.js';

export interface OpTiming {
  op: string;
  forwardMs: number;
  backwardMs: number;
  forwardCalls: number;
  backwardCalls: number;
}

const now = (): number => (globalThis.performance ? performance.now() : Date.now());

class Profiler {
  active = false;
  private last = 0;
  private table = new Map<string, OpTiming>();

  private entry(op: string): OpTiming {
    let e = this.table.get(op);
    if (!e) {
      e = { op, forwardMs: 0, backwardMs: 0, forwardCalls: 0, backwardCalls: 0 };
      this.table.set(op, e);
    }
    return e;
  }

  start(): void {
    this.table.clear();
    this.active = true;
    this.last = now();
  }

  stop(): OpTiming[] {
    this.active = false;
    return [...this.table.values()].sort((a, b) => b.forwardMs + b.backwardMs - (a.forwardMs + a.backwardMs));
  }

  /** Marks a boundary: time from the last mark is not charged to anything (e.g. between steps). */
  mark(): void {
    this.last = now();
  }

  onRecord(op: string, backward: BackwardFn): BackwardFn {
    const t = now();
    const e = this.entry(op);
    e.forwardMs += t - this.last;
    e.forwardCalls++;
    this.last = t;
    return (g, acc) => {
      const t0 = now();
      const r = backward(g, acc);
      const t1 = now();
      e.backwardMs += t1 - t0;
      e.backwardCalls++;
      this.last = t1;
      return r;
    };
  }
}

export const profiler = new Profiler();

/** Starts collecting per-op timings (clears earlier ones). */
export function startProfile(): void {
  profiler.start();
}

/** Stops collecting and returns per-op timings, largest total first. */
export function stopProfile(): OpTiming[] {
  return profiler.stop();
}
