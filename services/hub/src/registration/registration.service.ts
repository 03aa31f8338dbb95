import { Inject, Injectable } from '@nestjs/common';
import { generateSigningKey, type RegisterRequest, type RegisterResponse } from '@fleetwave/contracts';
import { validateLabels } from '@fleetwave/labels';
import { type Actor } from '../common/actor.js';
import { conflict, invalidArgument, notFound, unauthenticated } from '../common/domain-error.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { AgentCredentialCache } from '../clusters/agent-credential-cache.js';
import { type AgentCluster } from '../clusters/clusters.repository.js';
import { hashSecret, newSecret } from '../common/secrets.js';
import { ClustersRepository } from '../clusters/clusters.repository.js';
import { assertNoFactLabelKeys, withFactLabels } from '../clusters/fact-labels.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { hubTopics } from '../kafka/topic-names.js';
import { registrationLabels } from './registration-labels.js';
import { type RegistrationTokenEntity } from './registration-token.entity.js';
import { RegistrationTokensRepository } from './registration-tokens.repository.js';

export interface CreateRegistrationToken {
  description?: string;
  expiresAt?: Date;
  maxUses?: number;
  defaultLabels?: Record<string, string>;
}

@Injectable()
export class RegistrationService {
  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(RegistrationTokensRepository) private readonly tokens: RegistrationTokensRepository,
    @Inject(ClustersRepository) private readonly clusters: ClustersRepository,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(AgentCredentialCache) private readonly credentialCache: AgentCredentialCache,
  ) {}

  /** Returns the token's secret once; only its hash is kept. */
  async createToken(
    actor: Actor,
    input: CreateRegistrationToken,
    now = new Date(),
  ): Promise<{ token: RegistrationTokenEntity; secret: string }> {
    const defaultLabels = input.defaultLabels ?? {};
    assertNoFactLabelKeys(Object.keys(defaultLabels), 'defaultLabels');
    assertLabels(defaultLabels);
    if (input.maxUses !== undefined && (!Number.isInteger(input.maxUses) || input.maxUses < 1)) {
      throw invalidArgument('maxUses must be a positive integer');
    }
    if (input.expiresAt && input.expiresAt <= now) throw invalidArgument('expiresAt must be in the future');
    const secret = newSecret('fwr');
    const token = await this.audited.run(async (tx) => {
      const token = await this.tokens.insert(tx, {
        description: input.description ?? '',
        tokenHash: hashSecret(secret),
        defaultLabels,
        expiresAt: input.expiresAt ?? null,
        maxUses: input.maxUses ?? null,
        createdBy: actor.name,
      });
      const events = [
        {
          actor: actor.name,
          action: 'registrationToken.created',
          targetKind: 'registrationToken' as const,
          targetId: token.id,
          after: {
            description: token.description,
            expiresAt: token.expiresAt,
            maxUses: token.maxUses,
            defaultLabels,
          },
        },
      ];
      return { result: token, events };
    });
    return { token, secret };
  }

  listTokens(): Promise<RegistrationTokenEntity[]> {
    return this.tokens.list();
  }

  async revokeToken(actor: Actor, id: string, now = new Date()): Promise<RegistrationTokenEntity> {
    return this.audited.run(async (tx) => {
      const token = await this.tokens.findById(tx, id);
      if (!token) throw notFound(`registration token ${id} does not exist`);
      if (token.revokedAt) return { result: token, events: [] }; // revoking twice is a no-op
      await this.tokens.revoke(tx, id, now);
      token.revokedAt = now;
      const event = {
        actor: actor.name,
        action: 'registrationToken.revoked',
        targetKind: 'registrationToken' as const,
        targetId: id,
      };
      return { result: token, events: [event] };
    });
  }

  /**
   * Exchanges a registration token for a per-cluster credential and signing key. The cluster is
   * identified by its kube-system namespace UID, so an agent that lost its Secret gets its own
   * cluster back (with a rotated credential) instead of a duplicate. A new cluster's labels are the
   * token's, then the agent's for keys the token does not set (`registrationLabels`); a cluster that
   * registers again keeps the labels it has (operators may have changed them since), whatever the
   * token or the agent now say. Either way the facts the agent sends replace the fact labels
   * (`withFactLabels`), and labels under the fact prefix are refused from the token and the agent.
   */
  async register(request: RegisterRequest, now = this.clock.now()): Promise<RegisterResponse> {
    assertNoFactLabelKeys(Object.keys(request.labels));
    assertLabels(request.labels);
    const credential = newSecret('fwc');
    const signingKey = generateSigningKey();
    const registered = await this.audited.run(async (tx) => {
      const token = await this.tokens.findByHashForUpdate(tx, hashSecret(request.token));
      if (!token) throw unauthenticated('the registration token is not valid');
      if (token.revokedAt) throw unauthenticated('the registration token was revoked');
      if (token.expiresAt && token.expiresAt <= now) {
        throw unauthenticated(`the registration token expired at ${token.expiresAt.toISOString()}`);
      }
      if (token.maxUses !== null && token.uses >= token.maxUses) {
        throw unauthenticated(`the registration token has been used ${token.uses} of ${token.maxUses} times`);
      }

      const credentialExpiresAt = this.credentialExpiry(now);
      const credentials = {
        credentialHash: hashSecret(credential),
        signingKey,
        credentialExpiresAt,
        registeredWith: token.id,
      };
      const existing = await this.clusters.findByUidForUpdate(tx, request.kubeSystemUid);
      let cluster: { id: string; name: string };
      let action: string;
      if (existing) {
        await this.clusters.reRegister(tx, existing.id, {
          ...credentials,
          labels: withFactLabels(existing.labels, request.facts),
          facts: request.facts,
          agentVersion: request.agentVersion,
        });
        cluster = existing;
        action = 'cluster.reregistered';
      } else {
        const clash = await this.clusters.findByName(request.clusterName, tx);
        if (clash) {
          throw conflict(
            `cluster name "${request.clusterName}" is already registered by another cluster (a different kube-system namespace UID); choose another name or deregister the old cluster`,
          );
        }
        cluster = await this.clusters.insert(tx, {
          ...credentials,
          name: request.clusterName,
          kubeSystemUid: request.kubeSystemUid,
          labels: withFactLabels(registrationLabels(token.defaultLabels, request.labels), request.facts),
          facts: request.facts,
          agentVersion: request.agentVersion,
        });
        action = 'cluster.registered';
      }
      await this.tokens.countUse(tx, token.id);
      const event = {
        actor: `registration-token:${token.id}`,
        action,
        targetKind: 'cluster' as const,
        targetId: cluster.id,
        after: { name: cluster.name, agentVersion: request.agentVersion, facts: request.facts },
      };
      const response = this.identity(cluster, { credential, signingKey, issuedAt: now, credentialExpiresAt });
      return { result: response, events: [event] };
    });
    // Registering again replaces the credentials: the old ones' cached lookups go.
    this.credentialCache.forgetClusters([registered.clusterId]);
    return registered;
  }

  /**
   * A new credential and signing key for the calling cluster, without registering again (the
   * sequence goes on). The pair the agent called with stays valid for the grace period
   * (HUB_CREDENTIAL_GRACE_SECONDS), so reports it signed before and an agent that crashed before
   * saving the answer are not lost: that agent calls again with the old pair, and the pair the lost
   * answer carried is dropped. The guard has already refused revoked and expired credentials.
   */
  async rotateCredential(caller: AgentCluster, presentedHash: string): Promise<RegisterResponse> {
    const now = this.clock.now();
    const credential = newSecret('fwc');
    const signingKey = generateSigningKey();
    const rotated = await this.audited.run(async (tx) => {
      const stored = await this.clusters.credentialsForUpdate(tx, caller.id);
      if (!stored) throw unauthenticated('the cluster was deregistered');
      // Which pair was presented is read here, under the lock, by its hash: the guard's view of the
      // row may be a cached one from before a rotation on another replica.
      const presented =
        stored.credentialHash === presentedHash
          ? { hash: stored.credentialHash, key: stored.signingKey }
          : stored.previousCredentialHash === presentedHash
            ? { hash: stored.previousCredentialHash, key: stored.previousSigningKey }
            : { hash: null, key: null };
      // A concurrent rotation or revocation moved the credential between the guard and the lock.
      if (!presented.hash || !presented.key) {
        throw unauthenticated('the cluster credential changed while rotating; call again');
      }
      const credentialExpiresAt = this.credentialExpiry(now);
      const previousValidUntil = new Date(now.getTime() + this.config.auth.credentialGraceSeconds * 1000);
      await this.clusters.rotateCredential(tx, caller.id, {
        credentialHash: hashSecret(credential),
        signingKey,
        credentialExpiresAt,
        previousCredentialHash: presented.hash,
        previousSigningKey: presented.key,
        previousValidUntil,
      });
      const event = {
        actor: `cluster:${caller.name}`,
        action: 'cluster.credentialRotated',
        targetKind: 'cluster' as const,
        targetId: caller.id,
        after: {
          name: caller.name,
          credentialExpiresAt: credentialExpiresAt.toISOString(),
          previousValidUntil: previousValidUntil.toISOString(),
        },
      };
      const response = this.identity(caller, { credential, signingKey, issuedAt: now, credentialExpiresAt });
      return { result: response, events: [event] };
    });
    // The presented credential is now the previous one, valid only for the grace period.
    this.credentialCache.forgetClusters([caller.id]);
    return rotated;
  }

  private credentialExpiry(now: Date): Date {
    return new Date(now.getTime() + this.config.auth.clusterCredentialTtlSeconds * 1000);
  }

  private identity(
    cluster: { id: string; name: string },
    issued: { credential: string; signingKey: string; issuedAt: Date; credentialExpiresAt: Date },
  ): RegisterResponse {
    return {
      clusterId: cluster.id,
      clusterName: cluster.name,
      credential: issued.credential,
      signingKey: issued.signingKey,
      reportsTopic: hubTopics(this.config).reports,
      heartbeatIntervalSeconds: this.config.reports.heartbeatIntervalSeconds,
      credentialIssuedAt: issued.issuedAt.toISOString(),
      credentialExpiresAt: issued.credentialExpiresAt.toISOString(),
    };
  }
}

function assertLabels(labels: Record<string, string>): void {
  const problems = validateLabels(labels);
  if (problems.length > 0) throw invalidArgument(`invalid labels: ${problems.join('; ')}`);
}
