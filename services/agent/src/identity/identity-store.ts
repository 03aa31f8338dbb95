import { type RegisterResponse, RegisterResponseSchema } from '@fleetwave/contracts';

import { type CoreApi, type Secret } from '../kube/core.js';
import { isNotFound } from '../kube/errors.js';

export const IDENTITY_SECRET = 'fleetwave-agent-identity';
export const STATE_CONFIGMAP = 'fleetwave-agent-state';

/** What the agent received at registration, kept in a Secret in its namespace: a restart reuses it. */
export class IdentityStore {
  constructor(
    private readonly core: CoreApi,
    private readonly namespace: string,
  ) {}

  async load(): Promise<RegisterResponse | undefined> {
    const secret = await orUndefined(
      this.core.readNamespacedSecret({ name: IDENTITY_SECRET, namespace: this.namespace }),
    );
    const encoded = secret?.data?.['identity.json'];
    if (!encoded) return undefined;
    const parsed = RegisterResponseSchema.safeParse(
      JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')),
    );
    return parsed.success ? parsed.data : undefined;
  }

  async save(identity: RegisterResponse): Promise<void> {
    const body: Secret = {
      metadata: {
        name: IDENTITY_SECRET,
        namespace: this.namespace,
        labels: { 'app.kubernetes.io/part-of': 'fleetwave' },
      },
      type: 'Opaque',
      data: { 'identity.json': Buffer.from(JSON.stringify(identity)).toString('base64') },
    };
    const existing = await orUndefined(
      this.core.readNamespacedSecret({ name: IDENTITY_SECRET, namespace: this.namespace }),
    );
    if (existing) {
      body.metadata!.resourceVersion = existing.metadata?.resourceVersion;
      await this.core.replaceNamespacedSecret({ name: IDENTITY_SECRET, namespace: this.namespace, body });
    } else {
      await this.core.createNamespacedSecret({ namespace: this.namespace, body });
    }
  }
}

/**
 * Report sequence numbers must grow across restarts, but writing one on every report would make the
 * agent chatty. Like a hi/lo generator, it reserves blocks: the ConfigMap holds the end of the
 * reserved block, and a restart continues after it (skipping unused numbers is harmless).
 */
export class SequenceReservations {
  constructor(
    private readonly core: CoreApi,
    private readonly namespace: string,
    private readonly clusterId: string,
  ) {}

  /** Reserves [start, start + size) and returns start. */
  async reserve(size: number): Promise<number> {
    const name = STATE_CONFIGMAP;
    const existing = await orUndefined(
      this.core.readNamespacedConfigMap({ name, namespace: this.namespace }),
    );
    // A block reserved for another cluster identity (re-registration) does not count.
    const sameCluster = existing?.data?.clusterId === this.clusterId;
    const start = sameCluster ? Number(existing?.data?.seqReservedUntil ?? 0) : 0;
    const body = {
      metadata: { name, namespace: this.namespace, resourceVersion: existing?.metadata?.resourceVersion },
      data: { clusterId: this.clusterId, seqReservedUntil: String(start + size) },
    };
    if (existing) await this.core.replaceNamespacedConfigMap({ name, namespace: this.namespace, body });
    else await this.core.createNamespacedConfigMap({ namespace: this.namespace, body });
    return start;
  }
}

async function orUndefined<T>(request: Promise<T>): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}
