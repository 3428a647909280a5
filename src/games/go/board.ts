import { ZOBRIST, combineHash } from './zobrist.js';

/** Point contents. `BORDER` marks the padding ring that removes bounds checks from neighbour loops. */
export const EMPTY = 0;
export const BLACK = 1;
export const WHITE = 2;
export const BORDER = 3;
/** A stone colour: 1 black, 2 white. The opponent of `c` is `3 - c`. */
export type Color = 1 | 2;

/** Smallest and largest supported board sizes. */
export const MIN_SIZE = 5;
export const MAX_SIZE = 19;

/** Options for {@link GoBoard}. */
export interface BoardOptions {
  /** Allow multi-stone suicide (the suicided group is removed). Default false: suicide is illegal. */
  allowSuicide?: boolean;
}

/**
 * The Go board: stones, groups and liberties, kept incrementally so that a move costs O(stones
 * touched) and never allocates. This is the hot path of random playouts.
 *
 * Representation (padded 1D): point `p = (y + 1) * stride + (x + 1)` with `stride = size + 2`;
 * the padding ring holds `BORDER`, so the four neighbours `p - stride, p - 1, p + 1, p + stride`
 * always exist.
 *
 * Groups: every stone stores its group id (`gid`, the index of one stone of the group) and a link
 * `next` in a circular list of the group's stones. Per group we keep *pseudo-liberties*: each
 * (stone, empty neighbour) adjacency counts once, together with the sum and the sum of squares of
 * the liberty points. Pseudo-liberties are cheap to update (no set membership test), are zero
 * exactly when the real liberty count is zero, and the group is in atari exactly when all its
 * pseudo-liberties are the same point, i.e. when `count * sumSq == sum^2` (Cauchy-Schwarz equality).
 * Exact liberty counts, needed only by features and ladders, are computed on demand.
 *
 * Ko: only simple ko is tracked here (the point that may not be retaken this move); positional
 * superko lives in {@link GoGame}, which keeps the hash history.
 */
export class GoBoard {
  readonly size: number;
  readonly stride: number;
  /** Number of entries of the padded arrays: `stride * stride`. */
  readonly area: number;
  readonly allowSuicide: boolean;

  /** Point contents: EMPTY, BLACK, WHITE or BORDER. */
  readonly color: Uint8Array;
  /** Group id of the stone at each point (meaningless on empty points). */
  readonly gid: Int16Array;
  /** Next stone of the same group (circular list). */
  readonly next: Int16Array;
  /** Per group id: pseudo-liberty count, sum of liberty points, sum of their squares, stone count. */
  readonly libs: Int32Array;
  readonly libSum: Int32Array;
  readonly libSumSq: Float64Array;
  readonly groupSize: Int16Array;
  /** The empty points, unordered, and each point's index in that list (for O(1) removal). */
  readonly empties: Int16Array;
  readonly emptyIndex: Int16Array;
  emptyCount = 0;
  /** The point the player to move may not play because of simple ko, or 0 if none. */
  ko = 0;
  /** Stones captured *by* each colour (index 1 black, 2 white), for territory scoring. */
  readonly prisoners: Int32Array = new Int32Array(3);
  /** Zobrist hash of the stones (not of the player to move), as two 32-bit words. */
  hashLo = 0;
  hashHi = 0;

  /** Scratch for exact liberty counts and flood fills: a point is marked when `mark[p] == stamp`. */
  private readonly mark: Uint32Array;
  private stamp = 0;

