/**
 * Which response a GET under the dashboard gets: a built file, the SPA's index.html (client routes
 * such as /rollouts/<id>), or a 404. Pure, so the rules are tested without a server.
 */

/** Paths the hub's APIs own: the dashboard never answers under them, not even with index.html. */
export const RESERVED_PREFIXES = [
  '/graphql',
  '/agent',
  '/webhooks',
  '/healthz',
  '/readyz',
  '/metrics',
] as const;

/** Vite puts content-hashed bundles here: they can be cached for good. */
const HASHED_ASSETS = '/assets/';

export type DashboardRoute =
  { kind: 'file'; file: string; immutable: boolean } | { kind: 'index' } | { kind: 'notFound' };

export function isReservedPath(pathname: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => pathname === prefix || pathname.startsWith(`${prefix}/`));
}

/**
 * `url` is the request URL (path and query); `files` the dashboard's files relative to its root,
 * with forward slashes (`index.html`, `assets/index-3f2a.js`).
 */
export function routeDashboard(url: string, files: ReadonlySet<string>): DashboardRoute {
  const rawPath = url.split('?', 1)[0] ?? '/';
  let pathname: string;
  try {
    pathname = decodeURIComponent(rawPath);
  } catch {
    return { kind: 'notFound' };
  }
  if (!pathname.startsWith('/') || isReservedPath(pathname)) return { kind: 'notFound' };
  const relative = pathname.slice(1);
  // Only names from the listing are served, so `..`, `//` or a dotfile can never reach the disk.
  if (relative !== '' && relative !== 'index.html' && files.has(relative)) {
    return { kind: 'file', file: relative, immutable: pathname.startsWith(HASHED_ASSETS) };
  }
  // A missing script or image is a 404, not a page: only extension-less paths are client routes.
  const last = relative.split('/').at(-1) ?? '';
  if (relative.startsWith(HASHED_ASSETS.slice(1)) || last.includes('.')) {
    return relative === 'index.html' ? { kind: 'index' } : { kind: 'notFound' };
  }
  return { kind: 'index' };
}
