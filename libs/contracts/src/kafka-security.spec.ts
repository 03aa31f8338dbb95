import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  kafkaConnectionOptions,
  KafkaSecurityError,
  kafkaSecurityFromVariables,
  kafkaSecurityVariableSchemas as kafka,
  type KafkaSecurity,
  type SecretReader,
} from './kafka-security.js';

// The variables as a service declares them (here with a TEST_KAFKA_ prefix).
const schema = z.object({
  TEST_KAFKA_TLS: kafka.flag('false'),
  TEST_KAFKA_TLS_CA_FILE: kafka.text,
  TEST_KAFKA_TLS_CERT_FILE: kafka.text,
  TEST_KAFKA_TLS_KEY_FILE: kafka.text,
  TEST_KAFKA_TLS_SERVER_NAME: kafka.text,
  TEST_KAFKA_TLS_REJECT_UNAUTHORIZED: kafka.flag('true'),
  TEST_KAFKA_SASL_MECHANISM: kafka.mechanism,
  TEST_KAFKA_SASL_USERNAME: kafka.text,
  TEST_KAFKA_SASL_PASSWORD_FILE: kafka.text,
  TEST_KAFKA_SASL_PASSWORD: kafka.secret,
  TEST_KAFKA_SASL_ALLOW_PLAINTEXT: kafka.flag('false'),
});

function settings(env: Record<string, string>) {
  return kafkaSecurityFromVariables('TEST_KAFKA_', schema.parse(env));
}

const SASL = {
  TEST_KAFKA_TLS: 'true',
  TEST_KAFKA_SASL_MECHANISM: 'scram-sha-512',
  TEST_KAFKA_SASL_USERNAME: 'agent-eu-1',
  TEST_KAFKA_SASL_PASSWORD_FILE: '/etc/kafka/password',
};

