/** Order statistics and ratios for the benchmark figures. */

export function median(values: readonly number[]): number {
  const sorted = sortedCopy(values);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Nearest-rank percentile: with 15 samples, p90 is the 14th smallest, so one outlier cannot set it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = sortedCopy(values);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function ratio(ours: number, theirs: number): number {
  return ours / theirs;
}

export function formatRatio(value: number): string {
  return `${value.toFixed(3)}x`;
}

/** Exact bytes, and KiB beside them from 1 KiB up, so a reader can check a target against the raw figure. */
export function formatBytes(bytes: number): string {
  return Math.abs(bytes) < 1024 ? formatExactBytes(bytes) : `${formatExactBytes(bytes)} (${formatKiB(bytes)})`;
}

export function formatExactBytes(bytes: number): string {
  return `${Math.round(bytes).toLocaleString('en-US')} B`;
}

export function formatKiB(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(0)} ms`;
}

export function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('no samples to summarise');
  return [...values].sort((a, b) => a - b);
}
