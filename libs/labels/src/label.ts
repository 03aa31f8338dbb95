/**
 * Kubernetes label syntax (https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/):
 * a key is an optional DNS-1123 subdomain prefix (≤ 253) and '/', then a name (≤ 63) of alphanumerics,
 * '-', '_', '.' that starts and ends alphanumeric; a value is empty or follows the name rule.
 */
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Returns why a label key is invalid, or undefined when it is valid. */
export function labelKeyError(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253) return 'prefix part must be no more than 253 characters';
    if (!prefix.split('.').every((part) => DNS1123_LABEL.test(part))) {
      return 'prefix part must be a lowercase DNS-1123 subdomain';
    }
  }
  return nameError('name part', name);
}

/** Returns why a label value is invalid, or undefined when it is valid. */
export function labelValueError(value: string): string | undefined {
  return value === '' ? undefined : nameError('value', value);
}

function nameError(what: string, name: string): string | undefined {
  if (name.length === 0) return `${what} must be non-empty`;
  if (name.length > 63) return `${what} must be no more than 63 characters`;
  if (!NAME.test(name)) {
    return `${what} must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}
