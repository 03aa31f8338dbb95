import { type ReactNode } from 'react';
import { useSession } from '../auth/session';
import { Link, paths, type Route } from '../router/router';
import { FreezeBanner } from './FreezeBanner';
import { LiveIndicator } from './LiveIndicator';

const NAV: { label: string; to: string; pages: Route['page'][] }[] = [
  { label: 'Fleet', to: paths.fleet(), pages: ['fleet'] },
  { label: 'Applications', to: paths.applications(), pages: ['applications', 'application'] },
  { label: 'Rollouts', to: paths.rollouts(), pages: ['rollouts', 'rollout'] },
  { label: 'Status', to: paths.matrix(), pages: ['matrix'] },
  { label: 'Notifications', to: paths.notifications(), pages: ['notifications'] },
];

export function Layout(props: { route: Route; children: ReactNode }) {
  const session = useSession();
  return (
    <div className="app">
      <header className="topbar">
        <Link to={paths.fleet()} className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Fleetwave
        </Link>
        <nav className="nav">
          {NAV.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              className={item.pages.includes(props.route.page) ? 'nav-link active' : 'nav-link'}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="topbar-end">
          <LiveIndicator />
          <span className={`role role-${session.role}`} data-testid="role" title="The role of your token">
            {session.role}
          </span>
          <button
            type="button"
            className="button subtle"
            onClick={() => session.logout()}
            data-testid="logout"
          >
            Log out
          </button>
        </div>
      </header>
      <main className="content">
        <FreezeBanner />
        {props.children}
      </main>
    </div>
  );
}
