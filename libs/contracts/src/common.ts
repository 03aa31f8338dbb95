import { z } from 'zod';

/** UTC timestamp as `Date.prototype.toISOString` writes it (`Z` suffix, no offsets), e.g. `2025-01-31T12:00:00.000Z`. */
export const IsoDateTimeSchema = z.iso.datetime();

/** A lowercase RFC 1123 DNS label: alphanumerics and '-', 1..63, starting and ending alphanumeric. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Formats zod issues as `path: message` lines, e.g. `report.bundles[0].digest: Invalid string ...`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`).join('\n');
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment)) {
      out += out === '' ? segment : `.${segment}`;
    } else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/**
 * Cuts `text` to at most `maxBytes` UTF-8 bytes (ending with '…' when cut), never splitting a character.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  const ellipsis = '…';
  let budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  if (budget < 0) return '';
  let end = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (size > budget) break;
    budget -= size;
    end += char.length;
  }
  return text.slice(0, end) + ellipsis;
}

/** Strict UTF-8 JSON + schema; undefined on any failure. For decoders that return undefined on bad input. */
export function decodeJson<T>(value: Buffer | null | undefined, schema: z.ZodType<T>): T | undefined {
  if (value === null || value === undefined) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(value));
  } catch {
    return undefined;
  }
  const result = schema.safeParse(json);
  return result.success ? result.data : undefined;
}
