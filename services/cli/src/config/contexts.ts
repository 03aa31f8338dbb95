import { parse, stringify } from 'yaml';
import { CliError, CLI_CODES } from '../errors.js';

/** One hub to talk to, and the token to talk with. */
export interface Context {
  name: string;
  hub: string;
  /** Absent: the token comes from --token or FLEETCTL_TOKEN. */
  token?: string;
  /** Set by `fleetctl login` (single sign-on); used when no token is given. */
  sso?: SsoSession;
}

/** What `fleetctl login` keeps: the provider, its client, and the tokens (secrets: file mode 0600). */
export interface SsoSession {
  issuer: string;
  clientId: string;
  /** The ID token, sent to the hub as the bearer token (its audience is the client id). */
  idToken: string;
  refreshToken?: string;
  /** When the ID token expires (ISO 8601); it is refreshed shortly before. */
  expiresAt: string;
}

/** The contexts file: `{ currentContext, contexts: [{ name, hub, token }] }`. */
export interface FleetctlConfig {
  currentContext: string | null;
  contexts: Context[];
}

export const EMPTY_CONFIG: FleetctlConfig = { currentContext: null, contexts: [] };

const CONTEXT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

function configError(message: string): CliError {
  return new CliError(message, CLI_CODES.config);
}

/** Pure: why a context name is unusable, or undefined. */
export function contextNameError(name: string): string | undefined {
  return CONTEXT_NAME.test(name)
    ? undefined
    : `context name "${name}" must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit`;
}

/** Pure: why a hub URL is unusable, or undefined. */
export function hubUrlError(hub: string): string | undefined {
  let url: URL;
  try {
    url = new URL(hub);
  } catch {
    return `"${hub}" is not a URL (e.g. http://127.0.0.1:8080)`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `"${hub}" must be an http(s) URL`;
  if (url.username || url.password) return 'the hub URL must not carry credentials';
  return undefined;
}

/**
 * Pure: the contexts file's text checked field by field (every problem named, with its path);
 * empty text is the empty configuration. Tokens never appear in a message.
 */
export function parseConfig(text: string, source: string): FleetctlConfig {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw configError(`${source}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (raw === null || raw === undefined) return { currentContext: null, contexts: [] };
  const problems: string[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw configError(`${source}: must be a mapping`);
  const record = raw as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'currentContext' && key !== 'contexts') problems.push(`unknown field "${key}"`);
  }
  const current = record['currentContext'];
  if (current !== undefined && current !== null && typeof current !== 'string') {
    problems.push('currentContext: must be a string');
  }
  const contexts: Context[] = [];
  const list = record['contexts'] ?? [];
  if (!Array.isArray(list)) {
    problems.push('contexts: must be a list');
  } else {
    list.forEach((item: unknown, i) => {
      const at = `contexts[${i}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        problems.push(`${at}: must be a mapping with name, hub and token`);
        return;
      }
      const entry = item as Record<string, unknown>;
      for (const key of Object.keys(entry)) {
        if (!['name', 'hub', 'token', 'sso'].includes(key)) problems.push(`${at}: unknown field "${key}"`);
      }
      const { name, hub, token } = entry;
      const sso =
        entry['sso'] === undefined || entry['sso'] === null
          ? undefined
          : parseSso(entry['sso'], `${at}.sso`, problems);
      if (typeof name !== 'string') problems.push(`${at}.name: must be a string`);
      else if (contextNameError(name)) problems.push(`${at}.name: ${contextNameError(name)}`);
      else if (contexts.some((c) => c.name === name)) problems.push(`${at}.name: "${name}" is defined twice`);
      if (typeof hub !== 'string') problems.push(`${at}.hub: must be a string`);
      else if (hubUrlError(hub)) problems.push(`${at}.hub: ${hubUrlError(hub)}`);
      if (token !== undefined && token !== null && typeof token !== 'string') {
        problems.push(`${at}.token: must be a string`);
      }
      if (typeof name === 'string' && typeof hub === 'string') {
        contexts.push({
          name,
          hub,
          ...(typeof token === 'string' && token !== '' ? { token } : {}),
          ...(sso ? { sso } : {}),
        });
      }
    });
  }
  const currentContext = typeof current === 'string' && current !== '' ? current : null;
  if (problems.length === 0 && currentContext !== null && !contexts.some((c) => c.name === currentContext)) {
    problems.push(`currentContext: no context is named "${currentContext}"`);
  }
  if (problems.length > 0) throw configError(`${source}: ${problems.join('; ')}`);
  return { currentContext, contexts };
}

/** Pure: the file's text. */
export function serializeConfig(config: FleetctlConfig): string {
  return stringify(
    {
      currentContext: config.currentContext,
      contexts: config.contexts.map((c) => ({
        name: c.name,
        hub: c.hub,
        ...(c.token ? { token: c.token } : {}),
        ...(c.sso ? { sso: c.sso } : {}),
      })),
    },
    { lineWidth: 0 },
  );
}

/**
 * Pure: the configuration with context `name` created or updated (only the fields given change).
 * A new context needs a hub; the first context becomes the current one.
 */