describe('kafkaSecurityFromVariables', () => {
  it.each<[string, Record<string, string>, Omit<KafkaSecurity, 'prefix'>]>([
    ['nothing set: plaintext', {}, { tls: null, sasl: null }],
    [
      'empty values count as unset',
      { TEST_KAFKA_SASL_MECHANISM: '', TEST_KAFKA_TLS_CA_FILE: '' },
      { tls: null, sasl: null },
    ],
    [
      'TLS with the system CAs',
      { TEST_KAFKA_TLS: 'true' },
      {
        tls: { caFile: null, certFile: null, keyFile: null, serverName: null, rejectUnauthorized: true },
        sasl: null,
      },
    ],
    [
      'TLS with a CA, client certificate, server name, verification off',
      {
        TEST_KAFKA_TLS: 'true',
        TEST_KAFKA_TLS_CA_FILE: '/ca.pem',
        TEST_KAFKA_TLS_CERT_FILE: '/tls.crt',
        TEST_KAFKA_TLS_KEY_FILE: '/tls.key',
        TEST_KAFKA_TLS_SERVER_NAME: 'kafka.internal',
        TEST_KAFKA_TLS_REJECT_UNAUTHORIZED: 'false',
      },
      {
        tls: {
          caFile: '/ca.pem',
          certFile: '/tls.crt',
          keyFile: '/tls.key',
          serverName: 'kafka.internal',
          rejectUnauthorized: false,
        },
        sasl: null,
      },
    ],
    [
      'SCRAM over TLS, password from a file',
      SASL,
      {
        tls: { caFile: null, certFile: null, keyFile: null, serverName: null, rejectUnauthorized: true },
        sasl: {
          mechanism: 'scram-sha-512',
          username: 'agent-eu-1',
          password: { file: '/etc/kafka/password' },
        },
      },
    ],
    [
      'PLAIN over plaintext when explicitly allowed, password from the variable',
      {
        TEST_KAFKA_SASL_MECHANISM: 'plain',
        TEST_KAFKA_SASL_USERNAME: 'hub',
        TEST_KAFKA_SASL_PASSWORD: 'not-kept',
        TEST_KAFKA_SASL_ALLOW_PLAINTEXT: 'true',
      },
      {
        tls: null,
        sasl: { mechanism: 'plain', username: 'hub', password: { variable: 'TEST_KAFKA_SASL_PASSWORD' } },
      },
    ],
  ])('%s', (_case, env, expected) => {
    expect(settings(env)).toEqual({ problems: [], security: { prefix: 'TEST_KAFKA_', ...expected } });
  });

  it('keeps no password, only where it is', () => {
    const { security } = settings({
      ...SASL,
      TEST_KAFKA_SASL_PASSWORD_FILE: '',
      TEST_KAFKA_SASL_PASSWORD: 'hunter2',
    });
    expect(JSON.stringify(security)).not.toContain('hunter2');
  });

  it.each<[string, Record<string, string>, string[]]>([
    [
      'SASL without TLS',
      { ...SASL, TEST_KAFKA_TLS: 'false' },
      [
        'SASL needs TEST_KAFKA_TLS=true (credentials would cross the network in the clear); set TEST_KAFKA_SASL_ALLOW_PLAINTEXT=true to allow it anyway',
      ],
    ],
    [
      'SASL without a username',
      { ...SASL, TEST_KAFKA_SASL_USERNAME: '' },
      ['TEST_KAFKA_SASL_USERNAME is required with SASL'],
    ],
    [
      'SASL without a password',
      { ...SASL, TEST_KAFKA_SASL_PASSWORD_FILE: '' },
      ['exactly one of TEST_KAFKA_SASL_PASSWORD_FILE and TEST_KAFKA_SASL_PASSWORD is required with SASL'],
    ],
    [
      'SASL with two passwords',
      { ...SASL, TEST_KAFKA_SASL_PASSWORD: 'hunter2' },
      ['exactly one of TEST_KAFKA_SASL_PASSWORD_FILE and TEST_KAFKA_SASL_PASSWORD is required with SASL'],
    ],
    [
      'credentials without a mechanism',
      { TEST_KAFKA_SASL_USERNAME: 'hub', TEST_KAFKA_SASL_PASSWORD: 'hunter2' },
      [
        'TEST_KAFKA_SASL_USERNAME is set but TEST_KAFKA_SASL_MECHANISM is not',
        'TEST_KAFKA_SASL_PASSWORD is set but TEST_KAFKA_SASL_MECHANISM is not',
      ],
    ],
    [
      'TLS files while TLS is off',
      { TEST_KAFKA_TLS_CA_FILE: '/ca.pem' },
      ['TEST_KAFKA_TLS_CA_FILE is set but TEST_KAFKA_TLS is not true'],
    ],
    [
      'a client certificate without its key',
      { TEST_KAFKA_TLS: 'true', TEST_KAFKA_TLS_CERT_FILE: '/tls.crt' },
      ['TEST_KAFKA_TLS_CERT_FILE and TEST_KAFKA_TLS_KEY_FILE must be set together'],
    ],
  ])('refuses %s', (_case, env, problems) => {
    const result = settings(env);
    expect(result).toEqual({ security: null, problems });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it.each([
    ['TEST_KAFKA_SASL_MECHANISM', 'gssapi', 'must be one of scram-sha-256, scram-sha-512, plain'],
    ['TEST_KAFKA_TLS', 'yes', 'must be true or false'],
    ['TEST_KAFKA_TLS_REJECT_UNAUTHORIZED', '0', 'must be true or false'],
  ])('the schema refuses %s=%s', (variable, value, message) => {
    const parsed = schema.safeParse({ [variable]: value });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => [i.path[0], i.message])).toEqual([[variable, message]]);
  });
});

const CA = '-----BEGIN CERTIFICATE-----\nMIIca\n-----END CERTIFICATE-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIcert\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIkey\n-----END PRIVATE KEY-----\n';

/** Files and variables in memory; a missing file throws like node:fs does. */
function reader(files: Record<string, string>, variables: Record<string, string> = {}): SecretReader {
  return {
    readFile: (file) => {
      if (file in files) return files[file]!;
      throw Object.assign(new Error(`ENOENT: no such file or directory, open '${file}'`), { code: 'ENOENT' });
    },
    variable: (name) => variables[name],
  };
}

const TLS = { caFile: '/ca.pem', certFile: null, keyFile: null, serverName: null, rejectUnauthorized: true };

