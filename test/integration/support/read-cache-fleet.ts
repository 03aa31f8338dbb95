import pg from 'pg';
import { seedFleet } from '../../../bench/graphql.js';
import { gqlOk } from './graphql.js';
import { startTestHub, type TestHub, testHubConfig } from './hub.js';

/** A hub whose read caches keep for `boundMs`, over a seeded fleet (bench/graphql.ts' seed, small). */
export interface ReadCacheFleet {
  hub: TestHub;
  db: pg.Client;
  /** The big rollout (of application `app-01`, in project `payments`). */
  rolloutId: string;
  /** An API token of this role, optionally bound to a project (`payments` or `other`). */
  token(name: string, role: string, project?: string): Promise<string>;
}

/**
 * The hub and fleet the read-cache specs share: passes only when something asks for one (what a
 * read shows comes from the test's changes), statements counted per request, projects `payments`
 * (holding app-01) and `other`.
 */
export async function startReadCacheFleet(
  boundMs: number,
  size: { clusters: number; rolloutClusters: number },
): Promise<ReadCacheFleet> {
  const hub = await startTestHub(
    await testHubConfig({
      rollouts: { passIntervalSeconds: 3600 },
      reads: { cacheMs: boundMs },
      database: { statementsPerRequest: true },
    }),
  );
  const db = new pg.Client({ connectionString: hub.config.database.url });
  await db.connect();
  const { rolloutId } = await seedFleet(db, {
    ...size,
    rollouts: 3,
    smallRolloutClusters: 10,
    applications: 2,
  });
  for (const name of ['payments', 'other']) {
    await gqlOk(hub, `mutation P($input: CreateProjectInput!) { createProject(input: $input) { name } }`, {
      input: { name },
    });
  }
  await db.query(`UPDATE application SET project = 'payments' WHERE name = 'app-01'`);
  const token = async (name: string, role: string, project?: string) => {
    const data = await gqlOk<{ createApiToken: { secret: string } }>(
      hub,
      `mutation T($name: String!, $role: Role!, $project: String) {
        createApiToken(name: $name, role: $role, project: $project) { secret } }`,
      { name, role, project: project ?? null },
    );
    return data.createApiToken.secret;
  };
  return { hub, db, rolloutId, token };
}
