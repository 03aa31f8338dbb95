import { describe, expect, it } from '@jest/globals';
import { parseTargetUrl, targetOrigin } from './target-url.js';

describe('parseTargetUrl', () => {
  it.each(['https://hooks.example.com/services/T0/B0/xyz', 'http://127.0.0.1:8080/hook'])(
    'accepts %s',
    (url) => {
      expect(parseTargetUrl(url).toString()).toBe(url);
    },
  );
  it.each<[string, RegExp]>([
    ['', /1 to 2048/],
    ['not a url', /not an absolute URL/],
    ['/relative/path', /not an absolute URL/],
    ['ftp://example.com/x', /must be http or https, not ftp/],
    ['file:///etc/passwd', /must be http or https, not file/],
    ['https://user:pw@example.com/x', /user or password/],
    [`https://example.com/${'a'.repeat(2048)}`, /1 to 2048/],
  ])('refuses %j with INVALID_ARGUMENT', (url, message) => {
    expect(() => parseTargetUrl(url)).toThrow(message);
    expect(() => parseTargetUrl(url)).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });
});

describe('targetOrigin', () => {
  it('shows scheme, host and port only', () => {
    expect(targetOrigin('https://hooks.example.com/services/T0/B0/xyz?x=1')).toBe(
      'https://hooks.example.com',
    );
    expect(targetOrigin('http://127.0.0.1:8080/hook')).toBe('http://127.0.0.1:8080');
  });
});
