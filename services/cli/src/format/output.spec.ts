import { describe, expect, it } from '@jest/globals';
import { renderOutput } from './output.js';

describe('renderOutput', () => {
  const data = [{ name: 'canary-1', labels: { env: 'prod' }, lastHeartbeatAt: null }];

  it('renders JSON with two-space indentation', () => {
    const text = renderOutput('json', data, () => 'table');
    expect(JSON.parse(text)).toEqual(data);
    expect(text).toContain('\n  {\n    "name": "canary-1"');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('renders YAML', () => {
    expect(renderOutput('yaml', data, () => 'table')).toBe(
      '- name: canary-1\n  labels:\n    env: prod\n  lastHeartbeatAt: null\n',
    );
  });

  it('renders the table only when asked for one', () => {
    expect(renderOutput('table', data, () => 'NAME\ncanary-1\n')).toBe('NAME\ncanary-1\n');
  });
});
