import { describe, expect, it } from '@jest/globals';
import { Channel } from './channel.js';
import {
  apiErrorFrom,
  describeFetchFailure,
  describeSocketFailure,
  graphqlEndpoint,
  websocketEndpoint,
} from './client.js';

describe('graphqlEndpoint', () => {
  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/graphql'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/graphql'],
    ['https://hub.example/fleet/', 'https://hub.example/fleet/graphql'],
    ['https://hub.example/graphql', 'https://hub.example/graphql'],
    ['http://hub:8080/graphql?x=1#y', 'http://hub:8080/graphql'],
  ])('%s → %s', (hub, endpoint) => {
    expect(graphqlEndpoint(hub).href).toBe(endpoint);
  });

  it.each([
    ['hub:8080', 'the scheme must be http or https'],
    ['not a url', 'invalid hub URL "not a url"'],
    ['http://user:secret@hub', 'put the token in --token'],
  ])('refuses %s', (hub, message) => {
    expect(() => graphqlEndpoint(hub)).toThrow(message);
  });

  it('has a WebSocket twin', () => {
    expect(websocketEndpoint(graphqlEndpoint('http://h:1'))).toBe('ws://h:1/graphql');
    expect(websocketEndpoint(graphqlEndpoint('https://h'))).toBe('wss://h/graphql');
  });
});

describe('apiErrorFrom', () => {
  it('keeps the first code and every distinct message on one line', () => {
    const error = apiErrorFrom([
      { message: 'invalid wave plan:\nwaves[0].name', extensions: { code: 'INVALID_ARGUMENT' } },
      { message: 'invalid wave plan:\nwaves[0].name', extensions: { code: 'INVALID_ARGUMENT' } },
      { message: 'second', extensions: {} },
    ]);
    expect(error.message).toBe('invalid wave plan: waves[0].name; second');
    expect(error.code).toBe('INVALID_ARGUMENT');
  });

  it('says UNKNOWN when the hub gave no code', () => {
    expect(apiErrorFrom([{ message: 'x' }]).code).toBe('UNKNOWN');
  });
});

describe('describeFetchFailure', () => {
  it.each([
    [
      'the cause of a refused connection',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
      }),
      'connect ECONNREFUSED 127.0.0.1:9',
    ],
    [
      'the first of several attempts',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:9')], ''), {
          code: 'ECONNREFUSED',
        }),
      }),
      'connect ECONNREFUSED ::1:9',
    ],
    [
      'a code alone',
      Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } }),
      'ENOTFOUND',
    ],
    ['a timeout', Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 'no answer in time'],
    ['anything else', new Error('weird'), 'weird'],
  ])('%s', (_case, error, text) => {
    expect(describeFetchFailure(error)).toBe(text);
  });
});

describe('describeSocketFailure', () => {
  it.each([
    [{ code: 4403, reason: 'Forbidden' }, 'closed with 4403: Forbidden'],
    [{ code: 1006, reason: '' }, 'closed with 1006'],
    [new Error('live updates stopped'), 'live updates stopped'],
    [{ message: 'getaddrinfo ENOTFOUND' }, 'getaddrinfo ENOTFOUND'],
    [undefined, 'the connection failed'],
  ])('%j → %s', (failure, text) => {
    expect(describeSocketFailure(failure)).toBe(text);
  });
});

describe('Channel', () => {
  async function drain<T>(channel: AsyncIterable<T>): Promise<{ values: T[]; error?: unknown }> {
    const values: T[] = [];
    try {
      for await (const value of channel) values.push(value);
      return { values };
    } catch (error) {
      return { values, error };
    }
  }

  it('hands values pushed before and after the consumer waits, in order, until it ends', async () => {
    const channel = new Channel<number>();
    channel.push(1);
    expect(await channel.next()).toEqual({ done: false, value: 1 });
    const waiting = channel.next();
    channel.push(2);
    expect(await waiting).toEqual({ done: false, value: 2 });
    channel.end();
    channel.push(3);
    expect(await channel.next()).toEqual({ done: true, value: undefined });
  });

  it('fails after the values already pushed, and closes once', async () => {
    let closed = 0;
    const channel = new Channel<number>(() => closed++);
    channel.push(1);
    channel.fail(new Error('dropped'));
    channel.push(2);
    const { values, error } = await drain(channel);
    expect(values).toEqual([1]);
    expect((error as Error).message).toBe('dropped');
    channel.end();
    expect(closed).toBe(1);
  });

  it('closes when the consumer leaves the loop', async () => {
    let closed = 0;
    const channel = new Channel<number>(() => closed++);
    channel.push(1);
    channel.push(2);
    for await (const value of channel) if (value === 1) break;
    expect(closed).toBe(1);
  });

  it('wakes a waiting consumer on end', async () => {
    const channel = new Channel<number>();
    const drained = drain(channel);
    channel.end();
    expect(await drained).toEqual({ values: [] });
  });
});
