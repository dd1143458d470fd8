// What the benchmarks share: summaries of their samples, and a sink for function logs.

/** The middle sample; the mean of the two middle ones for an even count. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The sample at fraction `p` (0 to 1) of the sorted samples. */
export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** A writable that drops what it is given: the functions' logs, unmeasured. */
export const nullStream = {
  write: () => true,
  end: () => {},
  on: () => {},
  once: () => {},
  emit: () => {},
};
