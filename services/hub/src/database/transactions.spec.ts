import { describe, expect, it, jest } from '@jest/globals';
import { type DataSource, type EntityManager } from 'typeorm';
import { isRetryable, Transactions } from './transactions.js';

const failure = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

function dataSourceFailing(codes: string[]): { dataSource: DataSource; calls: () => number } {
  let calls = 0;
  const dataSource = {
    transaction: jest.fn(async (work: (tx: EntityManager) => Promise<unknown>) => {
      const code = codes[calls++];
      if (code !== undefined) throw failure(code);
      return work({} as EntityManager);
    }),
  } as unknown as DataSource;
  return { dataSource, calls: () => calls };
}

describe('Transactions.run', () => {
  it.each([
    ['a deadlock', ['40P01'], 2],
    ['a serialization failure', ['40001'], 2],
    ['three deadlocks in a row', ['40P01', '40P01', '40P01'], 4],
  ])('runs the work again after %s', async (_name, codes, expectedCalls) => {
    const { dataSource, calls } = dataSourceFailing(codes);
    await expect(new Transactions(dataSource).run(async () => 'done')).resolves.toBe('done');
    expect(calls()).toBe(expectedCalls);
  });

  it('gives up after four deadlocks and throws the last one', async () => {
    const { dataSource, calls } = dataSourceFailing(['40P01', '40P01', '40P01', '40P01', '40P01']);
    await expect(new Transactions(dataSource).run(async () => 'done')).rejects.toThrow('pg 40P01');
    expect(calls()).toBe(4);
  });

  it('does not retry other errors', async () => {
    const { dataSource, calls } = dataSourceFailing(['23505']);
    await expect(new Transactions(dataSource).run(async () => 'done')).rejects.toThrow('pg 23505');
    expect(calls()).toBe(1);
  });
});

describe('isRetryable', () => {
  it.each([
    [failure('40P01'), true],
    [failure('40001'), true],
    [{ driverError: { code: '40P01' } }, true],
    [failure('23505'), false],
    [new Error('no code'), false],
    [null, false],
  ])('%p → %p', (error, expected) => {
    expect(isRetryable(error)).toBe(expected);
  });
});
