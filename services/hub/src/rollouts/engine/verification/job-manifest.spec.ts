import { describe, expect, it } from '@jest/globals';
import { JOB_MANIFEST_MAX_BYTES, readJobManifest } from './job-manifest.js';

const JOB = `apiVersion: batch/v1
kind: Job
metadata:
  name: smoke
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: smoke
          image: busybox:1.36
`;

describe('readJobManifest', () => {
  it('reads one batch/v1 Job, as it is', () => {
    expect(readJobManifest(JOB)).toEqual({
      manifest: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'smoke' },
        spec: {
          backoffLimit: 2,
          template: {
            spec: { restartPolicy: 'Never', containers: [{ name: 'smoke', image: 'busybox:1.36' }] },
          },
        },
      },
    });
  });

  it('accepts the cluster placeholders and $${ (a literal ${) in string values, left for the check run', () => {
    // (A function, since a replacement string would read `$$` as one `$`.)
    const templated = JOB.replace(
      'image: busybox:1.36',
      () =>
        'image: busybox:1.36\n          args: ["${cluster.name}", "${cluster.labels.region}", "$${HOME}"]',
    );
    expect(readJobManifest(templated)).toMatchObject({
      manifest: {
        spec: {
          template: {
            spec: { containers: [{ args: ['${cluster.name}', '${cluster.labels.region}', '$${HOME}'] }] },
          },
        },
      },
    });
  });

  it('reads bytes, and a document between separators and comments', () => {
    expect(readJobManifest(new TextEncoder().encode(`# smoke test\n---\n${JOB}---\n`))).toMatchObject({
      manifest: { kind: 'Job' },
    });
  });

  it.each<[string, string, string]>([
    ['not YAML', 'kind: Job\n  spec: [', 'not valid YAML: '],
    ['empty', '', 'must hold one YAML document (a Job), found 0'],
    ['two documents', `${JOB}---\n${JOB}`, 'must hold one YAML document (a Job), found 2'],
    ['a list', '- kind: Job', 'must be a Kubernetes object (a YAML mapping)'],
    ['a scalar', 'Job', 'must be a Kubernetes object (a YAML mapping)'],
    ['another kind', JOB.replace('kind: Job', 'kind: CronJob'), 'kind must be Job, not "CronJob"'],
    ['no kind', JOB.replace('kind: Job\n', ''), 'kind must be Job, not null'],
    [
      'another apiVersion',
      JOB.replace('batch/v1', 'batch/v1beta1'),
      'apiVersion must be batch/v1, not "batch/v1beta1"',
    ],
    ['no pod template', 'apiVersion: batch/v1\nkind: Job\nspec: { backoffLimit: 1 }\n', 'spec.template: '],
    ['no spec', 'apiVersion: batch/v1\nkind: Job\n', 'spec: '],
    [
      'an unknown placeholder, with where it is',
      JOB.replace('busybox:1.36', 'busybox:${cluster.nam}'),
      'spec.template.spec.containers[0].image: unknown placeholder ${cluster.nam} (use ${cluster.name} or ${cluster.labels.<key>})',
    ],
    [
      'an unterminated placeholder',
      JOB.replace('name: smoke\nspec', 'name: smoke-${cluster.name\nspec'),
      'metadata.name: unterminated placeholder at position 7',
    ],
    [
      'too large',
      `${JOB}# ${'x'.repeat(JOB_MANIFEST_MAX_BYTES)}\n`,
      `larger than ${JOB_MANIFEST_MAX_BYTES} bytes`,
    ],
  ])('refuses %s', (_name, text, problem) => {
    const read = readJobManifest(text);
    expect(read).toEqual({ problem: expect.stringContaining(problem) });
    expect('problem' in read && read.problem.startsWith(problem)).toBe(true);
  });
});
