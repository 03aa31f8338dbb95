import { fileURLToPath } from 'node:url';
import { type CodegenConfig } from '@graphql-codegen/cli';

/** Paths from this file, so codegen runs the same from any directory. */
const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The typed API client: one TypedDocumentString per operation in src/operations, typed from the
 * hub's committed schema. `npm run schema` regenerates it; src/generated.spec.ts fails when the
 * committed output is stale.
 */
const config: CodegenConfig = {
  schema: here('../../services/hub/schema.graphql'),
  documents: here('src/operations/**/*.graphql'),
  generates: {
    [here('src/generated/graphql.ts')]: {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        // The source text, not a parsed AST: the clients send strings and need no graphql runtime.
        documentMode: 'string',
        // Lets bundlers drop the documents a client does not send (the dashboard ships none of fleetctl's).
        pureMagicComment: true,
        // Enums as runtime objects too, so clients list states and phases without spelling them.
        enumType: 'const',
        useTypeImports: true,
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          JSON: 'unknown',
          Labels: 'Record<string, string>',
        },
      },
    },
  },
};

export default config;
