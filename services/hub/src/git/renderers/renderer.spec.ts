import { emptyBundleProblem } from './renderer.js';

describe('emptyBundleProblem', () => {
  it.each([
    ['nothing at all', '', false, 'empty-bundle'],
    [
      'blank lines, comments and markers only',
      '\n# Source: a.yaml\n---\n  # gone\n...\n',
      false,
      'empty-bundle',
    ],
    ['one object', '# Source: a.yaml\napiVersion: v1\nkind: ConfigMap\n', false, null],
    ['an object after an empty document', '---\n---\nkind: ConfigMap\n', false, null],
    ['nothing, with allowEmpty', '', true, null],
    ['comments only, with allowEmpty', '# Source: a.yaml\n', true, null],
  ])('%s', (_case, manifests, allowEmpty, expected) => {
    expect(emptyBundleProblem(manifests, allowEmpty)?.code ?? null).toBe(expected);
  });

  it('says how to allow it', () => {
    expect(emptyBundleProblem('', false)?.message).toMatch(/set allowEmpty on the application/);
  });
});
