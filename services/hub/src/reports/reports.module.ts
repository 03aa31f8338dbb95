import { Module } from '@nestjs/common';
import { HeartbeatSweeperService } from './heartbeat-sweeper.service.js';
import { ReportConsumerService } from './report-consumer.service.js';
import { ReportIngestService } from './report-ingest.service.js';
import { ReportsRepository } from './reports.repository.js';

@Module({
  providers: [ReportsRepository, ReportIngestService, ReportConsumerService, HeartbeatSweeperService],
  exports: [ReportIngestService, HeartbeatSweeperService],
})
export class ReportsModule {}
