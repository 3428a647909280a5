/**
 * Coordinates. Three systems meet here:
 * - (x, y): column from the left, row from the top, both 0-based;
 * - point p: index into the padded board, `p = (y + 1) * stride + (x + 1)`, stride = size + 2;
 * - action a: `a = y * size + x`, with `size * size` meaning pass (the network's layout);
 * - GTP vertex: letter for the column (A..Z skipping I) and row number counted from the bottom.
 */

/** GTP column letters; GTP skips 'I' to avoid confusion with 'J'. */
export const GTP_COLUMNS = 'ABCDEFGHJKLMNOPQRSTUVWXYZ';

/** Converts an action index to a GTP vertex (`pass` for the pass action). */
export function actionToVertex(action: number, size: number): string {
  if (action === size * size) return 'pass';
  const x = action % size;
  const y = (action - x) / size;
  return `${GTP_COLUMNS[x]}${size - y}`;
}

/**
 * Parses a GTP vertex (`D4`, `pass`, case-insensitive) into an action index.
 * Returns `null` when the text is not a vertex on a board of this size.
 */
export function vertexToAction(text: string, size: number): number | null {
  const t = text.trim().toUpperCase();
  if (t === 'PASS') return size * size;
  const m = /^([A-HJ-Z])(\d{1,2})$/.exec(t);
  if (!m) return null;
  const x = GTP_COLUMNS.indexOf(m[1]!);
  const row = Number(m[2]);
  if (x < 0 || x >= size || row < 1 || row > size) return null;
  return (size - row) * size + x;
}
