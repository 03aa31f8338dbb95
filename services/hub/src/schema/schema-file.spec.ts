import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from '@jest/globals';
import { printHubSchema, SCHEMA_FILE } from './hub-schema.js';

const committed = fileURLToPath(new URL(`../../${SCHEMA_FILE}`, import.meta.url));

// `npm run schema` runs this file with FLEETWAVE_WRITE_SCHEMA=1: the schema is built from decorator
// metadata, which swc (jest's transform) emits and tsx/esbuild does not.
const write = process.env['FLEETWAVE_WRITE_SCHEMA'] === '1';

describe(`services/hub/${SCHEMA_FILE}`, () => {
  it('is the schema the code emits', async () => {
    const emitted = await printHubSchema();
    if (write) await writeFile(committed, emitted);
    const onDisk = await readFile(committed, 'utf8').catch(() => '');
    if (onDisk !== emitted) {
      throw new Error(
        `services/hub/${SCHEMA_FILE} differs from the schema the code emits: run \`npm run schema\` and commit the result`,
      );
    }
  });
});
