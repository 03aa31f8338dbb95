import { Global, Module } from '@nestjs/common';
import { AuditedTransactions } from './audited-transactions.js';
import { EventPublisher } from './event-publisher.js';
import { EventsRepository } from './events.repository.js';
import { EventsResolver } from './graphql/events.resolver.js';

@Global()
@Module({
  providers: [EventsRepository, EventPublisher, AuditedTransactions, EventsResolver],
  exports: [EventsRepository, EventPublisher, AuditedTransactions],
})
export class EventsModule {}
