/**
 * Wilson score interval for a binomial proportion: for `wins` successes in `n` trials, the
 * interval (p + z^2/2n ± z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), with z = 1.96 for 95%.
 * Unlike the normal approximation it stays inside [0, 1] and is sensible for 0 or n wins.
 */
export function wilsonInterval(wins: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 1];
  const p = wins / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const half = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const d = 1 + z2 / n;
  return [Math.max(0, (centre - half) / d), Math.min(1, (centre + half) / d)];
}
