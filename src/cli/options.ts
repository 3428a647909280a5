/** Option parsers shared by the commands: each names the option in its error message. */

/** An integer option in [min, max] (default [0, 1e9]). */
export function intArg(name: string, min = 0, max = 1_000_000_000): (v: string) => number {
  return (v) => {
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be an integer in [${min}, ${max}], got '${v}'`);
    return n;
  };
}

/** A finite number option, at least `min` (or above it, when `exclusive`). */
export function numArg(name: string, min = -Infinity, exclusive = false): (v: string) => number {
  return (v) => {
    const n = Number(v);
    const ok = Number.isFinite(n) && (exclusive ? n > min : n >= min);
    if (!ok) throw new Error(`--${name} must be a number${min === -Infinity ? '' : ` ${exclusive ? '>' : '>='} ${min}`}, got '${v}'`);
    return n;
  };
}
