import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Pure: the data as JSON (two-space indent) or YAML, or the table text for `table`. */
export function renderOutput(format: OutputFormat, data: unknown, table: () => string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(data, null, 2)}\n`;
    case 'yaml':
      return stringify(data, { lineWidth: 0 });
    case 'table':
      return table();
  }
}
