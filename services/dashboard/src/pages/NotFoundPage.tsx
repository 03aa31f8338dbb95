import { Link, paths } from '../router/router';

export function NotFoundPage() {
  return (
    <section className="card">
      <h1>Not found</h1>
      <p>
        There is no page here. Go to the <Link to={paths.fleet()}>fleet</Link>.
      </p>
    </section>
  );
}
