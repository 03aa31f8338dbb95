import http from 'node:http';
import { type AddressInfo } from 'node:net';

export interface LoadBalancer {
  readonly url: string;
  /** Requests each backend answered, by backend URL. */
  readonly served: ReadonlyMap<string, number>;
  /** Adds a backend to the rotation (a replica started later). */
  add(backend: string): void;
  stop(): Promise<void>;
}

/** What may be sent again to another backend after a failure, as nginx's `proxy_next_upstream`. */
const IDEMPOTENT = new Set(['GET', 'HEAD']);
/** Hop-by-hop headers, and those fetch recomputes (it also decompresses the body). */
const DROPPED = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'content-encoding',
  'host',
]);

/**
 * A round-robin HTTP load balancer in front of hub replicas, as a Kubernetes ingress would be. It
 * fails over like nginx by default: a request whose backend refuses the connection, or dies before
 * answering (SIGKILL mid long-poll), goes to the next backend, when it is idempotent or never reached
 * the dead one. Answers are relayed whole once complete, so a client sees an answer or nothing.
 */
export async function startLoadBalancer(initial: readonly string[]): Promise<LoadBalancer> {
  const backends = [...initial];
  const served = new Map<string, number>(backends.map((b) => [b, 0]));
  let next = 0;

  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!DROPPED.has(name) && typeof value === 'string') headers[name] = value;
      }
      // The client going away (an agent stopping) ends the upstream request too.
      const abort = new AbortController();
      res.once('close', () => abort.abort());
      let lastError: unknown;
      // Each backend at most once, in rotation from this request's turn.
      const turn = next++;
      for (let attempt = 0; attempt < backends.length && !abort.signal.aborted; attempt++) {
        const backend = backends[(turn + attempt) % backends.length]!;
        try {
          const upstream = await fetch(`${backend}${req.url ?? '/'}`, {
            method: req.method,
            headers,
            body,
            signal: abort.signal,
          });
          const payload = Buffer.from(await upstream.arrayBuffer());
          served.set(backend, (served.get(backend) ?? 0) + 1);
          const out: Record<string, string> = {};
          upstream.headers.forEach((value, name) => {
            if (!DROPPED.has(name)) out[name] = value;
          });
          res.writeHead(upstream.status, { ...out, 'content-length': String(payload.length) });
          res.end(payload);
          return;
        } catch (error) {
          lastError = error;
          const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
          if (!refused && !IDEMPOTENT.has(req.method ?? '')) break;
        }
      }
      if (abort.signal.aborted) return;
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`no backend answered: ${lastError instanceof Error ? lastError.message : String(lastError)}\n`);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    add(backend) {
      backends.push(backend);
      served.set(backend, 0);
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