export function setContext(
  config: FleetctlConfig,
  name: string,
  fields: { hub?: string; token?: string },
): FleetctlConfig {
  const nameProblem = contextNameError(name);
  if (nameProblem) throw configError(nameProblem);
  if (fields.hub !== undefined && hubUrlError(fields.hub))
    throw configError(`--hub: ${hubUrlError(fields.hub)}`);
  const existing = config.contexts.find((c) => c.name === name);
  if (!existing && fields.hub === undefined) {
    throw configError(`context "${name}" does not exist yet: give its --hub`);
  }
  const updated: Context = {
    name,
    hub: fields.hub ?? existing!.hub,
    ...((fields.token ?? existing?.token) ? { token: fields.token ?? existing!.token } : {}),
    ...(existing?.sso ? { sso: existing.sso } : {}),
  };
  const contexts = existing
    ? config.contexts.map((c) => (c.name === name ? updated : c))
    : [...config.contexts, updated];
  return { currentContext: config.currentContext ?? name, contexts };
}

/** Pure: the configuration with context `name`'s single sign-on session set (or, undefined, removed). */
export function setSsoSession(
  config: FleetctlConfig,
  name: string,
  sso: SsoSession | undefined,
): FleetctlConfig {
  if (!config.contexts.some((c) => c.name === name)) {
    throw configError(`no context is named "${name}" (see fleetctl config get-contexts)`);
  }
  return {
    ...config,
    contexts: config.contexts.map((c) => {
      if (c.name !== name) return c;
      const { sso: _old, ...rest } = c;
      return sso ? { ...rest, sso } : rest;
    }),
  };
}

/** A context's `sso` mapping, its problems added to `problems` (never a token's value). */
function parseSso(raw: unknown, at: string, problems: string[]): SsoSession | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    problems.push(`${at}: must be a mapping (written by fleetctl login)`);
    return undefined;
  }
  const entry = raw as Record<string, unknown>;
  const fields = ['issuer', 'clientId', 'idToken', 'refreshToken', 'expiresAt'];
  for (const key of Object.keys(entry)) {
    if (!fields.includes(key)) problems.push(`${at}: unknown field "${key}"`);
  }
  const before = problems.length;
  for (const key of ['issuer', 'clientId', 'idToken', 'expiresAt']) {
    if (typeof entry[key] !== 'string' || entry[key] === '') problems.push(`${at}.${key}: must be a string`);
  }
  if (entry['refreshToken'] !== undefined && typeof entry['refreshToken'] !== 'string') {
    problems.push(`${at}.refreshToken: must be a string`);
  }
  if (typeof entry['expiresAt'] === 'string' && Number.isNaN(Date.parse(entry['expiresAt']))) {
    problems.push(`${at}.expiresAt: must be an ISO 8601 time`);
  }
  if (problems.length > before) return undefined;
  const { issuer, clientId, idToken, refreshToken, expiresAt } = entry as unknown as SsoSession;
  return { issuer, clientId, idToken, expiresAt, ...(refreshToken ? { refreshToken } : {}) };
}

/** Pure: the configuration with `name` as the current context. */
export function useContext(config: FleetctlConfig, name: string): FleetctlConfig {
  if (!config.contexts.some((c) => c.name === name)) {
    throw configError(`no context is named "${name}" (see fleetctl config get-contexts)`);
  }
  return { ...config, currentContext: name };
}

/** Pure: the configuration without context `name` (no current context if it was the current one). */
export function deleteContext(config: FleetctlConfig, name: string): FleetctlConfig {
  if (!config.contexts.some((c) => c.name === name)) {
    throw configError(`no context is named "${name}" (see fleetctl config get-contexts)`);
  }
  return {
    currentContext: config.currentContext === name ? null : config.currentContext,
    contexts: config.contexts.filter((c) => c.name !== name),
  };
}

/** Where to send requests, and with which token. */
export interface Target {
  hub: string;
  token: string | undefined;
  /** The context's single sign-on session, when no token was given (the caller refreshes it). */
  sso?: SsoSession;
  /** The context used, if any. */
  context: string | null;
}

/**
 * Pure: flags beat the environment, which beats the context (`--context`, else the current one):
 * `--hub` > FLEETCTL_HUB > context.hub, `--token` > FLEETCTL_TOKEN > context.token.
 */
export function resolveTarget(
  config: FleetctlConfig,
  flags: { context?: string; hub?: string; token?: string },
  env: Readonly<Record<string, string | undefined>>,
  configPath: string,
): Target {
  const contextName = flags.context ?? config.currentContext;
  const context = contextName === null ? undefined : config.contexts.find((c) => c.name === contextName);
  if (flags.context !== undefined && context === undefined) {
    throw configError(`no context is named "${flags.context}" in ${configPath}`);
  }
  const hub = flags.hub ?? nonEmpty(env['FLEETCTL_HUB']) ?? context?.hub;
  if (hub === undefined) {
    throw configError(
      `no hub configured: run "fleetctl config set-context NAME --hub URL --token TOKEN", or pass --hub (or FLEETCTL_HUB)`,
    );
  }
  const token = flags.token ?? nonEmpty(env['FLEETCTL_TOKEN']) ?? context?.token;
  if (token === undefined && context?.sso) {
    return { hub, token: context.sso.idToken, sso: context.sso, context: context.name };
  }
  return { hub, token, context: context?.name ?? null };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
