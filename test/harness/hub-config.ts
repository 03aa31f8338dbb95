import { tmpdir } from 'node:os';
import path from 'node:path';
import { type HubConfig, loadHubConfig } from '../../services/hub/src/config/hub-config.js';
import { cacheDir } from './paths.js';

/** The backing services a test hub runs against. */
export interface HubBackends {
  databaseUrl: string;
  brokers: readonly string[];
}

/** Sections of a HubConfig, each overridden field by field. */
export type HubConfigOverrides = {
  [K in keyof HubConfig]?: NonNullable<HubConfig[K]> extends object
    ? Partial<NonNullable<HubConfig[K]>>
    : HubConfig[K];
};

/**
 * The environment of a hub process on this machine: its backends, a listener on 127.0.0.1:`port`,
 * warn-level logs, the helm and kustomize the project's scripts built (test/kube/build-*.sh) and a
 * render sandbox under the system's temporary directory; everything else is the hub's own default
 * unless `env` says otherwise.
 */
export function hubEnvFor(
  backends: HubBackends & { port: number },
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    HUB_DATABASE_URL: backends.databaseUrl,
    HUB_KAFKA_BROKERS: backends.brokers.join(','),
    HUB_HOST: '127.0.0.1',
    HUB_PORT: String(backends.port),
    LOG_LEVEL: 'warn',
    HUB_HELM_BIN: cacheDir('kube', 'bin', 'helm'),
    HUB_KUSTOMIZE_BIN: cacheDir('kube', 'bin', 'kustomize'),
    HUB_RENDER_DIR: path.join(tmpdir(), 'fleetwave-render'),
    ...env,
  };
}

/**
 * A typed HubConfig for a hub inside the test process. The defaults are the hub's own (read with
 * the same schema as a hub process's environment, so the two cannot drift apart); on top: a
 * listener on a free port, mirrors under `gitDir`, no dashboard, silent logs, then each layer of
 * overrides in turn (a caller's defaults, then a test's own).
 */
export function hubConfigFor(
  backends: HubBackends & { gitDir: string },
  ...layers: HubConfigOverrides[]
): HubConfig {
  const base = loadHubConfig(
    hubEnvFor(
      { ...backends, port: 0 },
      { HUB_GIT_DIR: backends.gitDir, HUB_DASHBOARD_DIR: '', LOG_LEVEL: 'silent' },
    ),
  );
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of layers.flatMap((layer) => Object.entries(layer))) {
    const current = merged[key];
    merged[key] = isSection(value) && isSection(current) ? { ...current, ...value } : value;
  }
  return merged as unknown as HubConfig;
}

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
