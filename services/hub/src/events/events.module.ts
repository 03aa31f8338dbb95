import { Global, Module } from '@nestjs/common';
import { AuditedTransactions } from './audited-transactions.js';
import { EventPublisher } from './event-publisher.js';
import { EventsRepository } from './events.repository.js';

@Global()
@Module({
  providers: [EventsRepository, EventPublisher, AuditedTransactions],
  exports: [EventsRepository, EventPublisher, AuditedTransactions],
})
export class EventsModule {}
