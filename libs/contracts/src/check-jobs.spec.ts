import { describe, expect, it } from '@jest/globals';
import { CheckJobOutcomeSchema, CheckJobSchema, checkJobName } from './check-jobs.js';

describe('check job contracts', () => {
  const job = { id: '42', check: 'smoke', image: 'busybox:1.36', timeoutSeconds: 60 };
  const manifest = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'smoke' },
    spec: { backoffLimit: 1, template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
  };

  it('takes a Job manifest instead of an image, keeping its fields', () => {
    const { image: _image, ...noImage } = job;
    expect(CheckJobSchema.parse({ ...noImage, manifest })).toEqual({
      ...noImage,
      manifest,
      command: [],
      args: [],
    });
  });

  it('fills command and args', () => {
    expect(CheckJobSchema.parse(job)).toEqual({ ...job, command: [], args: [] });
  });

  it.each<[string, Record<string, unknown>]>([
    ['an id that is not digits', { ...job, id: 'x; rm' }],
    ['an empty image', { ...job, image: '' }],
    ['a check name that is not a label', { ...job, check: 'Smoke' }],
    ['no timeout', { ...job, timeoutSeconds: undefined }],
    ['a timeout beyond an hour', { ...job, timeoutSeconds: 3601 }],
    ['neither image nor manifest', { ...job, image: undefined }],
    ['both image and manifest', { ...job, manifest }],
    ['a manifest of another kind', { ...job, image: undefined, manifest: { ...manifest, kind: 'Pod' } }],
    [
      'a manifest of another apiVersion',
      { ...job, image: undefined, manifest: { ...manifest, apiVersion: 'v1' } },
    ],
    ['a manifest without a pod template', { ...job, image: undefined, manifest: { ...manifest, spec: {} } }],
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
