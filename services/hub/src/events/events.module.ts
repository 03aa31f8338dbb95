import { Global, Module } from '@nestjs/common';
import { AuditedTransactions } from './audited-transactions.js';
import { CommittedEvents } from './committed-events.js';
import { EventPublisher } from './event-publisher.js';
import { EventRetention } from './event-retention.js';
import { EventsRepository } from './events.repository.js';
import { EventsResolver } from './graphql/events.resolver.js';

@Global()
@Module({
  providers: [
    EventsRepository,
    EventPublisher,
    CommittedEvents,
    AuditedTransactions,
    EventsResolver,
    EventRetention,
  ],
  exports: [EventsRepository, EventPublisher, CommittedEvents, AuditedTransactions],
})
export class EventsModule {}
