import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { type FastifyRequest } from 'fastify';
import { credentialRefused, unauthenticated } from '../common/domain-error.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { credentialRefusal } from './cluster-credential.js';
import { bearer } from '../common/bearer.js';
import { hashSecret } from '../common/secrets.js';
import { AgentCredentialCache } from './agent-credential-cache.js';
import { type AgentCluster, ClustersRepository } from './clusters.repository.js';

export type AgentRequest = FastifyRequest & {
  cluster?: AgentCluster;
  /**
   * performance.now() just before the cluster row was read — by this request, or by the earlier one
   * whose row the credential cache served (see AssignmentNotifier.changedSince).
   */
  clusterReadAt?: number;
  /** sha256 of the credential presented (rotation replaces exactly that one). */
  credentialHash?: string;
};

/**
 * Agent endpoints accept only a per-cluster credential, and everything they serve is scoped to the
 * cluster it identifies: a cluster can never name another cluster in a request. A revoked or expired
 * credential is refused with its own code (CREDENTIAL_REVOKED, CREDENTIAL_EXPIRED); the one a
 * rotation replaced still works for the grace period (HUB_CREDENTIAL_GRACE_SECONDS). The lookup is
 * cached (AgentCredentialCache); the refusal is judged on every request.
 */
@Injectable()
export class AgentAuthGuard implements CanActivate {
  constructor(
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(AgentCredentialCache) private readonly cache: AgentCredentialCache,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<AgentRequest>();
    const credential = bearer(request.headers.authorization);
    if (!credential?.startsWith('fwc_'))
      throw unauthenticated('a cluster credential is required (Authorization: Bearer fwc_…)');
    const hash = hashSecret(credential);
    let found = this.cache.get(hash);
    if (found === undefined) {
      const readAt = performance.now();
      const cluster = await this.clusters.findAgentByCredentialHash(hash);
      if (!cluster)
        throw unauthenticated(
          'the cluster credential is not valid (rotated, or the cluster was deregistered)',
        );
      this.cache.set(hash, cluster, readAt);
      found = { cluster, readAt };
    }
    const { cluster, readAt } = found;
    const refusal = credentialRefusal(cluster.credential, cluster.credentialSlot, this.clock.now());
    if (refusal) throw credentialRefused(refusal.code, refusal.message);
    request.cluster = cluster;
    request.clusterReadAt = readAt;
    request.credentialHash = hash;
    return true;
  }
}
