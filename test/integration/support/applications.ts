import { expect } from '@jest/globals';
import { ApplicationsService } from '../../../services/hub/src/applications/applications.service.js';
import { GitSyncService } from '../../../services/hub/src/applications/git-sync.service.js';
import { type RolloutRecord } from '../../../services/hub/src/rollouts/rollouts.repository.js';
import { RolloutsService } from '../../../services/hub/src/rollouts/rollouts.service.js';
import { waitFor } from '../../harness/wait-for.js';
import { type TestHub } from './hub.js';

const ADMIN = { name: 'test-admin', role: 'admin' as const };

/**
 * Creates application `name` (manual sync, templates under `deploy/` of `repoUrl`'s main) over
 * `selector`, syncs it and returns the commit it fetched.
 */
export async function createSyncedApp(
  hub: TestHub,
  repoUrl: string,
  name: string,
  selector: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const apps = hub.app.get(ApplicationsService);
  await apps.create(ADMIN, {
    name,
    repoUrl,
    ref: 'main',
    path: 'deploy',
    syncPolicy: 'manual',
    targetSelector: selector,
    ...extra,
  });
  const outcome = await hub.app.get(GitSyncService).sync((await apps.findByName(name))!);
  expect(outcome.error).toBeNull();
  return outcome.commit!;
}

/** The rollout once it is in `state` (Succeeded by default). */
export function rolloutIn(
  hub: TestHub,
  id: string,
  state: RolloutRecord['state'] = 'Succeeded',
): Promise<RolloutRecord> {
  return waitFor(
    async () => {
      const r = await hub.app.get(RolloutsService).get(id);
      return r.state === state ? r : undefined;
    },
    { timeoutMs: 30_000, description: `rollout ${id} ${state}` },
  );
}
