import http from 'node:http';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface AgentGauges {
  reportsSent: () => number;
  reportsBuffered: () => number;
  reportsDropped: () => number;
  reconcilePasses: () => number;
  kubeRequests: () => number;
}

/** `/healthz` and `/metrics` on a small port (the agent serves nothing else). */
export function startHealthServer(host: string, port: number, gauges: AgentGauges): Promise<http.Server> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fleetwave_agent_' });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('fleetwave_agent_reports_sent', 'Reports produced to Kafka since start.', gauges.reportsSent);
  gauge('fleetwave_agent_reports_buffered', 'Reports waiting for Kafka.', gauges.reportsBuffered);
  gauge(
    'fleetwave_agent_reports_dropped',
    'Buffered reports dropped while Kafka was away.',
    gauges.reportsDropped,
  );
  gauge('fleetwave_agent_reconcile_passes', 'Reconcile passes since start.', gauges.reconcilePasses);
  gauge(
    'fleetwave_agent_kube_requests',
    'Kubernetes API requests since start (watches excluded).',
    gauges.kubeRequests,
  );

  const server = http.createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (req.url === '/metrics') {
      void registry
        .metrics()
        .then((body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body));
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
