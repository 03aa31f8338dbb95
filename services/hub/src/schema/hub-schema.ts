import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { pino } from 'pino';
import { AppModule } from '../app.module.js';
import { type HubConfig } from '../config/hub-config.js';
import { discoverResolvers } from './resolver-discovery.js';

/** Where the schema is committed, relative to the hub package. */
export const SCHEMA_FILE = 'schema.graphql';

/**
 * The hub's GraphQL schema as SDL, sorted like the served one (`sortSchema`), so the committed file
 * changes only when the API does. Built from the resolvers the app module registers, without
 * starting the app: the module tree is only read, never instantiated (the config is never looked at).
 */
export async function printHubSchema(): Promise<string> {
  const resolvers = await discoverResolvers(AppModule.forRoot({} as HubConfig, pino({ enabled: false })));
  const context = await NestFactory.createApplicationContext(GraphQLSchemaBuilderModule, { logger: false });
  try {
    const schema = await context.get(GraphQLSchemaFactory).create(resolvers);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await context.close();
  }
}
