import { Module } from '@nestjs/common';
import { ClustersRepository } from './clusters.repository.js';
import { ClustersService } from './clusters.service.js';

@Module({ providers: [ClustersRepository, ClustersService], exports: [ClustersRepository, ClustersService] })
export class ClustersModule {}
