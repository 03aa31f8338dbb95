import {
  type KafkaSecurity,
  kafkaSecurityFromVariables,
  kafkaSecurityVariableSchemas as kafka,
} from '@fleetwave/contracts';
import { labelKeyError, labelValueError } from '@fleetwave/labels';
import { z } from 'zod';

/** The agent's settings, from its environment (set by the Helm chart), validated once at start. */
const schema = z.object({
  AGENT_HUB_URL: z
    .string()
    .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), 'must be an http(s) URL'),
  AGENT_KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((v) => v.split(',').map((b) => b.trim()))
    .refine(
      (bs) => bs.every((b) => /^[^\s:]+:\d{1,5}$/.test(b)),
      'must be a comma-separated list of host:port',
    ),
  // Kafka over TLS (custom CA, optional client certificate) and SASL, secrets by reference: files
  // are read once at start-up (docs/security.md#kafka). Empty counts as unset.
  AGENT_KAFKA_TLS: kafka.flag('false'),
  AGENT_KAFKA_TLS_CA_FILE: kafka.text,
  AGENT_KAFKA_TLS_CERT_FILE: kafka.text,
  AGENT_KAFKA_TLS_KEY_FILE: kafka.text,
  AGENT_KAFKA_TLS_SERVER_NAME: kafka.text,
  AGENT_KAFKA_TLS_REJECT_UNAUTHORIZED: kafka.flag('true'),
  AGENT_KAFKA_SASL_MECHANISM: kafka.mechanism,
  AGENT_KAFKA_SASL_USERNAME: kafka.text,
  // The password: a file (a mounted Secret) or this variable itself (a secretKeyRef), never both.
  AGENT_KAFKA_SASL_PASSWORD_FILE: kafka.text,
  AGENT_KAFKA_SASL_PASSWORD: kafka.secret,
  AGENT_KAFKA_SASL_ALLOW_PLAINTEXT: kafka.flag('false'),
  AGENT_CLUSTER_NAME: z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label'),
  AGENT_CLUSTER_LABELS: z
    .string()
    .default('')
    .transform((v, ctx) => {
      const labels: Record<string, string> = {};
      for (const pair of v.split(',').filter((p) => p.trim() !== '')) {
        const [key = '', value = ''] = pair.split('=').map((s) => s.trim());
        const problem = labelKeyError(key) ?? labelValueError(value);
        if (problem) ctx.addIssue({ code: 'custom', message: `label ${JSON.stringify(pair)}: ${problem}` });
        labels[key] = value;
      }
      return labels;
    }),
  /** Only needed for the first start; afterwards the identity Secret is used. */
  AGENT_REGISTRATION_TOKEN: z.string().min(1).optional(),
  AGENT_NAMESPACE: z.string().min(1).default('fleetwave-system'),
  AGENT_KUBECONFIG: z.string().min(1).optional(),
  AGENT_KUBE_CONTEXT: z.string().min(1).optional(),
  AGENT_CACHE_DIR: z.string().min(1).default('/var/cache/fleetwave'),
  AGENT_HEALTH_HOST: z.string().default('0.0.0.0'),
  AGENT_HEALTH_PORT: z.coerce.number().int().min(0).max(65535).default(9440),
  AGENT_RESYNC_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
  AGENT_CHECK_JOB_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'must be a DNS-1123 label')
    .optional(),
  AGENT_CHECK_JOB_POLL_SECONDS: z.coerce.number().int().min(1).max(3600).default(5),
  AGENT_REPORT_BUFFER: z.coerce.number().int().min(1).max(10_000).default(200),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface AgentConfig {
  hubUrl: string;
  kafkaBrokers: string[];
  /** TLS and SASL settings: references only, read when the Kafka client is made. */
  kafkaSecurity: KafkaSecurity;
  clusterName: string;
  clusterLabels: Record<string, string>;
  registrationToken: string | undefined;
  namespace: string;
  kubeconfig: string | undefined;
  kubeContext: string | undefined;
  cacheDir: string;
  health: { host: string; port: number };
  resyncSeconds: number;
  reportBuffer: number;
  /** Verification check Jobs: where they are created (default: the agent's namespace) and how often the hub is asked. */
  checkJobs: { namespace: string; pollSeconds: number };
  logLevel: z.infer<typeof schema>['LOG_LEVEL'];
}

export class AgentConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid agent configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AgentConfigError';
  }
}

export function loadAgentConfig(env: NodeJS.ProcessEnv): AgentConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? '?');
      if (!problems.has(variable)) {
        problems.set(
          variable,
          env[variable] === undefined ? `${variable} is required` : `${variable} ${issue.message}`,
        );
      }
    }
    throw new AgentConfigError([...problems.values()]);
  }
  const c = parsed.data;
  const kafkaSecurity = kafkaSecurityFromVariables('AGENT_KAFKA_', c);
  if (kafkaSecurity.security === null) throw new AgentConfigError(kafkaSecurity.problems);
  return {
    hubUrl: c.AGENT_HUB_URL.replace(/\/+$/, ''),
    kafkaBrokers: c.AGENT_KAFKA_BROKERS,
    kafkaSecurity: kafkaSecurity.security,
    clusterName: c.AGENT_CLUSTER_NAME,
    clusterLabels: c.AGENT_CLUSTER_LABELS,
    registrationToken: c.AGENT_REGISTRATION_TOKEN,
    namespace: c.AGENT_NAMESPACE,
    kubeconfig: c.AGENT_KUBECONFIG,
    kubeContext: c.AGENT_KUBE_CONTEXT,
    cacheDir: c.AGENT_CACHE_DIR,
    health: { host: c.AGENT_HEALTH_HOST, port: c.AGENT_HEALTH_PORT },
    resyncSeconds: c.AGENT_RESYNC_SECONDS,
    reportBuffer: c.AGENT_REPORT_BUFFER,
    checkJobs: {
      namespace: c.AGENT_CHECK_JOB_NAMESPACE ?? c.AGENT_NAMESPACE,
      pollSeconds: c.AGENT_CHECK_JOB_POLL_SECONDS,
    },
    logLevel: c.LOG_LEVEL,
  };
}
