import { z } from 'zod';

/**
 * Every setting the hub reads from its environment, validated once at start-up. Application code
 * receives the typed HubConfig and never reads process.env itself.
 */
const schema = z.object({
  HUB_DATABASE_URL: z
    .string()
    .refine((url) => /^postgres(ql)?:\/\/[^/]+/.test(url) && URL.canParse(url), 'must be a postgres:// URL'),
  HUB_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HUB_KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((value) => value.split(',').map((b) => b.trim()))
    .refine(
      (brokers) => brokers.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
      'must be a comma-separated list of host:port',
    ),
  HUB_HOST: z.string().default('0.0.0.0'),
  HUB_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface HubConfig {
  database: { url: string; poolSize: number };
  kafka: { brokers: string[] };
  http: { host: string; port: number };
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid hub configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadHubConfig(env: NodeJS.ProcessEnv): HubConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    // Name the variable and the rule it broke; never echo the value (it may hold a password).
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '?');
      if (problems.has(variable)) continue; // the first broken rule per variable is enough
      problems.set(
        variable,
        env[variable] === undefined ? `${variable} is required` : `${variable} ${issue.message}`,
      );
    }
    throw new ConfigError([...problems.values()]);
  }
  const c = parsed.data;
  return {
    database: { url: c.HUB_DATABASE_URL, poolSize: c.HUB_DATABASE_POOL_SIZE },
    kafka: { brokers: c.HUB_KAFKA_BROKERS },
    http: { host: c.HUB_HOST, port: c.HUB_PORT },
    logLevel: c.LOG_LEVEL,
  };
}
