import { Module } from '@nestjs/common';
import { HUB_CONFIG } from '../config/config.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { AgentCredentialCache } from './agent-credential-cache.js';
import { ClustersRepository } from './clusters.repository.js';
import { ClustersService } from './clusters.service.js';
import { ClusterChangesFeed } from './graphql/cluster-changes.feed.js';
import { ClustersResolver } from './graphql/clusters.resolver.js';
import { ClusterCredentialResolver } from './graphql/cluster-credential.resolver.js';

/** Bounds the credential cache's memory (~1 KiB an entry): one entry per agent, well past 10,000. */
const AGENT_CREDENTIALS_CACHED = 50_000;

/** The cluster registry, its GraphQL API and the feed behind clusterChanged and rolloutChanged. */
@Module({
  providers: [
    {
      provide: AgentCredentialCache,
      inject: [HUB_CONFIG],
      useFactory: (config: HubConfig) =>
        new AgentCredentialCache(config.auth.agentCredentialCacheSeconds * 1000, AGENT_CREDENTIALS_CACHED),
    },
    ClustersRepository,
    ClustersService,
    ClustersResolver,
    ClusterCredentialResolver,
    ClusterChangesFeed,
  ],
  exports: [AgentCredentialCache, ClustersRepository, ClustersService, ClusterChangesFeed],
})
export class ClustersModule {}
