import { Global, Module } from '@nestjs/common';
import { EventPublisher } from './event-publisher.js';
import { EventsRepository } from './events.repository.js';

@Global()
@Module({ providers: [EventsRepository, EventPublisher], exports: [EventsRepository, EventPublisher] })
export class EventsModule {}
