/** Default ports dropped from the comparable form, per scheme. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = {
  'http:': '80',
  'https:': '443',
  'ssh:': '22',
  'git:': '9418',
};

/** `user@host:owner/repo.git` (scp-like ssh syntax): no scheme, and the path does not start with '/'. */
const SCP_LIKE = /^(?:[^@/\s]+@)?(\[[^\]]+\]|[^:/\s]+):(?!\/)(.*)$/;

/**
 * A comparable form of a repository URL, so a push webhook (which lists the clone, web and ssh
 * URLs) can be matched with what an application was configured with, and so equivalent URLs share
 * one mirror: lowercase host, no scheme, no userinfo, no default port, no query or fragment, no
 * trailing '/' or '.git'. `git@host:owner/repo.git` and `https://host/owner/repo` give the same
 * `host/owner/repo`. The path keeps its case: some servers are case-sensitive.
 */
export function normalizeRepoUrl(url: string): string {
  const input = url.trim();
  const scp = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? null : SCP_LIKE.exec(input);
  if (scp) return join(scp[1]!.toLowerCase(), '', scp[2]!);
  try {
    const parsed = new URL(input);
    if (!parsed.host) return trimPath(input);
    const port = parsed.port && parsed.port !== DEFAULT_PORTS[parsed.protocol] ? parsed.port : '';
    return join(parsed.hostname.toLowerCase(), port, parsed.pathname);
  } catch {
    return trimPath(input);
  }
}

/** The URL without its userinfo, for messages and logs. Leaves anything unparsable as it is, minus `…@`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1');
  }
}

function join(host: string, port: string, path: string): string {
  const trimmed = trimPath(path.replace(/\/{2,}/g, '/').replace(/^\/+/, ''));
  return `${host}${port ? `:${port}` : ''}${trimmed ? `/${trimmed}` : ''}`;
}

function trimPath(path: string): string {
  return path
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .replace(/\/+$/, '');
}
