import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * A few client routes need no router library: the History API, a popstate listener and links that
 * push. The hub answers every such path with index.html, so reloads and shared links work.
 */
const NAVIGATE_EVENT = 'fleetwave:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

export type Route =
  | { page: 'fleet' }
  | { page: 'applications' }
  | { page: 'application'; name: string }
  | { page: 'rollouts' }
  | { page: 'rollout'; id: string }
  | { page: 'matrix' }
  | { page: 'notifications' }
  | { page: 'notFound' };

export function matchRoute(pathname: string): Route {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { page: 'notFound' };
  if (first === undefined || (first === 'fleet' && second === undefined)) return { page: 'fleet' };
  if (first === 'applications')
    return second ? { page: 'application', name: second } : { page: 'applications' };
  if (first === 'rollouts') return second ? { page: 'rollout', id: second } : { page: 'rollouts' };
  if (first === 'status' && second === undefined) return { page: 'matrix' };
  if (first === 'notifications' && second === undefined) return { page: 'notifications' };
  return { page: 'notFound' };
}

export const paths = {
  fleet: () => '/',
  applications: () => '/applications',
  application: (name: string) => `/applications/${encodeURIComponent(name)}`,
  rollouts: () => '/rollouts',
  rollout: (id: string) => `/rollouts/${encodeURIComponent(id)}`,
  matrix: () => '/status',
  notifications: () => '/notifications',
};

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const { to, onClick, ...rest } = props;
  const follow = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    // New tabs, downloads and the like stay with the browser.
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={to} onClick={follow} />;
}
