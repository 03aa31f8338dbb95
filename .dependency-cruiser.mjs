// Import rules, checked by `npm run lint` (depcruise). Each rule says why it exists; the map of the
// rooms and which way imports run is in docs/ARCHITECTURE.md.

const HUB = '^services/hub/src/';
/** The hub's features: the rooms the GraphQL infrastructure and the engine must not depend on. */
const HUB_FEATURES = `${HUB}(applications|assignments|auth|bundles|clusters|dashboard|events|fleet|git|health|notifications|placements|registration|reports|rollouts|storage)/`;

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  extends: 'dependency-cruiser/configs/recommended',
  forbidden: [
    {
      name: 'no-orphans',
      severity: 'warn',
      comment:
        'A module nothing imports is likely dead code. Entry points that jest loads by configuration ' +
        '(global setup/teardown, setup files, shims) and dotfile/declaration/tsconfig files are exempt.',
      from: {
        orphan: true,
        pathNot: [
          '(^|/)\\.[^/]+\\.(js|cjs|mjs|ts|json)$',
          '\\.d\\.(c|m)?ts$',
          '(^|/)tsconfig\\.json$',
          '^test/(integration|e2e)/(global-setup|global-teardown|setup-timeout|stop-services)\\.(ts|mjs)$',
          '^test/jest-shims/',
        ],
      },
      to: {},
    },
    {
      name: 'no-non-package-json',
      severity: 'error',
      comment:
        'A package a module uses must be declared in a package.json, or it may be missing or of any ' +
        "version in production. test/ is exempt: it drives the services with their own workspace's " +
        'dependencies (Nest, TypeORM), which npm hoists for it.',
      from: { pathNot: '^test/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-duplicate-dep-types',
      severity: 'ignore',
      comment:
        'Off: the root devDependencies repeat a few workspace dependencies (kafkajs, pg, ws) on purpose, ' +
        'for the test harness, so with combinedDependencies every use of them would warn.',
      from: {},
      to: { moreThanOneDependencyType: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A file cycle means neither side can be understood, tested or moved without the other; ' +
        'type-only imports count too, since they tie the modules just the same.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'hub-no-folder-cycles',
      severity: 'error',
      comment:
        "The hub's folders are its rooms: imports between them run one way (features → shared " +
        'infrastructure; rollouts → applications, assignments, bundles), so each room can be read, ' +
        'tested and changed with only what is below it. A folder cycle is the start of one big room.',
      scope: 'folder',
      from: { path: HUB },
      to: { circular: true },
    },
    {
      name: 'hub-graphql-is-infrastructure',
      severity: 'error',
      comment:
        'graphql/ is the GraphQL infrastructure (driver, options, errors, limits, scalars, paging, the ' +
        'request context); features register their own types, resolvers and loaders under ' +
        '<feature>/graphql/. Infrastructure that imports a feature would need editing for every new one.',
      from: { path: `${HUB}graphql/` },
      to: { path: HUB_FEATURES },
    },
    {
      name: 'hub-engine-imports-no-feature',
      severity: 'error',
      comment:
        'The rollout engine decides from a snapshot and a clock, deterministically, so two replicas ' +
        'agree and its property tests need no database: it imports only its own folder and libs/, ' +
        'never another part of the hub.',
      from: { path: `${HUB}rollouts/engine/` },
      to: { path: HUB, pathNot: `${HUB}rollouts/engine/` },
    },
    {
      name: 'hub-engine-no-io-frameworks',
      severity: 'error',
      comment:
        'Nest, TypeORM, pg and kafkajs are I/O at the edges (rollouts/*.service.ts, repositories); ' +
        'in the engine they would make decide() depend on a container, a database or a broker.',
      from: { path: `${HUB}rollouts/engine/` },
      to: { path: '^node_modules/(@nestjs/|typeorm/|pg/|pg-[^/]+/|kafkajs/)' },
    },
    {
      name: 'agent-never-imports-hub',
      severity: 'error',
      comment:
        'The agent runs in every managed cluster and talks to the hub only over HTTP and Kafka; it ' +
        'shares code with the hub only through libs/ (wire contracts), so the two deploy separately.',
      from: { path: '^services/agent/' },
      to: { path: '^services/hub/' },
    },
    {
      name: 'libs-import-no-service',
      severity: 'error',
      comment:
        'libs/ are framework-free building blocks every service depends on; a lib importing a ' +
        'service would make that service a dependency of all the others.',
      from: { path: '^libs/' },
      to: { path: '^services/' },
    },
    {
      name: 'services-import-no-other-service',
      severity: 'error',
      comment: 'Services share code only through libs/, so each one builds, tests and ships on its own.',
      from: { path: '^services/([^/]+)/' },
      to: { path: '^services/', pathNot: ['^services/$1/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['(^|/)dist/', '^\\.cache/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      // type-only packages (e.g. @graphql-typed-document-node/core, imported by the generated client)
      // have no `main`, only `typings`
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
