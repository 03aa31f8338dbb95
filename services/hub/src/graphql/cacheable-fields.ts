import { Injectable, Module } from '@nestjs/common';
import { type Actor } from '../common/actor.js';
import { type GraphqlContext } from './graphql-context.js';

/** What a feature read to authorize one request for a cacheable root field. */
export interface CacheableRead {
  /** What the answer shows (e.g. `rollout:<id>`): its answers are capped together and dropped when the version moves. */
  scope: string;
  /** The version of what the answer shows, as read for this request: a kept answer is served only at the same one. */
  version: string;
  /** Hands what was read to the request's context (its loaders), so computing the answer does not read it again. */
  prepare?(context: GraphqlContext): void;
}

/**
 * A root field whose whole answer may be served from memory. `read` runs on every request before
 * anything is served: it reads what it needs and judges the caller exactly as the field's resolver
 * does, and answers null whenever the normal path must answer (bad arguments, not found, not
 * allowed, not cacheable now).
 */
export interface CacheableField {
  read(args: Readonly<Record<string, unknown>>, caller: Actor): Promise<CacheableRead | null>;
}

/**
 * The registry of root fields whose serialised answers the GraphQL layer may keep
 * (response-caching.ts): a feature registers its field and how to version and authorize it, so the
 * infrastructure names no feature.
 */
@Injectable()
export class CacheableFields {
  private readonly fields = new Map<string, CacheableField>();

  register(name: string, field: CacheableField): void {
    if (this.fields.has(name)) throw new Error(`cacheable root field "${name}" registered twice`);
    this.fields.set(name, field);
  }

  get(name: string): CacheableField | undefined {
    return this.fields.get(name);
  }
}

/** Provides the one CacheableFields of the app to the GraphQL module and to the features that register. */
@Module({ providers: [CacheableFields], exports: [CacheableFields] })
export class CacheableFieldsModule {}
