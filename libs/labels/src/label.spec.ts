import { describe, expect, it } from '@jest/globals';
import { labelKeyError, labelValueError } from './label.js';

describe('labelKeyError', () => {
  it.each([
    ['env'],
    ['region'],
    ['app.kubernetes.io/name'],
    ['fleetwave.io/wave'],
    ['a'],
    ['A_b.c-D9'],
    ['x'.repeat(63)],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}/name`],
  ])('accepts %s', (key) => {
    expect(labelKeyError(key)).toBeUndefined();
  });

  it.each([
    ['', 'name part must be non-empty'],
    ['x'.repeat(64), 'name part must be no more than 63 characters'],
    ['-env', 'name part must consist of alphanumeric characters'],
    ['env_', 'name part must consist of alphanumeric characters'],
    ['en v', 'name part must consist of alphanumeric characters'],
    ['/env', 'prefix part must be non-empty'],
    ['Example.com/env', 'prefix part must be a lowercase DNS-1123 subdomain'],
    ['example..com/env', 'prefix part must be a lowercase DNS-1123 subdomain'],
    ['example.com/', 'name part must be non-empty'],
    ['a/b/c', 'name part must consist of alphanumeric characters'],
    [`${'a'.repeat(254)}/env`, 'prefix part must be no more than 253 characters'],
  ])('rejects %j: %s', (key, reason) => {
    expect(labelKeyError(key)).toContain(reason);
  });
});

describe('labelValueError', () => {
  it.each([[''], ['prod'], ['eu-west-1'], ['v1.2.3'], ['x'.repeat(63)]])('accepts %j', (value) => {
    expect(labelValueError(value)).toBeUndefined();
  });

  it.each([
    ['x'.repeat(64), 'no more than 63 characters'],
    ['prod!', 'must consist of alphanumeric characters'],
    ['-prod', 'must start and end with an alphanumeric character'],
    ['a/b', 'must consist of alphanumeric characters'],
  ])('rejects %j: %s', (value, reason) => {
    expect(labelValueError(value)).toContain(reason);
  });
});