  constructor(size: number, options: BoardOptions = {}) {
    if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
      throw new RangeError(`GoBoard: size must be an integer in [${MIN_SIZE}, ${MAX_SIZE}], got ${size}`);
    }
    this.size = size;
    this.stride = size + 2;
    this.area = this.stride * this.stride;
    this.allowSuicide = options.allowSuicide ?? false;
    const a = this.area;
    this.color = new Uint8Array(a);
    this.gid = new Int16Array(a);
    this.next = new Int16Array(a);
    this.libs = new Int32Array(a);
    this.libSum = new Int32Array(a);
    this.libSumSq = new Float64Array(a);
    this.groupSize = new Int16Array(a);
    this.empties = new Int16Array(size * size);
    this.emptyIndex = new Int16Array(a);
    this.mark = new Uint32Array(a);
    this.clear();
  }

  /** Removes all stones. */
  clear(): void {
    this.color.fill(BORDER);
    this.emptyCount = 0;
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        const p = this.point(x, y);
        this.color[p] = EMPTY;
        this.emptyIndex[p] = this.emptyCount;
        this.empties[this.emptyCount++] = p;
      }
    }
    this.ko = 0;
    this.hashLo = 0;
    this.hashHi = 0;
    this.prisoners.fill(0);
  }

  /** The padded point index of column x, row y (0-based, row 0 at the top). */
  point(x: number, y: number): number {
    return (y + 1) * this.stride + (x + 1);
  }

  /** The action index (`y * size + x`) of point p. */
  actionOf(p: number): number {
    const y = ((p / this.stride) | 0) - 1;
    const x = (p % this.stride) - 1;
    return y * this.size + x;
  }

  /** The point of action index a (which must not be pass). */
  pointOf(action: number): number {
    const x = action % this.size;
    return this.point(x, (action - x) / this.size);
  }

  /** The position hash as one number (53 bits). */
  get hash(): number {
    return combineHash(this.hashLo, this.hashHi);
  }

  /** Whether the group with id g has exactly one liberty. */
  inAtari(g: number): boolean {
    const n = this.libs[g]!;
    const s = this.libSum[g]!;
    return n * this.libSumSq[g]! === s * s;
  }

  /** The single liberty of a group in atari (only meaningful when `inAtari(g)`). */
  atariPoint(g: number): number {
    return this.libSum[g]! / this.libs[g]!;
  }

  /**
   * Whether colour c may play at empty-or-not point p under the board's rules and simple ko.
   * (Positional superko is checked by GoGame.)
   */
  isLegal(p: number, c: Color): boolean {
    const color = this.color;
    if (color[p] !== EMPTY || p === this.ko) return false;
    const s = this.stride;
    return (
      this.neighbourMakesLegal(p - s, c) ||
      this.neighbourMakesLegal(p - 1, c) ||
      this.neighbourMakesLegal(p + 1, c) ||
      this.neighbourMakesLegal(p + s, c) ||
      (this.allowSuicide && this.suicideRemovesSomething(p, c))
    );
  }

  /**
   * A neighbour q makes a move legal when it is empty (a liberty), a friendly group with another
   * liberty (the merged group survives), or an enemy group in atari (it gets captured).
   */
  private neighbourMakesLegal(q: number, c: Color): boolean {
    const cq = this.color[q]!;
    if (cq === EMPTY) return true;
    if (cq === BORDER) return false;
    const atari = this.inAtari(this.gid[q]!);
    return cq === c ? !atari : atari;
  }

  /** With suicide allowed, a suicide is still illegal if it is a single stone (it changes nothing). */
  private suicideRemovesSomething(p: number, c: Color): boolean {
    const s = this.stride;
    const n = [p - s, p - 1, p + 1, p + s];
    for (const q of n) if (this.color[q] === c) return true;
    return false;
  }

  /**
   * Plays colour c at point p, which must be legal (see {@link isLegal}); no checks are made here
   * because this is the playout inner loop. Returns the number of stones captured.
   */
  play(p: number, c: Color): number {
    const color = this.color;
    const gid = this.gid;
    const s = this.stride;
    const opp = (3 - c) as Color;
    this.ko = 0;
    color[p] = c;
    this.removeEmpty(p);
    this.xorStone(p, c);
    gid[p] = p;
    this.next[p] = p;
    this.groupSize[p] = 1;
    this.libs[p] = 0;
    this.libSum[p] = 0;
    this.libSumSq[p] = 0;

    // 1. The new stone takes liberty p from every adjacent group and gains its empty neighbours.
    this.touch(p, p - s);
    this.touch(p, p - 1);
    this.touch(p, p + 1);
    this.touch(p, p + s);

    // 2. Merge with friendly neighbours.
    let g = p;
    if (color[p - s] === c) g = this.merge(g, gid[p - s]!);
    if (color[p - 1] === c && gid[p - 1] !== g) g = this.merge(g, gid[p - 1]!);
    if (color[p + 1] === c && gid[p + 1] !== g) g = this.merge(g, gid[p + 1]!);
    if (color[p + s] === c && gid[p + s] !== g) g = this.merge(g, gid[p + s]!);

    // 3. Capture enemy neighbours left without liberties.
    let captured = 0;
    let lastCaptured = 0;
    if (color[p - s] === opp && this.libs[gid[p - s]!] === 0) {
      lastCaptured = p - s;
      captured += this.removeGroup(gid[p - s]!);
    }
    if (color[p - 1] === opp && this.libs[gid[p - 1]!] === 0) {
      lastCaptured = p - 1;
      captured += this.removeGroup(gid[p - 1]!);
    }
    if (color[p + 1] === opp && this.libs[gid[p + 1]!] === 0) {
      lastCaptured = p + 1;
      captured += this.removeGroup(gid[p + 1]!);
    }
    if (color[p + s] === opp && this.libs[gid[p + s]!] === 0) {
      lastCaptured = p + s;
      captured += this.removeGroup(gid[p + s]!);
    }
    this.prisoners[c] = this.prisoners[c]! + captured;

    // 4. Simple ko: a lone stone that captured exactly one stone and now has that point as its only
    //    liberty may be recaptured immediately, which would repeat the position.
    if (captured === 1 && this.groupSize[g] === 1 && this.libs[g] === 1) this.ko = lastCaptured;

    // 5. Suicide (only reachable when allowed): the mover's own group dies.
    if (this.libs[g] === 0) this.prisoners[opp] = this.prisoners[opp]! + this.removeGroup(g);
    return captured;
  }

  /** Passing only clears the ko ban. */
  pass(): void {
    this.ko = 0;
  }

  /** Handles one neighbour q of a newly placed stone at p (step 1 of {@link play}). */
  private touch(p: number, q: number): void {
    const cq = this.color[q]!;
    if (cq === EMPTY) {
      this.libs[p]! += 1;
      this.libSum[p]! += q;
      this.libSumSq[p]! += q * q;
    } else if (cq !== BORDER) {
      const g = this.gid[q]!;
      this.libs[g]! -= 1;
      this.libSum[g]! -= p;
      this.libSumSq[g]! -= p * p;
    }
  }

  /** Merges groups a and b (relabelling the smaller) and returns the surviving id. */
  private merge(a: number, b: number): number {
    if (this.groupSize[a]! < this.groupSize[b]!) {
      const t = a;
      a = b;
      b = t;
    }
    const gid = this.gid;
    const next = this.next;
    let q = b;
    do {
      gid[q] = a;
      q = next[q]!;
    } while (q !== b);
    const t = next[a]!;
    next[a] = next[b]!;
    next[b] = t;
    this.groupSize[a]! += this.groupSize[b]!;
    this.libs[a]! += this.libs[b]!;
    this.libSum[a]! += this.libSum[b]!;
    this.libSumSq[a]! += this.libSumSq[b]!;
    return a;
  }

  /** Removes group g from the board, returning its stone count; neighbours regain liberties. */
  private removeGroup(g: number): number {
    const color = this.color;
    const next = this.next;
    const c = color[g]! as Color;
    let n = 0;
    let q = g;
    do {
      color[q] = EMPTY;
      this.xorStone(q, c);
      this.addEmpty(q);
      n++;
      q = next[q]!;
    } while (q !== g);
    // Second pass: only now are all stones of g empty, so they do not credit each other.
    const s = this.stride;
    q = g;
    do {
      this.giveLiberty(q, q - s);
      this.giveLiberty(q, q - 1);
      this.giveLiberty(q, q + 1);
      this.giveLiberty(q, q + s);
      q = next[q]!;
    } while (q !== g);
    return n;
  }

  private giveLiberty(lib: number, q: number): void {
    const cq = this.color[q]!;
    if (cq === BLACK || cq === WHITE) {
      const h = this.gid[q]!;
      this.libs[h]! += 1;
      this.libSum[h]! += lib;
      this.libSumSq[h]! += lib * lib;
    }
  }

  private xorStone(p: number, c: Color): void {
    const k = (p * 2 + (c - 1)) * 2;
    this.hashLo ^= ZOBRIST[k]!;
    this.hashHi ^= ZOBRIST[k + 1]!;
  }

  private removeEmpty(p: number): void {
    const i = this.emptyIndex[p]!;
    const last = this.empties[--this.emptyCount]!;
    this.empties[i] = last;
    this.emptyIndex[last] = i;
  }

  private addEmpty(p: number): void {
    this.emptyIndex[p] = this.emptyCount;
    this.empties[this.emptyCount++] = p;
  }

  /**
   * The hash the position would have after colour c plays the legal move p (stone added, captured
   * enemy groups removed, a suicided own group removed), computed without playing.
   */
  hashAfter(p: number, c: Color): number {
    let lo = this.hashLo;
    let hi = this.hashHi;
    const k = (p * 2 + (c - 1)) * 2;
    lo ^= ZOBRIST[k]!;
    hi ^= ZOBRIST[k + 1]!;
    const opp = 3 - c;
    const st = ++this.stamp;
    const s = this.stride;
    let captures = false;
    for (const q of [p - s, p - 1, p + 1, p + s]) {
      if (this.color[q] !== opp) continue;
      const g = this.gid[q]!;
      if (this.mark[g] === st || !this.inAtari(g)) continue;
      this.mark[g] = st;
      captures = true;
      let r = g;
      do {
        const kr = (r * 2 + (opp - 1)) * 2;
        lo ^= ZOBRIST[kr]!;
        hi ^= ZOBRIST[kr + 1]!;
        r = this.next[r]!;
      } while (r !== g);
    }
    if (!captures && this.allowSuicide && this.isSuicide(p, c)) {
      const b = this.clone();
      b.play(p, c);
      return b.hash;
    }
    return combineHash(lo, hi);
  }

  /** Whether playing c at p would leave the new group without liberties (and capture nothing). */
  isSuicide(p: number, c: Color): boolean {
    const s = this.stride;
    for (const q of [p - s, p - 1, p + 1, p + s]) {
      const cq = this.color[q]!;
      if (cq === EMPTY) return false;
      if (cq === BORDER) continue;
      const atari = this.inAtari(this.gid[q]!);
      if (cq === c ? !atari : atari) return false;
    }
    return true;
  }

  /** The exact number of distinct liberties of the group containing the stone at p. */
  liberties(p: number): number {
    return this.libertyPoints(p).length;
  }

  /** The distinct liberty points of the group containing the stone at p. */
  libertyPoints(p: number): number[] {
    const out: number[] = [];
    const st = ++this.stamp;
    const g = this.gid[p]!;
    const s = this.stride;
    let q = g;
    do {
      for (const r of [q - s, q - 1, q + 1, q + s]) {
        if (this.color[r] === EMPTY && this.mark[r] !== st) {
          this.mark[r] = st;
          out.push(r);
        }
      }
      q = this.next[q]!;
    } while (q !== g);
    return out;
  }

  /** The stones of the group containing the stone at p. */
  groupStones(p: number): number[] {
    const out: number[] = [];
    const g = this.gid[p]!;
    let q = g;
    do {
      out.push(q);
      q = this.next[q]!;
    } while (q !== g);
    return out;
  }

  /**
   * Whether p is an eye of colour c for playout purposes: all orthogonal neighbours are c (or the
   * edge) and the opponent holds fewer than two diagonals (fewer than one on the edge). Filling such
   * a point is almost never good, and forbidding it is what lets random playouts terminate.
   */
  isEye(p: number, c: Color): boolean {
    const color = this.color;
    const s = this.stride;
    const a = color[p - s]!,
      b = color[p - 1]!,
      d = color[p + 1]!,
      e = color[p + s]!;
    if ((a !== c && a !== BORDER) || (b !== c && b !== BORDER) || (d !== c && d !== BORDER) || (e !== c && e !== BORDER)) {
      return false;
    }
    const opp = 3 - c;
    let bad = 0;
    let edge = 0;
    const d1 = color[p - s - 1]!,
      d2 = color[p - s + 1]!,
      d3 = color[p + s - 1]!,
      d4 = color[p + s + 1]!;
    if (d1 === opp) bad++;
    else if (d1 === BORDER) edge = 1;
    if (d2 === opp) bad++;
    else if (d2 === BORDER) edge = 1;
    if (d3 === opp) bad++;
    else if (d3 === BORDER) edge = 1;
    if (d4 === opp) bad++;
    else if (d4 === BORDER) edge = 1;
    return bad + edge < 2;
  }

  /** Copies another board of the same size into this one without allocating. */
  copyFrom(o: GoBoard): void {
    if (o.size !== this.size) throw new RangeError(`GoBoard.copyFrom: size ${o.size} into size ${this.size}`);
    this.color.set(o.color);
    this.gid.set(o.gid);
    this.next.set(o.next);
    this.libs.set(o.libs);
    this.libSum.set(o.libSum);
    this.libSumSq.set(o.libSumSq);
    this.groupSize.set(o.groupSize);
    this.empties.set(o.empties);
    this.emptyIndex.set(o.emptyIndex);
    this.emptyCount = o.emptyCount;
    this.ko = o.ko;
    this.prisoners.set(o.prisoners);
    this.hashLo = o.hashLo;
    this.hashHi = o.hashHi;
  }

  /** An independent copy. */
  clone(): GoBoard {
    const b = new GoBoard(this.size, { allowSuicide: this.allowSuicide });
    b.copyFrom(this);
    return b;
  }

  /** Stones of colour c as point indices, in row-major order. */
  stones(c: Color): number[] {
    const out: number[] = [];
    for (let y = 0; y < this.size; y++) {
      for (let x = 0; x < this.size; x++) {
        const p = this.point(x, y);
        if (this.color[p] === c) out.push(p);
      }
    }
    return out;
  }

  /** A text picture: `X` black, `O` white, `.` empty, GTP coordinates around. */
  toString(): string {
    const cols = 'ABCDEFGHJKLMNOPQRSTUVWXYZ'.slice(0, this.size).split('').join(' ');
    const lines = [`   ${cols}`];
    for (let y = 0; y < this.size; y++) {
      const row: string[] = [];
      for (let x = 0; x < this.size; x++) {
        const v = this.color[this.point(x, y)];
        row.push(v === BLACK ? 'X' : v === WHITE ? 'O' : '.');
      }
      const n = String(this.size - y).padStart(2);
      lines.push(`${n} ${row.join(' ')} ${n}`);
    }
    lines.push(`   ${cols}`);
    return lines.join('\n');
  }

  /** Stamp for callers that need a fresh mark (flood fills in scoring). */
  nextStamp(): number {
    return ++this.stamp;
  }

  /** The scratch mark array shared with {@link nextStamp}. */
  get marks(): Uint32Array {
    return this.mark;
  }
}
