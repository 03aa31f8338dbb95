import { Module } from '@nestjs/common';
import { AssignmentsModule } from '../assignments/assignments.module.js';
import { ClusterSignals } from './cluster-signals.js';
import { HeartbeatSweeperService } from './heartbeat-sweeper.service.js';
import { ReportConsumerService } from './report-consumer.service.js';
import { ReportIngestService } from './report-ingest.service.js';
import { ReportsRepository } from './reports.repository.js';

@Module({
  imports: [AssignmentsModule],
  providers: [
    ClusterSignals,
    ReportsRepository,
    ReportIngestService,
    ReportConsumerService,
    HeartbeatSweeperService,
  ],
  exports: [ClusterSignals, ReportIngestService, HeartbeatSweeperService],
})
export class ReportsModule {}