describe('kafkaConnectionOptions', () => {
  it.each<[string, KafkaSecurity, SecretReader, ReturnType<typeof kafkaConnectionOptions>]>([
    ['plaintext', { prefix: 'T_', tls: null, sasl: null }, reader({}), {}],
    [
      'TLS with a custom CA and a client certificate',
      {
        prefix: 'T_',
        tls: { ...TLS, certFile: '/tls.crt', keyFile: '/tls.key', serverName: 'kafka.internal' },
        sasl: null,
      },
      reader({ '/ca.pem': CA, '/tls.crt': CERT, '/tls.key': KEY }),
      { ssl: { ca: [CA], cert: CERT, key: KEY, servername: 'kafka.internal', rejectUnauthorized: true } },
    ],
    [
      'TLS with the system CAs, unverified',
      { prefix: 'T_', tls: { ...TLS, caFile: null, rejectUnauthorized: false }, sasl: null },
      reader({}),
      { ssl: { rejectUnauthorized: false } },
    ],
    [
      'SCRAM, the password file without its trailing newline',
      {
        prefix: 'T_',
        tls: TLS,
        sasl: { mechanism: 'scram-sha-256', username: 'hub', password: { file: '/password' } },
      },
      reader({ '/ca.pem': CA, '/password': 'hunter2\n' }),
      {
        ssl: { ca: [CA], rejectUnauthorized: true },
        sasl: { mechanism: 'scram-sha-256', username: 'hub', password: 'hunter2' },
      },
    ],
    [
      'PLAIN with the password from a variable',
      {
        prefix: 'T_',
        tls: null,
        sasl: { mechanism: 'plain', username: 'hub', password: { variable: 'T_SASL_PASSWORD' } },
      },
      reader({}, { T_SASL_PASSWORD: 'hunter2' }),
      { sasl: { mechanism: 'plain', username: 'hub', password: 'hunter2' } },
    ],
  ])('%s', (_case, security, read, expected) => {
    expect(kafkaConnectionOptions(security, read)).toEqual(expected);
  });

  it.each<[string, KafkaSecurity, SecretReader, string[]]>([
    [
      'a missing CA file',
      { prefix: 'T_', tls: TLS, sasl: null },
      reader({}),
      ['T_TLS_CA_FILE names /ca.pem, which cannot be read (ENOENT)'],
    ],
    [
      'a CA file without a certificate',
      { prefix: 'T_', tls: TLS, sasl: null },
      reader({ '/ca.pem': 'hunter2' }),
      ['T_TLS_CA_FILE names /ca.pem, which holds no PEM certificate'],
    ],
    [
      'a key file without a key, and a missing password file',
      {
        prefix: 'T_',
        tls: { ...TLS, certFile: '/tls.crt', keyFile: '/tls.key' },
        sasl: { mechanism: 'scram-sha-512', username: 'hub', password: { file: '/password' } },
      },
      reader({ '/ca.pem': CA, '/tls.crt': CERT, '/tls.key': CERT }),
      [
        'T_TLS_KEY_FILE names /tls.key, which holds no PEM private key',
        'T_SASL_PASSWORD_FILE names /password, which cannot be read (ENOENT)',
      ],
    ],
    [
      'an empty password file',
      {
        prefix: 'T_',
        tls: TLS,
        sasl: { mechanism: 'scram-sha-512', username: 'hub', password: { file: '/password' } },
      },
      reader({ '/ca.pem': CA, '/password': '\n' }),
      ['T_SASL_PASSWORD_FILE names an empty file'],
    ],
    [
      'an empty password variable',
      {
        prefix: 'T_',
        tls: null,
        sasl: { mechanism: 'plain', username: 'hub', password: { variable: 'T_SASL_PASSWORD' } },
      },
      reader({}),
      ['T_SASL_PASSWORD is empty'],
    ],
  ])('refuses %s, naming the variable and never the content', (_case, security, read, problems) => {
    let thrown: unknown;
    try {
      kafkaConnectionOptions(security, read);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KafkaSecurityError);
    expect((thrown as KafkaSecurityError).code).toBe('KAFKA_SECURITY_INVALID');
    expect((thrown as KafkaSecurityError).problems).toEqual(problems);
    expect((thrown as Error).message).not.toContain('hunter2');
  });
});
