import { Module } from '@nestjs/common';
import { ClustersRepository } from './clusters.repository.js';

@Module({ providers: [ClustersRepository], exports: [ClustersRepository] })
export class ClustersModule {}
