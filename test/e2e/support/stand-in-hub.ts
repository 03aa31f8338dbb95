import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { type AddressInfo } from 'node:net';
import {
  type Assignment,
  type AssignmentsResponse,
  bundleDigest,
  generateSigningKey,
  type RegisterResponse,
} from '@fleetwave/contracts';

type Withdrawal = AssignmentsResponse['withdrawals'][number];

/**
 * A minimal hub serving the agent API (register, long-poll assignments, bundles) for agent e2e
 * tests, with controls the real hub does not expose: set assignments, withdraw or merely leave out
 * an application, go down and come back.
 */
export class StandInHub {
  readonly identity: RegisterResponse;
  readonly credential = `fwc_${randomUUID()}`;
  private server: http.Server | undefined;
  private port = 0;
  private generation = 0;
  private assignments: Assignment[] = [];
  private withdrawals: Withdrawal[] = [];
  private readonly bundles = new Map<string, string>();
  private waiters = new Set<() => void>();
  registrations = 0;
  /** Bundle digests served, in order (to check the agent's cache). */
  readonly bundleRequests: string[] = [];

  constructor(
    reportsTopic: string,
    private readonly pollTimeoutMs = 2_000,
  ) {
    this.identity = {
      clusterId: randomUUID(),
      clusterName: 'e2e',
      credential: this.credential,
      signingKey: generateSigningKey(),
      reportsTopic,
      heartbeatIntervalSeconds: 2,
    };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** The hub becomes unreachable (connections refused) until start() again on the same port. */
  async stop(): Promise<void> {
    for (const wake of this.waiters) wake();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Publishes a new revision of one application; returns its assignment. */
  assign(
    application: string,
    manifests: string,
    options: Partial<Assignment> = {},
    /** Serve other content than the digest names (a tampered or corrupted bundle). */
    tamper = false,
  ): Assignment {
    const digest = bundleDigest(manifests);
    this.bundles.set(digest, tamper ? `${manifests}# tampered\n` : manifests);
    const assignment: Assignment = {
      application,
      digest,
      commit: digest.slice(7, 47),
      prune: true,
      allowEmpty: false,
      progressDeadlineSeconds: 600,
      healthChecks: [],
      recreate: 'annotated',
      ...options,
    };
    this.assignments = [...this.assignments.filter((a) => a.application !== application), assignment];
    this.withdrawals = this.withdrawals.filter((w) => w.application !== application);
    this.changed();
    return assignment;
  }

  /** Sends a tombstone for `application` (kept in every response, as the hub keeps it until confirmed). */
  withdraw(application: string, deletionPolicy: Withdrawal['deletionPolicy']): void {
    this.assignments = this.assignments.filter((a) => a.application !== application);
    this.withdrawals = [
      ...this.withdrawals.filter((w) => w.application !== application),
      { application, deletionPolicy },
    ];
    this.changed();
  }

  /** Leaves `application` out of the assignments without a tombstone (an old backup, a wrong database). */
  leaveOut(application: string): void {
    this.assignments = this.assignments.filter((a) => a.application !== application);
    this.changed();
  }

  private changed(): void {
    this.generation++;
    for (const wake of this.waiters) wake();
  }

  private response(): AssignmentsResponse {
    return { generation: this.generation, assignments: this.assignments, withdrawals: this.withdrawals };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const json = (status: number, body?: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/agent/v1/register') {
      for await (const _ of req) void _;
      this.registrations++;
      return json(200, this.identity);
    }
    if (req.headers.authorization !== `Bearer ${this.credential}`) {
      return json(401, { code: 'UNAUTHENTICATED', message: 'bad credential' });
    }
    if (req.method === 'GET' && url.pathname === '/agent/v1/assignments') {
      const known = url.searchParams.get('generation');
      if (known === null || Number(known) !== this.generation) {
        return json(200, this.response());
      }
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, this.pollTimeoutMs);
        this.waiters.add(wake);
      });
      if (!this.server) return void res.destroy();
      if (Number(known) !== this.generation) {
        return json(200, this.response());
      }
      res.writeHead(304);
      return void res.end();
    }
    const bundle = /^\/agent\/v1\/bundles\/(sha256:[0-9a-f]{64})$/.exec(url.pathname);
    if (req.method === 'GET' && bundle) {
      this.bundleRequests.push(bundle[1]!);
      const manifests = this.bundles.get(bundle[1]!);
      return manifests === undefined
        ? json(404, { code: 'NOT_FOUND', message: 'no such bundle' })
        : json(200, { digest: bundle[1], manifests });
    }
    json(404, { code: 'NOT_FOUND', message: `${req.method} ${url.pathname}` });
  }
}
