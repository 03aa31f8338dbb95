import { randomUUID } from 'node:crypto';
import { encodeSignedReport, type RegisterResponse, type Report } from '@fleetwave/contracts';
import { type Producer } from 'kafkajs';
import { RegistrationService } from '../../../services/hub/src/registration/registration.service.js';
import { type TestHub } from './hub.js';

/** A registered cluster as an agent sees it, producing signed, sequenced reports. */
export class SimulatedAgent {
  private seq = 0;

  constructor(
    readonly identity: RegisterResponse,
    private readonly producer: Producer,
  ) {}

  static async register(
    hub: TestHub,
    producer: Producer,
    labels: Record<string, string> = {},
  ): Promise<SimulatedAgent> {
    const { secret } = await hub.app
      .get(RegistrationService)
      .createToken({ name: 'test', role: 'admin' }, {});
    const response = await hub.request('POST', '/agent/v1/register', {
      json: {
        token: secret,
        clusterName: `sim-${randomUUID().slice(0, 8)}`,
        kubeSystemUid: randomUUID(),
        labels,
        facts: {},
        agentVersion: '0.1.0',
      },
    });
    if (response.status !== 200) throw new Error(`registration failed: ${JSON.stringify(response.body)}`);
    return new SimulatedAgent(response.body as RegisterResponse, producer);
  }

  get clusterId(): string {
    return this.identity.clusterId;
  }

  heartbeat(overrides: Partial<Report> = {}): Report {
    return {
      schemaVersion: 1,
      kind: 'heartbeat',
      clusterId: this.clusterId,
      seq: this.seq++,
      sentAt: new Date().toISOString(),
      agentVersion: '0.1.0',
      clusterStatus: 'Ready',
      ...overrides,
    } as Report;
  }

  /** Signs with this agent's key unless another is given (a forgery). */
  async send(report: Report, signingKey = this.identity.signingKey): Promise<void> {
    await this.producer.send({
      topic: this.identity.reportsTopic,
      messages: [{ key: report.clusterId, value: encodeSignedReport(report, signingKey) }],
    });
  }

  async sendRaw(value: Buffer | string, key: string = this.clusterId): Promise<void> {
    await this.producer.send({ topic: this.identity.reportsTopic, messages: [{ key, value }] });
  }
}
