/** What a progress bar shows, in this order from the left. */
export interface ProgressSegments {
  /** Healthy or skipped: finished. */
  done: number;
  /** Assigned, applying or progressing. */
  inFlight: number;
  /** Failed, degraded or timed out. */
  failed: number;
  /** Not assigned yet. */
  pending: number;
}

export const BAR_CHARS = { done: '#', inFlight: '>', failed: 'x', pending: '.' } as const;

/**
 * Pure: `[####>>x.....]`, `width` characters between the brackets shared out in proportion (largest
 * remainder), every non-empty segment at least one character so a single failure never vanishes.
 * An empty wave is a bar of spaces.
 */
export function progressBar(segments: ProgressSegments, width = 20): string {
  const order = ['done', 'inFlight', 'failed', 'pending'] as const;
  const counts = order.map((key) => Math.max(0, segments[key]));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0 || width <= 0) return `[${' '.repeat(Math.max(0, width))}]`;
  const exact = counts.map((count) => (count / total) * width);
  const cells = exact.map(Math.floor);
  let left = width - cells.reduce((a, b) => a + b, 0);
  const byRemainder = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    cells[index]!++;
    left--;
  }
  // A non-empty segment rounded to nothing borrows a cell from the widest one.
  for (let i = 0; i < cells.length; i++) {
    if (counts[i]! > 0 && cells[i] === 0) {
      const widest = cells.indexOf(Math.max(...cells));
      if (cells[widest]! > 1) {
        cells[widest]!--;
        cells[i] = 1;
      }
    }
  }
  return `[${order.map((key, i) => BAR_CHARS[key].repeat(cells[i]!)).join('')}]`;
}
