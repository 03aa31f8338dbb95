import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { kubeBinDir } from '../kube/fleet.js';
import { freePort } from './net.js';
import { type ManagedProcess, startManagedProcess } from './process.js';
import { StopWaiting, waitFor } from './wait-for.js';

/** Prometheus built by test/kube/build-prometheus.sh. */
export const prometheusBinary = (): string => path.join(kubeBinDir(), 'prometheus');

export interface TestPrometheus {
  /** `http://127.0.0.1:PORT`: what HUB_PROMETHEUS_URL takes. */
  readonly url: string;
  /** Replaces what the test's /metrics endpoint serves (Prometheus text format). */
  serve(metrics: string): void;
  /** The samples of an instant query, as Prometheus answers now. */
  query(promql: string): Promise<{ labels: Record<string, string>; value: number }[]>;
  /** Awaits Prometheus seeing what the endpoint serves: `promql` answers a sample satisfying `seen`. */
  awaitSeen(promql: string, seen: (value: number) => boolean, description: string): Promise<void>;
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

/**
 * A real Prometheus for tests: on 127.0.0.1 and a free port, TSDB in a temporary directory, one
 * scrape job (`scrape_interval: 1s`) on an HTTP /metrics endpoint the test controls. Resolves once
 * /-/ready answers and the first scrape of the endpoint is in (`up{job="test"} == 1`).
 */
export async function startPrometheus(initialMetrics = ''): Promise<TestPrometheus> {
  const binary = prometheusBinary();
  if (!existsSync(binary)) {
    throw new Error(
      `prometheus not found at ${binary}: build it with \`bash test/kube/build-prometheus.sh\``,
    );
  }
  let metrics = initialMetrics;
  const endpoint: Server = createServer((request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(metrics);
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const target = `127.0.0.1:${(endpoint.address() as AddressInfo).port}`;

  const dir = await mkdtemp(path.join(tmpdir(), 'fleetwave-prometheus-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    scrape_configs: [{ job_name: 'test', scrape_interval: '1s', static_configs: [{ targets: [target] }] }],
  };
  const configFile = path.join(dir, 'prometheus.yml');
  await writeFile(configFile, stringify(config));
  const server: ManagedProcess = startManagedProcess(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      // An instant query looks back this far for the newest sample: short, so a changed value
      // replaces the old one as soon as it is scraped and an old series ends quickly.
      '--query.lookback-delta=5s',
    ],
    { logFile: path.join(dir, 'prometheus.log'), cwd: dir, env: { PATH: process.env.PATH ?? '', HOME: dir } },
  );
  let exited = false;
  void server.exited().then(() => (exited = true));
  const stop = async () => {
    await server.stop('SIGTERM', 10_000);
    await new Promise<void>((resolve) => endpoint.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  };

  const query = async (promql: string) => {
    const response = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: promql })}`);
    const body = (await response.json()) as {
      status: string;
      error?: string;
      data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
    };
    if (body.status !== 'success') throw new Error(`query ${promql}: ${body.error ?? response.status}`);
    return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  };
  const awaitSeen = async (promql: string, seen: (value: number) => boolean, description: string) => {
    await waitFor(
      async () => {
        if (exited) throw new StopWaiting(`prometheus exited:\n${server.logTail()}`);
        const samples = await query(promql);
        return samples.length > 0 && samples.every((s) => seen(s.value));
      },
      { description: `prometheus to see ${description} (${promql})`, timeoutMs: 30_000, intervalMs: 250 },
    );
  };

  try {
    await waitFor(
      async () => {
        if (exited) throw new StopWaiting(`prometheus exited:\n${server.logTail()}`);
        const response = await fetch(`${url}/-/ready`);
        await response.arrayBuffer();
        return response.status === 200;
      },
      { description: `prometheus at ${url} to be ready`, timeoutMs: 60_000, intervalMs: 200 },
    );
    await awaitSeen('up{job="test"}', (v) => v === 1, 'the first scrape');
  } catch (error) {
    const tail = server.logTail();
    await stop();
    throw new Error(`${(error as Error).message}\nprometheus log:\n${tail}`, { cause: error });
  }

  return {
    url,
    serve: (text) => {
      metrics = text;
    },
    query,
    awaitSeen,
    logTail: (lines) => server.logTail(lines),
    stop,
  };
}
