import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type KafkaConfig } from 'kafkajs';
import { type KafkaServer, startKafkaBroker } from './kafka.js';
import { requireTool } from './process.js';

/** The mechanism every harness user is formatted with. */
export const SECURE_KAFKA_MECHANISM = 'scram-sha-512' as const;

export interface SecureKafkaServer extends KafkaServer {
  /** PEM file of the CA that signed the broker's certificate. */
  caFile: string;
  /** PEM file of another CA, which did not: a client trusting only it must fail the handshake. */
  otherCaFile: string;
  /** Each SCRAM user's password (the harness admin's included), by name. */
  passwords: Record<string, string>;
  /** kafkajs options of the super user `admin`, for setting up topics and ACLs. */
  adminClient: Pick<KafkaConfig, 'brokers' | 'ssl' | 'sasl'>;
}

/**
 * A single-node Kafka whose only client listener is SASL_SSL (SCRAM-SHA-512, a certificate signed
 * by a CA made for this run, PEM stores) with the StandardAuthorizer: nobody but the super user
 * `admin` may do anything an ACL does not allow. `users` are formatted into the KRaft metadata with
 * random passwords. The controller listener stays PLAINTEXT on 127.0.0.1 (its principal, ANONYMOUS,
 * is the broker talking to its own controller and is a super user for that reason).
 */
export async function startSecureKafka(options: {
  users: string[];
  log?: (line: string) => void;
  readyTimeoutMs?: number;
}): Promise<SecureKafkaServer> {
  requireTool('openssl', ['version'], 'Install OpenSSL (Debian: apt-get install openssl).');
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'fleetwave-kafka-secure-'));
  const tls = await certificates(workDir);
  const passwords = Object.fromEntries(
    ['admin', ...options.users].map((user) => [user, randomBytes(18).toString('base64url')]),
  );
  const adminSasl = { mechanism: SECURE_KAFKA_MECHANISM, username: 'admin', password: passwords.admin! };
  const ssl = { ca: [await readFile(tls.caFile, 'utf8')], rejectUnauthorized: true };

  const server = await startKafkaBroker({
    ...options,
    workDir,
    listener: (port) => [
      `listeners=SASL_SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:{controllerPort}`,
      `advertised.listeners=SASL_SSL://127.0.0.1:${port}`,
      'inter.broker.listener.name=SASL_SSL',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    ],
    properties: [
      'sasl.enabled.mechanisms=SCRAM-SHA-512',
      'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
      // The broker's own client on the inter-broker listener logs in as the super user.
      `listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${passwords.admin}";`,
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${tls.keystoreFile}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${tls.caFile}`,
      'ssl.client.auth=none',
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found=false',
      'super.users=User:admin;User:ANONYMOUS',
    ],
    formatArgs: Object.entries(passwords).flatMap(([name, password]) => [
      '--add-scram',
      `SCRAM-SHA-512=[name=${name},password=${password}]`,
    ]),
    client: { ssl, sasl: adminSasl },
  });
  return {
    ...server,
    caFile: tls.caFile,
    otherCaFile: tls.otherCaFile,
    passwords,
    adminClient: { brokers: server.brokers, ssl, sasl: adminSasl },
  };
}

/** A CA, a broker certificate it signs (for 127.0.0.1 and localhost), and an unrelated CA. */
async function certificates(dir: string) {
  const file = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`openssl ${args[0]} failed: ${result.stderr}`);
  };
  const ca = (name: string) =>
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.crt`,
    ]);
  ca('fleetwave-test-ca');
  ca('fleetwave-other-ca');
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-keyout',
    'broker.key',
    '-out',
    'broker.csr',
  ]);
  await writeFile(file('broker.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl([
    'x509',
    '-req',
    '-in',
    'broker.csr',
    '-CA',
    'fleetwave-test-ca.crt',
    '-CAkey',
    'fleetwave-test-ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'broker.ext',
    '-out',
    'broker.crt',
  ]);
  // A PEM keystore is one file: the private key (unencrypted PKCS#8), then the certificate chain.
  const keystoreFile = file('broker-keystore.pem');
  await writeFile(
    keystoreFile,
    (await readFile(file('broker.key'), 'utf8')) + (await readFile(file('broker.crt'), 'utf8')),
  );
  return {
    caFile: file('fleetwave-test-ca.crt'),
    otherCaFile: file('fleetwave-other-ca.crt'),
    keystoreFile,
  };
}
