import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  buildClientSchema,
  getIntrospectionQuery,
  type IntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';
import { waitFor } from '../harness/wait-for.js';
import { startTestHub, TEST_ADMIN_TOKEN, type TestHub } from './support/hub.js';

const committed = fileURLToPath(new URL('../../services/hub/schema.graphql', import.meta.url));

// The unit test checks schema.graphql against the schema built from the resolvers alone; this one
// checks that the running hub (every module wired, the Mercurius driver) serves that same schema.
describe('the schema the hub serves', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    // This test is over in milliseconds: close only once the report consumer has joined its group, or
    // kafkajs finishes the join after jest has torn the environment down and jest never exits.
    await waitFor(
      async () =>
        /^fleetwave_report_partitions_assigned\{/m.test(await (await fetch(`${hub.url}/metrics`)).text()),
      { description: 'the report consumer joined its group', timeoutMs: 60_000 },
    );
    await hub.close();
  });

  it('is services/hub/schema.graphql', async () => {
    const { status, body } = await hub.request('POST', '/graphql', {
      json: { query: getIntrospectionQuery({ descriptions: true, specifiedByUrl: true }) },
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(status).toBe(200);
    const served = buildClientSchema((body as { data: IntrospectionQuery }).data);
    expect(`${printSchema(lexicographicSortSchema(served))}\n`).toBe(await readFile(committed, 'utf8'));
  });
});
