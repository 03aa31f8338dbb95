import { describe, expect, it } from '@jest/globals';
import { CheckJobOutcomeSchema, CheckJobSchema, checkJobName } from './check-jobs.js';

describe('check job contracts', () => {
  const job = { id: '42', check: 'smoke', image: 'busybox:1.36', timeoutSeconds: 60 };

  it('fills command and args', () => {
    expect(CheckJobSchema.parse(job)).toEqual({ ...job, command: [], args: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['an id that is not digits', { ...job, id: 'x; rm' }],
    ['an empty image', { ...job, image: '' }],
    ['a check name that is not a label', { ...job, check: 'Smoke' }],
    ['no timeout', { ...job, timeoutSeconds: undefined }],
    ['a timeout beyond an hour', { ...job, timeoutSeconds: 3601 }],
  ])('refuses %s', (_name, value) => {
    expect(CheckJobSchema.safeParse(value).success).toBe(false);
  });

  it('takes passed or failed outcomes only', () => {
    expect(CheckJobOutcomeSchema.safeParse({ result: 'passed', message: '' }).success).toBe(true);
    expect(CheckJobOutcomeSchema.safeParse({ result: 'error', message: '' }).success).toBe(false);
  });

  it('names the Job after the attempt', () => {
    expect(checkJobName('42')).toBe('fleetwave-check-42');
  });
});
