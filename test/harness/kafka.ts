import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { freePort } from './net.js';
import { cacheDir, harnessFile } from './paths.js';
import { requireTool, startManagedProcess } from './process.js';
import { waitFor } from './wait-for.js';

const KAFKA_VERSION = '3.9.1';
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies';

/**
 * Makes sure the broker's jars are in the cache, fetching them with Maven on the first run only.
 * A `.complete` marker written last means a half-finished download is never mistaken for a good one.
 */
export function ensureKafkaJars(log: (line: string) => void = console.log): string {
  const libDir = cacheDir('kafka', KAFKA_VERSION, 'lib');
  const marker = path.join(libDir, '.complete');
  if (existsSync(marker)) return libDir;

  requireTool(
    'java',
    ['-version'],
    'Install a Java 17+ runtime (Debian: apt-get install openjdk-17-jre-headless).',
  );
  requireTool(
    'mvn',
    ['-v'],
    'Install Apache Maven (Debian: apt-get install maven); it fetches the Kafka jars.',
  );
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars with Maven into ${libDir} (first run only)`);
  const started = Date.now();
  const result = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      harnessFile('kafka', 'pom.xml'),
      DEPENDENCY_PLUGIN,
      `-DoutputDirectory=${libDir}`,
      '-DincludeScope=runtime',
      `-Dkafka.version=${KAFKA_VERSION}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (result.status !== 0) {
    throw new Error(
      `mvn could not fetch the Kafka jars (exit ${result.status ?? result.signal}); see the output above`,
    );
  }
  const jars = readdirSync(libDir).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) {
    throw new Error(`the Kafka broker jar is missing from ${libDir} after mvn ran`);
  }
  spawnSync('touch', [marker]);
  log(`fetched ${jars.length} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return libDir;
}

export interface KafkaServer {
  /** host:port of the client listener, for kafkajs `brokers`. */
  brokers: string[];
  logFile: string;
  /** Freezes the broker (SIGSTOP): clients see a dead peer, like a network partition. */
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
}

/**
 * Starts a real single-node Apache Kafka (KRaft, combined broker + controller) on 127.0.0.1 (or
 * `host`, which it then also advertises: the real node's Pods reach it on the host's address) with a
 * fresh, freshly formatted log dir. Ready when a kafkajs admin call succeeds.
 */
export async function startKafka(
  options: { log?: (line: string) => void; readyTimeoutMs?: number; host?: string } = {},
): Promise<KafkaServer> {
  const host = options.host ?? '127.0.0.1';
  return startKafkaBroker({
    ...options,
    listener: (brokerPort) => [
      `listeners=PLAINTEXT://${host}:${brokerPort},CONTROLLER://127.0.0.1:{controllerPort}`,
      `advertised.listeners=PLAINTEXT://${host}:${brokerPort}`,
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    ],
  });
}

/** What a variant of the broker adds to the plain one (kafka-secure.ts). */
export interface BrokerVariant {
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /**
   * The listener lines of server.properties for a client port; `{controllerPort}` stands for the
   * controller's port.
   */
  listener(brokerPort: number): string[];
  /** More lines for server.properties (authorizer, TLS stores...). */
  properties?: string[];
  /** More arguments for `kafka-storage format` (SCRAM users...). */
  formatArgs?: string[];
  /** What the readiness admin client connects with (TLS, SASL). */
  client?: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** The address the client listener is on (default 127.0.0.1). */
  host?: string;
  /** Where the variant keeps files of its own; removed with the broker's. */
  workDir?: string;
}

