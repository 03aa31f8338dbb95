import { type DynamicModule, type ForwardReference, type Provider, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants.js';
import { RESOLVER_TYPE_METADATA } from '@nestjs/graphql';

type ModuleRef = Type | DynamicModule | ForwardReference | Promise<DynamicModule>;

/**
 * Every resolver class the module tree under `root` provides, found the way Nest's own resolver
 * explorer finds them (by `@Resolver()` metadata) but from module metadata alone: nothing is
 * instantiated, so no database or Kafka is needed, and resolvers may live in any feature folder.
 */
export async function discoverResolvers(root: ModuleRef): Promise<Type[]> {
  const seen = new Set<unknown>();
  const resolvers = new Set<Type>();
  const visit = async (ref: ModuleRef | undefined): Promise<void> => {
    const module = await unwrap(ref);
    if (module === undefined || seen.has(module)) return;
    seen.add(module);
    const moduleClass = isDynamicModule(module) ? module.module : module;
    const providers = [
      ...metadataList<Provider>(moduleClass, MODULE_METADATA.PROVIDERS),
      ...(isDynamicModule(module) ? (module.providers ?? []) : []),
    ];
    for (const provider of providers) {
      const type = providerClass(provider);
      if (type && Reflect.getMetadata(RESOLVER_TYPE_METADATA, type) !== undefined) resolvers.add(type);
    }
    const imports = [
      ...metadataList<ModuleRef>(moduleClass, MODULE_METADATA.IMPORTS),
      ...(isDynamicModule(module) ? (module.imports ?? []) : []),
    ];
    if (isDynamicModule(module)) await visit(module.module);
    for (const imported of imports) await visit(imported);
  };
  await visit(root);
  return [...resolvers];
}

async function unwrap(ref: ModuleRef | undefined): Promise<Type | DynamicModule | undefined> {
  const resolved = await ref;
  if (resolved && 'forwardRef' in resolved) return resolved.forwardRef() as Type;
  return resolved;
}

function isDynamicModule(module: Type | DynamicModule): module is DynamicModule {
  return typeof module === 'object' && 'module' in module;
}

function metadataList<T>(target: object, key: string): T[] {
  return (Reflect.getMetadata(key, target) as T[] | undefined) ?? [];
}

function providerClass(provider: Provider): Type | undefined {
  if (typeof provider === 'function') return provider;
  if ('useClass' in provider) return provider.useClass;
  return undefined;
}
