import { readFile } from 'node:fs/promises';
import { describe, it } from '@jest/globals';
import { generate } from '@graphql-codegen/cli';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import config from '../codegen.js';

// Codegen's own plugin loader require()s the plugins (ESM, refused under jest) or imports them in
// parallel (which jest's ESM loader races on): hand it the modules, imported once up front.
const plugins: Record<string, typeof typedDocumentNode | typeof typescriptOperations> = {
  '@graphql-codegen/typed-document-node': typedDocumentNode,
  '@graphql-codegen/typescript-operations': typescriptOperations,
};

// The client is committed so that builds need no codegen step; this keeps it honest.
describe('libs/api-client/src/generated', () => {
  it('is what codegen makes of the committed schema and the operations', async () => {
    const outputs = await generate(
      {
        ...config,
        silent: true,
        pluginLoader: (name: string) => {
          if (!(name in plugins)) throw new Error(`codegen plugin ${name} is not loaded by this test`);
          return plugins[name]!;
        },
      },
      false,
    );
    if (outputs.length !== Object.keys(config.generates).length) throw new Error('codegen wrote nothing');
    for (const { filename, content } of outputs) {
      const committed = await readFile(filename, 'utf8').catch(() => '');
      if (committed !== content) {
        throw new Error(`${filename} is stale: run \`npm run schema\` and commit the result`);
      }
    }
  });
});
