import { describe, expect, it } from '@jest/globals';
import { ChartSourceError } from './chart-source-error.js';
import { indexEntries } from './helm-index.js';

const DIGEST = 'a'.repeat(64);
const INDEX = `apiVersion: v1
entries:
  web:
    - name: web
      version: 1.3.0
      digest: ${DIGEST}
      urls: [web-1.3.0.tgz]
    - name: web
      version: 1.2.0
      urls: [https://cdn.charts.test/web-1.2.0.tgz]
    - name: web
      version: 1.1.0
      digest: not-a-digest
      urls: [sub/web-1.1.0.tgz]
    - name: web
      urls: [web-no-version.tgz]
  api:
    - version: 0.1.0
      urls: [api-0.1.0.tgz]
generated: "2026-01-01T00:00:00Z"
`;

function failure(run: () => unknown): ChartSourceError {
  try {
    run();
  } catch (error) {
    if (error instanceof ChartSourceError) return error;
    throw error;
  }
  throw new Error('expected a ChartSourceError');
}

describe('indexEntries', () => {
  it("lists the chart's versions with absolute URLs and digests", () => {
    expect(indexEntries(INDEX, 'web', 'http://127.0.0.1:8080/charts/')).toEqual([
      { version: '1.3.0', urls: ['http://127.0.0.1:8080/charts/web-1.3.0.tgz'], digest: `sha256:${DIGEST}` },
      { version: '1.2.0', urls: ['https://cdn.charts.test/web-1.2.0.tgz'], digest: null },
      { version: '1.1.0', urls: ['http://127.0.0.1:8080/charts/sub/web-1.1.0.tgz'], digest: null },
    ]);
  });

  it('reads every scalar as a string, as helm does (1.10 is not 1.1; an all-digit digest is a digest)', () => {
    const text = `entries:\n  web:\n    - version: 1.10\n      digest: ${'0'.repeat(64)}\n      urls: [web-1.10.tgz]\n`;
    expect(indexEntries(text, 'web', 'https://r.test')).toEqual([
      { version: '1.10', urls: ['https://r.test/web-1.10.tgz'], digest: `sha256:${'0'.repeat(64)}` },
    ]);
  });

  it('resolves relative URLs against a repository URL without a trailing slash', () => {
    expect(indexEntries(INDEX, 'api', 'https://charts.test/stable')[0]!.urls).toEqual([
      'https://charts.test/stable/api-0.1.0.tgz',
    ]);
  });

  it.each([
    [
      'a chart the index does not list',
      INDEX,
      'nope',
      'chart-not-found',
      /chart "nope" is not in https:\/\/r\.test\/index\.yaml/,
    ],
    ['text that is not YAML', 'entries: [: :', 'web', 'chart-invalid', /is not YAML/],
    ['YAML that is not an index', 'hello: world\n', 'web', 'chart-invalid', /not a Helm repository index/],
    ['an empty document', '', 'web', 'chart-invalid', /not a Helm repository index/],
  ])('refuses %s', (_what, text, name, code, message) => {
    const error = failure(() => indexEntries(text, name, 'https://r.test'));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });
});
