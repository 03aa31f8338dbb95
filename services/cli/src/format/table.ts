/** Spaces between columns, as kubectl's tab writer puts them. */
const GAP = 3;

/**
 * Pure: a kubectl-like table: UPPERCASE headers, left-aligned columns three spaces apart, the last
 * column unpadded, no trailing spaces. Every row has the headers' length (missing cells are empty).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [
    headers.map((h) => h.toUpperCase()),
    ...rows.map((row) => headers.map((_, i) => row[i] ?? '')),
  ];
  const widths = headers.map((_, i) => Math.max(...all.map((row) => width(row[i]!))));
  return all
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i]! - width(cell) + GAP)))
        .join('')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

/**
 * Pure: `Key:  value` lines, values aligned (like kubectl describe). Entries whose value is
 * undefined are left out; multi-line values are indented under the first line.
 */
export function renderFields(fields: readonly (readonly [string, string | undefined])[]): string {
  const shown = fields.filter((f): f is readonly [string, string] => f[1] !== undefined);
  const keyWidth = Math.max(0, ...shown.map(([key]) => width(key) + 1));
  return shown
    .map(([key, value]) => {
      const pad = ' '.repeat(keyWidth - width(key) - 1 + 2);
      const [first = '', ...rest] = value.split('\n');
      const indent = ' '.repeat(keyWidth + 2);
      return [`${key}:${pad}${first}`.trimEnd(), ...rest.map((line) => `${indent}${line}`.trimEnd())]
        .map((line) => `${line}\n`)
        .join('');
    })
    .join('');
}

/** Display width: code points, so `…` and accented names count as one column. */
export function width(text: string): number {
  return [...text].length;
}

/** Pure: the text cut to `max` columns, with `…` as the last one when it was cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  if (max <= 0) return '';
  return chars.slice(0, max - 1).join('') + '…';
}
