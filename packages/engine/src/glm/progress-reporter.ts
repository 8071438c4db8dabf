// Wraps a progress callback so it only ever sees strictly increasing fractions below 1.

export function progressReporter(onProgress?: (fraction: number) => void): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    if (onProgress === undefined || !(fraction > last) || fraction >= 1) return;
    last = fraction;
    onProgress(fraction);
  };
}
