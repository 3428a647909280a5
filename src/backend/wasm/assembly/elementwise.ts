// Elementwise float32 kernels over operands laid out as [outer, inner] rows: the caller copies each
// operand compactly, so an operand's inner stride is 1 (a row) or 0 (one value per row, or a
// scalar) and its row stride is inner, 1 or 0 (a broadcast row). Each lane computes the same
// single IEEE operation as the JS reference (which rounds the double result to f32: the same bits
// for +, -, *, /), so results are bitwise identical.

@inline function op4(op: i32, x: v128, y: v128): v128 {
  if (op == 0) return f32x4.add(x, y);
  if (op == 1) return f32x4.sub(x, y);
  if (op == 2) return f32x4.mul(x, y);
  return f32x4.div(x, y);
}

@inline function op1(op: i32, x: f32, y: f32): f32 {
  if (op == 0) return x + y;
  if (op == 1) return x - y;
  if (op == 2) return x * y;
  return x / y;
}

@inline function binary(op: i32, a: usize, ra: i32, ia: i32, b: usize, rb: i32, ib: i32, out: usize, outer: i32, inner: i32): void {
  for (let r: i32 = 0; r < outer; r++) {
    const pa = a + <usize>(r * ra) * 4;
    const pb = b + <usize>(r * rb) * 4;
    const po = out + <usize>(r * inner) * 4;
    let i: i32 = 0;
    if (ia == 1 && ib == 1) {
      for (; i + 4 <= inner; i += 4) {
        const o = <usize>i * 4;
        v128.store(po + o, op4(op, v128.load(pa + o), v128.load(pb + o)));
      }
    } else if (ia == 1) {
      const vb = v128.load32_splat(pb);
      for (; i + 4 <= inner; i += 4) {
        const o = <usize>i * 4;
        v128.store(po + o, op4(op, v128.load(pa + o), vb));
      }
    } else if (ib == 1) {
      const va = v128.load32_splat(pa);
      for (; i + 4 <= inner; i += 4) {
        const o = <usize>i * 4;
        v128.store(po + o, op4(op, va, v128.load(pb + o)));
      }
    }
    for (; i < inner; i++) {
      store<f32>(po + <usize>i * 4, op1(op, load<f32>(pa + <usize>(i * ia) * 4), load<f32>(pb + <usize>(i * ib) * 4)));
    }
  }
}

export function addF32(a: usize, ra: i32, ia: i32, b: usize, rb: i32, ib: i32, out: usize, outer: i32, inner: i32): void {
  binary(0, a, ra, ia, b, rb, ib, out, outer, inner);
}
export function subF32(a: usize, ra: i32, ia: i32, b: usize, rb: i32, ib: i32, out: usize, outer: i32, inner: i32): void {
  binary(1, a, ra, ia, b, rb, ib, out, outer, inner);
}
export function mulF32(a: usize, ra: i32, ia: i32, b: usize, rb: i32, ib: i32, out: usize, outer: i32, inner: i32): void {
  binary(2, a, ra, ia, b, rb, ib, out, outer, inner);
}
export function divF32(a: usize, ra: i32, ia: i32, b: usize, rb: i32, ib: i32, out: usize, outer: i32, inner: i32): void {
  binary(3, a, ra, ia, b, rb, ib, out, outer, inner);
}

// relu keeps NaN and maps -0 to +0, as the reference v > 0 ? v : v === v ? 0 : v.
export function reluF32(x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(x + o);
    v128.store(y + o, v128.and(v, v128.or(f32x4.gt(v, zero), f32x4.ne(v, v))));
  }
  for (; i < n; i++) {
    const v = load<f32>(x + <usize>i * 4);
    store<f32>(y + <usize>i * 4, v > 0 ? v : v == v ? 0 : v);
  }
}

// Gradient of relu: g where x > 0, else 0 (also for NaN x, as where(x > 0, g, 0)).
export function reluBackwardF32(g: usize, x: usize, y: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    v128.store(y + o, v128.and(v128.load(g + o), f32x4.gt(v128.load(x + o), zero)));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    store<f32>(y + o, load<f32>(x + o) > 0 ? load<f32>(g + o) : 0);
  }
}

// Gradient of sigmoid from its output y: g * (y * (1 - y)), rounded as the composed ops round.
export function sigmoidBackwardF32(g: usize, y: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(y + o);
    v128.store(out + o, f32x4.mul(v128.load(g + o), f32x4.mul(v, f32x4.sub(one, v))));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const v = load<f32>(y + o);
    store<f32>(out + o, load<f32>(g + o) * (v * (<f32>1 - v)));
  }
}

// Gradient of tanh from its output y: g * (1 - y * y), rounded as the composed ops round.
export function tanhBackwardF32(g: usize, y: usize, out: usize, n: i32): void {
  const one = f32x4.splat(1);
  let i: i32 = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i * 4;
    const v = v128.load(y + o);
    v128.store(out + o, f32x4.mul(v128.load(g + o), f32x4.sub(one, f32x4.mul(v, v))));
  }
  for (; i < n; i++) {
    const o = <usize>i * 4;
    const v = load<f32>(y + o);
    store<f32>(out + o, load<f32>(g + o) * (<f32>1 - v * v));
  }
}
