import { parseAllDocuments } from 'yaml';

/** The fields of a Secret whose values never leave the hub through the API. */
const SECRET_FIELDS = ['data', 'stringData'] as const;

/**
 * A Kubernetes Secret's values masked as `kubectl diff` masks them: `***`, or `*** (before)` and
 * `*** (after)` where the same key changed between two versions; keys stay visible. Anything that
 * is not a Secret is returned as is. Pure.
 */
export function maskSecretPair(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): [Record<string, unknown> | undefined, Record<string, unknown> | undefined] {
  const isSecret = (o: Record<string, unknown> | undefined) => o !== undefined && o.kind === 'Secret';
  if (!isSecret(before) && !isSecret(after)) return [before, after];
  const mask = (
    o: Record<string, unknown> | undefined,
    other: Record<string, unknown> | undefined,
    label: string,
  ) => {
    if (o === undefined || !isSecret(o)) return o;
    const out: Record<string, unknown> = { ...o };
    for (const field of SECRET_FIELDS) {
      const values = o[field];
      if (typeof values !== 'object' || values === null) continue;
      const theirs = (isSecret(other) ? other![field] : undefined) as Record<string, unknown> | undefined;
      out[field] = Object.fromEntries(
        Object.entries(values).map(([key, value]) => [
          key,
          theirs !== undefined && Object.hasOwn(theirs, key) && theirs[key] !== value
            ? `*** (${label})`
            : '***',
        ]),
      );
    }
    return out;
  };
  return [mask(before, after, 'before'), mask(after, before, 'after')];
}

/** A bundle with every Secret's values masked (`***`), for showing a bundle to a person. */
export function maskSecretsInBundle(manifests: string): string {
  if (!/kind:\s*["']?Secret/.test(manifests)) return manifests;
  return parseAllDocuments(manifests)
    .map((document) => {
      const value: unknown = document.toJS();
      if (typeof value !== 'object' || value === null || (value as { kind?: unknown }).kind !== 'Secret') {
        return document.toString({ lineWidth: 0 });
      }
      for (const field of SECRET_FIELDS) {
        const values = document.get(field, true);
        if (values && typeof values === 'object' && 'items' in values) {
          for (const pair of (values as { items: { value: unknown }[] }).items)
            pair.value = document.createNode('***');
        }
      }
      return document.toString({ lineWidth: 0 });
    })
    .join('---\n');
}
