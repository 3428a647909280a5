/**
 * Strict number parsing for text protocols and files (GTP, SGF). `Number()` accepts far more than
 * these formats allow: '0x10' (16), '1e1', '' and ' ' (0), 'Infinity', '0b1', so a careless or
 * hostile input could set komi 16 by writing 0x10. These accept decimal notation only.
 */

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const INTEGER = /^[+-]?\d+$/;

/** A decimal number such as `6.5`, `-3`, `.5`, `7.` (GTP float, SGF Real), or null. */
export function parseDecimal(text: string | undefined): number | null {
  if (text === undefined || !DECIMAL.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

/** A decimal integer within the safe range, or null. */
export function parseInteger(text: string | undefined): number | null {
  if (text === undefined || !INTEGER.test(text)) return null;
  const v = Number(text);
  return Number.isSafeInteger(v) ? v : null;
}
