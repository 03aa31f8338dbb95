import { readFile } from 'node:fs/promises';
import { describe, it } from '@jest/globals';
import { codegen } from '@graphql-codegen/core';
import * as typedDocumentNode from '@graphql-codegen/typed-document-node';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { GraphQLFileLoader } from '@graphql-tools/graphql-file-loader';
import { loadDocuments, loadSchema } from '@graphql-tools/load';
import { getCachedDocumentNodeFromSchema } from '@graphql-codegen/plugin-helpers';
import config from '../codegen.js';

// The codegen CLI's own steps, minus the CLI: importing @graphql-codegen/cli pulls in its config
// loader, task runner and every schema loader (URL, git, GitHub, Apollo...), thousands of modules
// that jest's ESM loader links one by one; that import, not the generation, made this spec cost
// over a minute late in a full run. Same loader (.graphql files), same load options as the CLI's
// defaults, same codegen core and plugins: the output is byte for byte what `npm run schema` writes.
const plugins = {
  'typescript-operations': typescriptOperations,
  'typed-document-node': typedDocumentNode,
};
const loaders = [new GraphQLFileLoader()];

// The client is committed so that builds need no codegen step; this keeps it honest.
describe('libs/api-client/src/generated', () => {
  it('is what codegen makes of the committed schema and the operations', async () => {
    if (typeof config.schema !== 'string' || typeof config.documents !== 'string') {
      throw new Error('libs/api-client/codegen.ts changed shape: teach this spec its schema and documents');
    }
    const schemaAst = await loadSchema(config.schema, {
      loaders,
      assumeValidSDL: true,
      sort: true,
      convertExtensions: true,
      includeSources: true,
    });
    const documents = await loadDocuments(config.documents, { loaders, sort: true, skipGraphQLImport: true });
    const outputs = Object.entries(config.generates);
    if (outputs.length === 0) throw new Error('codegen.ts generates nothing');
    for (const [filename, output] of outputs) {
      if (Array.isArray(output) || typeof output === 'string' || !Array.isArray(output.plugins)) {
        throw new Error(`codegen.ts output ${filename} changed shape: teach this spec its plugins`);
      }
      const pluginNames = output.plugins.map((plugin) => {
        if (typeof plugin !== 'string' || !(plugin in plugins)) {
          throw new Error(`codegen plugin ${String(plugin)} is not loaded by this test`);
        }
        return plugin as keyof typeof plugins;
      });
      const content = await codegen({
        filename,
        schema: getCachedDocumentNodeFromSchema(schemaAst),
        schemaAst,
        documents,
        plugins: pluginNames.map((name) => ({ [name]: {} })),
        pluginMap: Object.fromEntries(pluginNames.map((name) => [name, plugins[name]])),
        config: { ...output.config, emitLegacyCommonJSImports: true },
        emitLegacyCommonJSImports: true,
      });
      const committed = await readFile(filename, 'utf8').catch(() => '');
      if (committed !== content) {
        throw new Error(`${filename} is stale: run \`npm run schema\` and commit the result`);
      }
    }
  });
});
