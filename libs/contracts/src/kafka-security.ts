/**
 * How the hub and the agent secure their Kafka connections: TLS (custom CA, optional client
 * certificate) and SASL (SCRAM or PLAIN), from `<PREFIX>KAFKA_*` variables each service declares in
 * its own config schema. Two steps, both pure:
 *
 *  1. {@link kafkaSecurityFromVariables}: the parsed variables → a {@link KafkaSecurity} holding only
 *     references (file paths, the name of the variable with the password), or the problems found;
 *  2. {@link kafkaConnectionOptions}: those references, read through an injected reader → kafkajs's
 *     `ssl` and `sasl` options, or a {@link KafkaSecurityError}.
 *
 * No secret is ever part of a problem's text: problems name variables and file paths only.
 */
import { z } from 'zod';

export const KAFKA_SASL_MECHANISMS = ['scram-sha-256', 'scram-sha-512', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** A secret by reference: a file (a mounted Secret) or an environment variable (a secretKeyRef). */
export type SecretReference = { file: string } | { variable: string };

export interface KafkaSecurity {
  /** The variables' prefix, e.g. `HUB_KAFKA_`, so later problems name the right variable. */
  prefix: string;
  /** null: plaintext. */
  tls: {
    /** PEM bundle of the CAs to trust; null: the system's CAs. */
    caFile: string | null;
    /** Client certificate and key (PEM), for brokers that require mutual TLS. */
    certFile: string | null;
    keyFile: string | null;
    /** The name the broker's certificate must carry, when it differs from the broker's host. */
    serverName: string | null;
    rejectUnauthorized: boolean;
  } | null;
  /** null: no SASL. */
  sasl: { mechanism: KafkaSaslMechanism; username: string; password: SecretReference } | null;
}

const unsetWhenEmpty = (value: unknown) => (value === '' ? undefined : value);

/**
 * The rules of each variable, for the services' own schemas (which spell every variable out, so the
 * charts' tests can list what a service reads). Empty counts as unset.
 */
export const kafkaSecurityVariableSchemas = {
  flag: (fallback: 'true' | 'false') =>
    z
      .enum(['true', 'false'], { message: 'must be true or false' })
      .default(fallback)
      .transform((value) => value === 'true'),
  text: z.preprocess(unsetWhenEmpty, z.string().trim().min(1).optional()),
  mechanism: z.preprocess(
    unsetWhenEmpty,
    z
      .enum(KAFKA_SASL_MECHANISMS, { message: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}` })
      .optional(),
  ),
  /** The password itself: only whether it is there is kept (its value is read when connecting). */
  secret: z.preprocess(
    unsetWhenEmpty,
    z
      .string()
      .optional()
      .transform((value) => value !== undefined),
  ),
};

/** No TLS, no SASL: what a service runs with when none of the variables are set. */
export const PLAINTEXT_KAFKA: KafkaSecurity = { prefix: 'KAFKA_', tls: null, sasl: null };

/** The variables after each service's schema parsed them (names without the prefix). */
export interface KafkaSecurityVariables {
  TLS: boolean;
  TLS_CA_FILE?: string | undefined;
  TLS_CERT_FILE?: string | undefined;
  TLS_KEY_FILE?: string | undefined;
  TLS_SERVER_NAME?: string | undefined;
  TLS_REJECT_UNAUTHORIZED: boolean;
  SASL_MECHANISM?: KafkaSaslMechanism | undefined;
  SASL_USERNAME?: string | undefined;
  SASL_PASSWORD_FILE?: string | undefined;
  /** Whether the password variable is set (its value is read only when connecting). */
  SASL_PASSWORD: boolean;
  SASL_ALLOW_PLAINTEXT: boolean;
}

/** The same variables as a service's schema parsed them, each name prefixed (`HUB_KAFKA_TLS`). */
export type PrefixedKafkaSecurityVariables<P extends string> = {
  [K in keyof KafkaSecurityVariables as `${P}${K}`]: KafkaSecurityVariables[K];
};

/** The combinations a schema's per-variable rules cannot see; problems name the variables. */
export function kafkaSecurityFromVariables<P extends string>(
  prefix: P,
  parsed: PrefixedKafkaSecurityVariables<P>,
): { security: KafkaSecurity; problems: [] } | { security: null; problems: string[] } {
  const v = Object.fromEntries(
    Object.entries(parsed)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  ) as unknown as KafkaSecurityVariables;
  const name = (suffix: string) => `${prefix}${suffix}`;
  const problems: string[] = [];
  const blank = (value: string | undefined): value is undefined => value === undefined || value === '';

  if (!v.TLS) {
    for (const suffix of ['TLS_CA_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE', 'TLS_SERVER_NAME'] as const) {
      if (!blank(v[suffix])) problems.push(`${name(suffix)} is set but ${name('TLS')} is not true`);
    }
  }
  if (blank(v.TLS_CERT_FILE) !== blank(v.TLS_KEY_FILE)) {
    problems.push(`${name('TLS_CERT_FILE')} and ${name('TLS_KEY_FILE')} must be set together`);
  }

  if (blank(v.SASL_MECHANISM)) {
    for (const suffix of ['SASL_USERNAME', 'SASL_PASSWORD_FILE'] as const) {
      if (!blank(v[suffix])) problems.push(`${name(suffix)} is set but ${name('SASL_MECHANISM')} is not`);
    }
    if (v.SASL_PASSWORD) {
      problems.push(`${name('SASL_PASSWORD')} is set but ${name('SASL_MECHANISM')} is not`);
    }
  } else {
    if (blank(v.SASL_USERNAME)) problems.push(`${name('SASL_USERNAME')} is required with SASL`);
    const byFile = !blank(v.SASL_PASSWORD_FILE);
    if (byFile === v.SASL_PASSWORD) {
      problems.push(
        `exactly one of ${name('SASL_PASSWORD_FILE')} and ${name('SASL_PASSWORD')} is required with SASL`,
      );
    }
    if (!v.TLS && !v.SASL_ALLOW_PLAINTEXT) {
      problems.push(
        `SASL needs ${name('TLS')}=true (credentials would cross the network in the clear); ` +
          `set ${name('SASL_ALLOW_PLAINTEXT')}=true to allow it anyway`,
      );
    }
  }
  if (problems.length > 0) return { security: null, problems };

  return {
    problems: [],
    security: {
      prefix,
      tls: v.TLS
        ? {
            caFile: blank(v.TLS_CA_FILE) ? null : v.TLS_CA_FILE,
            certFile: blank(v.TLS_CERT_FILE) ? null : v.TLS_CERT_FILE,
            keyFile: blank(v.TLS_KEY_FILE) ? null : v.TLS_KEY_FILE,
            serverName: blank(v.TLS_SERVER_NAME) ? null : v.TLS_SERVER_NAME,
            rejectUnauthorized: v.TLS_REJECT_UNAUTHORIZED,
          }
        : null,
      sasl: blank(v.SASL_MECHANISM)
        ? null
        : {
            mechanism: v.SASL_MECHANISM,
            username: v.SASL_USERNAME!,
            password: blank(v.SASL_PASSWORD_FILE)
              ? { variable: name('SASL_PASSWORD') }
              : { file: v.SASL_PASSWORD_FILE },
          },
    },
  };
}

/** kafkajs's `ssl` (a subset of tls.ConnectionOptions) and `sasl`, structurally. */
export interface KafkaConnectionOptions {
  ssl?: { ca?: string[]; cert?: string; key?: string; servername?: string; rejectUnauthorized: boolean };
  sasl?: SaslOptions;
}

/** One member per mechanism, as kafkajs declares them. */
type SaslOptions = KafkaSaslMechanism extends infer M
  ? M extends KafkaSaslMechanism
    ? { mechanism: M; username: string; password: string }
    : never
  : never;

/** Reads what a {@link KafkaSecurity} refers to; the edges pass node:fs and process.env. */
export interface SecretReader {
  /** The file's text; throws (an errno error) when it cannot be read. */
  readFile(path: string): string;
  variable(name: string): string | undefined;
}

export class KafkaSecurityError extends Error {
  readonly code = 'KAFKA_SECURITY_INVALID';
  constructor(readonly problems: string[]) {
    super(`invalid Kafka security settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'KafkaSecurityError';
  }
}

const PEM = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  key: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/,
};

/**
 * Reads the files and variables a {@link KafkaSecurity} names, once, at start-up: a missing or
 * malformed file is a start-up error naming the variable and the path, never the content.
 */
export function kafkaConnectionOptions(
  security: KafkaSecurity,
  reader: SecretReader,
): KafkaConnectionOptions {
  const problems: string[] = [];
  const read = (suffix: string, file: string, pem?: RegExp): string | undefined => {
    let text: string;
    try {
      text = reader.readFile(file);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      problems.push(
        `${security.prefix}${suffix} names ${file}, which cannot be read` +
          (typeof code === 'string' ? ` (${code})` : ''),
      );
      return undefined;
    }
    if (pem && !pem.test(text)) {
      problems.push(`${security.prefix}${suffix} names ${file}, which holds no PEM ${pemKind(pem)}`);
      return undefined;
    }
    return text;
  };

  const options: KafkaConnectionOptions = {};
  const tls = security.tls;
  if (tls) {
    const ca = tls.caFile === null ? undefined : read('TLS_CA_FILE', tls.caFile, PEM.certificate);
    const cert = tls.certFile === null ? undefined : read('TLS_CERT_FILE', tls.certFile, PEM.certificate);
    const key = tls.keyFile === null ? undefined : read('TLS_KEY_FILE', tls.keyFile, PEM.key);
    options.ssl = {
      rejectUnauthorized: tls.rejectUnauthorized,
      ...(ca === undefined ? {} : { ca: [ca] }),
      ...(cert === undefined ? {} : { cert }),
      ...(key === undefined ? {} : { key }),
      ...(tls.serverName === null ? {} : { servername: tls.serverName }),
    };
  }
  const sasl = security.sasl;
  if (sasl) {
    let password: string | undefined;
    if ('file' in sasl.password) {
      // A file written by hand or `kubectl create secret --from-file` often ends in a newline.
      password = read('SASL_PASSWORD_FILE', sasl.password.file)?.replace(/\r?\n$/, '');
      if (password === '') problems.push(`${security.prefix}SASL_PASSWORD_FILE names an empty file`);
    } else {
      password = reader.variable(sasl.password.variable);
      if (!password) problems.push(`${sasl.password.variable} is empty`);
    }
    if (password) {
      options.sasl = { mechanism: sasl.mechanism, username: sasl.username, password } as SaslOptions;
    }
  }
  if (problems.length > 0) throw new KafkaSecurityError(problems);
  return options;
}

function pemKind(pattern: RegExp): string {
  return pattern === PEM.key ? 'private key' : 'certificate';
}
