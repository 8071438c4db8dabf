// exp in plain double arithmetic (fdlibm's e_exp.c): the same bits on every engine. Math.exp is not correctly rounded
// and differs between V8 versions (Node 20's V8 11.3 vs Chromium 156: ~9 % of inputs differ by one ulp); this port
// returns exactly what Node 20's Math.exp returns, and the same bits in a browser.
const scratch = new Float64Array(1);
// Little-endian (every platform JS runs on): words[1] is the high word with the sign and the exponent.
const words = new Int32Array(scratch.buffer);
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.442695040888963387;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const O_THRESHOLD = 7.09782712893383973096e2;
const U_THRESHOLD = -7.4513321910194110842e2;
const TWO_M1000 = 9.3326361850321887899e-302;

export function portableExp(x: number): number {
  // V8's port returns e itself for 1 (plain fdlibm is one ulp above).
  if (x === 1) return Math.E;
  scratch[0] = x;
  let hx = words[1]!;
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x40862e42) {
    if (hx >= 0x7ff00000) return Number.isNaN(x) ? x : negative ? 0 : x;
    if (x > O_THRESHOLD) return Infinity;
    if (x < U_THRESHOLD) return 0;
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2 / 2: reduce to x = k·ln2 + r with |r| <= ln2 / 2.
    if (hx < 0x3ff0a2b2) {
      hi = negative ? x + LN2_HI : x - LN2_HI;
      lo = negative ? -LN2_LO : LN2_LO;
      k = negative ? -1 : 1;
    } else {
      k = Math.trunc(INV_LN2 * x + (negative ? -0.5 : 0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    x = hi - lo;
  } else if (hx < 0x3e300000) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2) - x);
  scratch[0] = 1 - (lo - (x * c) / (2 - c) - hi);
  // Scale by 2^k through the exponent bits (exact), in two steps when the result is subnormal.
  if (k >= -1021) {
    words[1] = words[1]! + (k << 20);
    return scratch[0];
  }
  words[1] = words[1]! + ((k + 1000) << 20);
  return scratch[0] * TWO_M1000;
}

/** The logistic function on portableExp, so probabilities have the same bits in Node and in a browser. */
export function portableSigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + portableExp(-eta));
  const e = portableExp(eta);
  return e / (1 + e);
}
