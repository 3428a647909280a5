/**
 * Fixed handicap placement as specified by GTP v2 (section 4.1.1): star points at distance 3 from
 * the edge on boards up to 12 (4 from 13 up), centre and side points only on odd boards.
 * Returns actions (y * size + x), or throws a RangeError naming the limit.
 */
export function fixedHandicap(size: number, stones: number): number[] {
  const max = size < 7 ? 0 : size === 7 ? 4 : size % 2 === 0 ? 4 : 9;
  if (!Number.isInteger(stones) || stones < 2 || stones > max) {
    throw new RangeError(`fixed handicap of ${stones} stones is not defined on ${size}x${size} (2..${max})`);
  }
  const d = size >= 13 ? 3 : 2; // 0-based index of the 4th / 3rd line
  const lo = d;
  const hi = size - 1 - d;
  const mid = (size - 1) / 2;
  const at = (x: number, y: number): number => y * size + x;
  // Rows counted from the top here; GTP's D4 on 19x19 is (3, 15).
  const lowerLeft = at(lo, hi);
  const upperRight = at(hi, lo);
  const upperLeft = at(lo, lo);
  const lowerRight = at(hi, hi);
  const centre = at(mid, mid);
  const leftSide = at(lo, mid);
  const rightSide = at(hi, mid);
  const bottomSide = at(mid, hi);
  const topSide = at(mid, lo);
  const corners = [lowerLeft, upperRight, upperLeft, lowerRight];
  switch (stones) {
    case 2:
      return [lowerLeft, upperRight];
    case 3:
      return corners.slice(0, 3);
    case 4:
      return corners;
    case 5:
      return [...corners, centre];
    case 6:
      return [...corners, leftSide, rightSide];
    case 7:
      return [...corners, leftSide, rightSide, centre];
    case 8:
      return [...corners, leftSide, rightSide, bottomSide, topSide];
    default:
      return [...corners, leftSide, rightSide, bottomSide, topSide, centre];
  }
}
