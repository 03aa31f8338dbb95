import { type GraphqlContext, type RequestLoaderRegistry } from './graphql-context.js';

/** A feature's maker of its per-request loaders (usually its injectable `…Loaders` class). */
export interface RequestLoaderFactory<T> {
  create(context: GraphqlContext): T;
}

/**
 * The loaders `factory` made for this request, made on first use. A request's context lives as long
 * as the request, so its loaders cache only within it; each feature registers under its own factory,
 * so features add loaders without this file (or the context) knowing them.
 */
export function requestLoaders<T>(context: GraphqlContext, factory: RequestLoaderFactory<T>): T {
  const registry: RequestLoaderRegistry = (context.loaders ??= new Map());
  if (!registry.has(factory)) registry.set(factory, factory.create(context));
  return registry.get(factory) as T;
}

/**
 * Forgets every feature's loaders. A subscription keeps one context for all its events: it renews
 * them for each event, so no event is answered from an older one's cache.
 */
export function renewRequestLoaders(context: GraphqlContext): void {
  context.loaders = undefined;
}
