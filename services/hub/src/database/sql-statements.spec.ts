import { describe, expect, it } from '@jest/globals';
import { SqlStatementCounter, type StatementScope } from './sql-statements.js';

/** Two statements inside a scope (one after an await), one outside it. */
async function countIn(counter: SqlStatementCounter): Promise<{ scope: StatementScope; total: number }> {
  const scope: StatementScope = { statements: 0 };
  await counter.within(scope, async () => {
    counter.record();
    await Promise.resolve();
    counter.record();
  });
  counter.record();
  return { scope, total: counter.total };
}

describe('SqlStatementCounter', () => {
  it('with scopes: counts a scope across its awaits, and everything in the total', async () => {
    const counter = new SqlStatementCounter(true);
    expect(await countIn(counter)).toEqual({ scope: { statements: 2 }, total: 3 });
    expect(counter.perScope).toBe(true);
  });

  it('without scopes (the default): only the total, and no scope is ever current', async () => {
    const counter = new SqlStatementCounter(false);
    let current: StatementScope | undefined = { statements: -1 };
    await counter.within({ statements: 0 }, async () => {
      current = counter.current();
    });
    expect(current).toBeUndefined();
    expect(await countIn(counter)).toEqual({ scope: { statements: 0 }, total: 3 });
    expect(counter.perScope).toBe(false);
  });
});
