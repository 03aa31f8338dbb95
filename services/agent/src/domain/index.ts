// The agent's pure domain: no I/O, no Kubernetes client. The reconcile loop feeds it what it read.
export {
  compareRefs,
  kindRank,
  KIND_ORDER_FIRST,
  KIND_ORDER_LAST,
  planStages,
  sortForApply,
  stageOf,
  STAGE_NAMES,
  type StageName,
  type StagePlan,
} from './apply-order.js';
export {
  CHANGE_SET_ACTIONS,
  countDriftCorrections,
  describeChange,
  summarizeChangeSet,
  type ChangeSetAction,
  type ChangeSetEntry,
  type ChangeSetSummary,
} from './change-set.js';
export {
  APPLICATION_LABEL,
  canPrune,
  isOwnedBy,
  isPruneDisabled,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  ownerLabels,
  PRUNE_DISABLED_ANNOTATION,
  PRUNE_DISABLED_VALUE,
  withOwnerLabels,
  type BundleOwner,
  type PruneDecision,
} from './drift.js';
export {
  hookKey,
  hookOutcome,
  HOOK_ANNOTATION,
  HOOK_DELETE_POLICIES,
  HOOK_DELETE_POLICY_ANNOTATION,
  HOOK_PHASES,
  HOOK_WEIGHT_ANNOTATION,
  newHookRunState,
  PHASE_EVENTS,
  planHooks,
  RELEASE_MODES,
  releaseMode,
  type HookDeletePolicy,
  type HookDeletion,
  type HookEvent,
  type HookFailure,
  type HookOutcome,
  type HookPhase,
  type HookPlan,
  type HookRunState,
  type LeftOut,
  type PlannedHook,
  type ReleaseMode,
} from './helm-hooks.js';
export {
  diffInventory,
  inventoryOf,
  mergeInventory,
  type Inventory,
  type InventoryEntry,
} from './inventory.js';
export { isRecord, type KubeObject, type KubeObjectMeta } from './kube-object.js';
export {
  MAX_NAME_LENGTH,
  MAX_NAMESPACE_LENGTH,
  parseManifests,
  type ManifestError,
  type ParsedManifests,
} from './manifests.js';
export {
  checkNamespaces,
  crdScopes,
  type NamespaceCheckOptions,
  type NamespaceCheckResult,
  type NamespaceError,
  type ScopeLookup,
} from './namespace-check.js';
export { nodeFacts, providerOf, REGION_LABELS, regionOf, type NodeFacts } from './node-facts.js';
export {
  immutableFieldMessage,
  RECREATE_ANNOTATION,
  RECREATE_VALUE,
  recreateDecision,
  recreatePropagation,
  type RecreateDecision,
} from './recreate.js';
export {
  describeObjectId,
  describeRef,
  formatObjectId,
  groupOf,
  objectId,
  parseObjectId,
  refOf,
  versionOf,
  type ObjectRef,
} from './object-id.js';
export * from './status/index.js';
