// Freezes Node 20's Math.exp (V8's fdlibm port) on a spread of inputs, as hex bit patterns, for portable-exp.test.ts.
// Run with Node 20, from packages/engine:
//   node scripts/reference/make_exp_fixture.mjs > src/artifact/__fixtures__/exp-node20.json
const inputs = [
  0,
  -0,
  1,
  -1,
  1e-300,
  -1e-300,
  3.7e-9,
  0.34657359,
  0.3465736,
  1.0397,
  -1.0397,
  709.78,
  709.79,
  -708.39,
  -708.4,
  -745.1,
  -745.2,
  -744.44,
  50,
  -50,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  Number.MIN_VALUE,
];
let state = 12345;
const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
for (let i = 0; i < 3000; i++) inputs.push((random() - 0.5) * 2 * [1, 10, 40, 745][i % 4]);
const bits = (x) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};
console.log(JSON.stringify({ node: process.version, cases: inputs.map((x) => [bits(x), bits(Math.exp(x))]) }));
