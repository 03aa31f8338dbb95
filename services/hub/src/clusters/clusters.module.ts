import { Module } from '@nestjs/common';
import { ClustersRepository } from './clusters.repository.js';
import { ClustersService } from './clusters.service.js';
import { ClusterChangesFeed } from './graphql/cluster-changes.feed.js';
import { ClustersResolver } from './graphql/clusters.resolver.js';
import { ClusterCredentialResolver } from './graphql/cluster-credential.resolver.js';

/** The cluster registry, its GraphQL API and the feed behind clusterChanged and rolloutChanged. */
@Module({
  providers: [
    ClustersRepository,
    ClustersService,
    ClustersResolver,
    ClusterCredentialResolver,
    ClusterChangesFeed,
  ],
  exports: [ClustersRepository, ClustersService, ClusterChangesFeed],
})
export class ClustersModule {}
