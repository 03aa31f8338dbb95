import { Inject, Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { groupBy } from '../../graphql/batching.js';
import { type GraphqlContext } from '../../graphql/graphql-context.js';
import { type RequestLoaderFactory, requestLoaders } from '../../graphql/request-loaders.js';
import { AssignmentsRepository, type WithdrawalRecord } from '../assignments.repository.js';

/** Unconfirmed withdrawals for one request, by cluster and by application: one query per kind. */
export interface WithdrawalRequestLoaders {
  ofCluster: DataLoader<string, WithdrawalRecord[]>;
  ofApplication: DataLoader<string, WithdrawalRecord[]>;
}

@Injectable()
export class WithdrawalLoaders implements RequestLoaderFactory<WithdrawalRequestLoaders> {
  constructor(@Inject(AssignmentsRepository) private readonly assignments: AssignmentsRepository) {}

  of(context: GraphqlContext): WithdrawalRequestLoaders {
    return requestLoaders(context, this);
  }

  create(): WithdrawalRequestLoaders {
    return {
      ofCluster: new DataLoader(async (ids) => {
        const found = groupBy(await this.assignments.withdrawalsOfClusters(ids), (w) => w.clusterId);
        return ids.map((id) => found.get(id) ?? []);
      }),
      ofApplication: new DataLoader(async (ids) => {
        const found = groupBy(await this.assignments.withdrawalsOfApplications(ids), (w) => w.applicationId);
        return ids.map((id) => found.get(id) ?? []);
      }),
    };
  }
}
