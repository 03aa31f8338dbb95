import { describe, expect, it } from '@jest/globals';
import { type GraphqlContext } from './graphql-context.js';
import { type RequestLoaderFactory, renewRequestLoaders, requestLoaders } from './request-loaders.js';

/** A feature's loader factory that counts how often it is asked to make loaders. */
function factory(name: string): RequestLoaderFactory<{ name: string; serial: number }> & { made: number } {
  return {
    made: 0,
    create() {
      this.made += 1;
      return { name, serial: this.made };
    },
  };
}

describe('requestLoaders', () => {
  it('makes a feature its loaders once per request, on first use', () => {
    const rollouts = factory('rollouts');
    const context: GraphqlContext = {};
    const first = requestLoaders(context, rollouts);
    expect(requestLoaders(context, rollouts)).toBe(first);
    expect(rollouts.made).toBe(1);
  });

  it('keeps each feature its own loaders in the same request', () => {
    const rollouts = factory('rollouts');
    const applications = factory('applications');
    const context: GraphqlContext = {};
    expect(requestLoaders(context, rollouts).name).toBe('rollouts');
    expect(requestLoaders(context, applications).name).toBe('applications');
    expect(requestLoaders(context, rollouts).name).toBe('rollouts');
  });

  it('never shares loaders between requests', () => {
    const rollouts = factory('rollouts');
    const one: GraphqlContext = {};
    const two: GraphqlContext = {};
    expect(requestLoaders(one, rollouts)).not.toBe(requestLoaders(two, rollouts));
  });

  it('makes fresh loaders of every feature after a renewal (a subscription event)', () => {
    const rollouts = factory('rollouts');
    const applications = factory('applications');
    const context: GraphqlContext = {};
    const before = [requestLoaders(context, rollouts), requestLoaders(context, applications)];
    renewRequestLoaders(context);
    expect(requestLoaders(context, rollouts)).not.toBe(before[0]);
    expect(requestLoaders(context, applications)).not.toBe(before[1]);
    expect([rollouts.made, applications.made]).toEqual([2, 2]);
  });
});