/** Starts the broker of a {@link BrokerVariant}: format, start, wait until an admin call works. */
export async function startKafkaBroker(variant: BrokerVariant): Promise<KafkaServer> {
  const log = variant.log ?? console.log;
  const libDir = ensureKafkaJars(log);
  const [brokerPort, controllerPort] = [await freePort(), await freePort()];
  const workDir = variant.workDir ?? (await mkdtemp(path.join(os.tmpdir(), 'fleetwave-kafka-')));
  const dataDir = path.join(workDir, 'data');
  await mkdir(dataDir);
  const propertiesFile = path.join(workDir, 'server.properties');
  await writeFile(
    propertiesFile,
    serverProperties({
      listener: variant
        .listener(brokerPort)
        .map((line) => line.replaceAll('{controllerPort}', String(controllerPort))),
      controllerPort,
      dataDir,
      extra: variant.properties ?? [],
    }),
  );

  const classpath = `${libDir}/*`;
  const jvm = [
    '-Xms128m',
    '-Xmx512m',
    '-XX:+UseSerialGC',
    '-XX:TieredStopAtLevel=1',
    '-Djava.awt.headless=true',
  ];
  const log4j = `-Dlog4j.configuration=file:${harnessFile('kafka', 'log4j.properties')}`;

  // KRaft storage must be formatted with a cluster id before the first start. The id is a base64url
  // UUID; one starting with "-" (1 in 64) would be read as an option by the tool's argument parser,
  // so the first byte's top bit is cleared (its first character is then A–Z or a–f).
  const idBytes = randomBytes(16);
  idBytes[0] = idBytes[0]! & 0x7f;
  const clusterId = idBytes.toString('base64url');
  const format = spawnSync(
    'java',
    [
      ...jvm,
      log4j,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      propertiesFile,
      ...(variant.formatArgs ?? []),
    ],
    { encoding: 'utf8' },
  );
  if (format.status !== 0) {
    await rm(workDir, { recursive: true, force: true });
    throw new Error(`formatting Kafka storage failed: ${format.stderr || format.stdout}`);
  }

  const broker = startManagedProcess(
    'java',
    [...jvm, log4j, '-cp', classpath, 'kafka.Kafka', propertiesFile],
    {
      logFile: path.join(workDir, 'kafka.log'),
    },
  );
  const brokers = [`${variant.host ?? '127.0.0.1'}:${brokerPort}`];
  const stop = async () => {
    await broker.stop('SIGTERM', 20_000);
    await rm(workDir, { recursive: true, force: true });
  };

  let died = false;
  void broker.exited().then(() => (died = true));
  const admin = new Kafka({
    clientId: 'fleetwave-harness',
    brokers,
    ...variant.client,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  try {
    await waitFor(
      async () => {
        if (died) throw new Error(`Kafka exited during start-up:\n${broker.logTail()}`);
        await admin.connect();
        await admin.listTopics();
        // Also wait for the group coordinator (it creates __consumer_offsets), so the first consumer
        // group of a test does not race the broker's own start-up.
        await admin.describeGroups(['fleetwave-harness-readiness']);
        return true;
      },
      {
        description: `Kafka on ${brokers[0]}`,
        timeoutMs: variant.readyTimeoutMs ?? 90_000,
        intervalMs: 250,
      },
    );
  } catch (error) {
    const tail = broker.logTail();
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- kafka log ---\n${tail}`, {
      cause: error,
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return {
    brokers,
    logFile: broker.logFile,
    pause: () => broker.child.kill('SIGSTOP'),
    resume: () => broker.child.kill('SIGCONT'),
    stop: async () => {
      broker.child.kill('SIGCONT'); // a frozen JVM cannot handle SIGTERM
      await stop();
    },
  };
}

function serverProperties(p: {
  listener: string[];
  controllerPort: number;
  dataDir: string;
  extra: string[];
}): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controllerPort}`,
    ...p.listener,
    'controller.listener.names=CONTROLLER',
    `log.dirs=${p.dataDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    ...p.extra,
    '',
  ].join('\n');
}

/** Reads the server's log, for a failing test's diagnostics. */
export async function readKafkaLog(server: KafkaServer): Promise<string> {
  return readFile(server.logFile, 'utf8').catch(() => '');
}
