// lambda * (alpha * |b|_1 + (1 - alpha)/2 * |b|^2) summed over every coefficient row; intercepts are not penalised.

export function elasticNetPenalty(rows: readonly Float64Array[], lambda: number, alpha: number): number {
  let l1 = 0;
  let l2 = 0;
  for (const beta of rows) {
    for (let j = 0; j < beta.length; j++) {
      l1 += Math.abs(beta[j]!);
      l2 += beta[j]! * beta[j]!;
    }
  }
  return lambda * (alpha * l1 + ((1 - alpha) / 2) * l2);
}
