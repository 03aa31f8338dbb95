// The agent's Kubernetes I/O: everything that talks to the API server. The decisions are in domain/.
export { applyBundle, applyObject, type AppliedObject, type ApplyOptions } from './applier.js';
export { deleteHookObject } from './hook-objects.js';
export { deleteAndWait, recreateObject, type DeleteAndWaitResult, type WaitOptions } from './recreate.js';
export {
  createKubeClients,
  kubeClientsFor,
  loadKubeConfig,
  type KubeClientOptions,
  type KubeClients,
} from './clients.js';
export {
  CoreApi,
  type ConfigMap,
  type ListNodeArgs,
  type Namespace,
  type Node,
  type NodeList,
  type ObjectMeta,
  type Secret,
  type VersionInfo,
} from './core.js';
export { comparable, deepEqual, forApply, project, sameContent } from './compare.js';
export { apiVersionPath, ResourceDiscovery, type ApiResource } from './discovery.js';
export {
  DriftWatcher,
  type DriftEvent,
  type DriftType,
  type DriftWatcherOptions,
  type DriftWatcherStats,
} from './drift-watcher.js';
export { describeError, immutableFields, isConflict, isNotFound, KubeApiError } from './errors.js';
export {
  buildAgent,
  HttpMethod,
  KubeHttp,
  SharedAgent,
  type RequestOptions,
  type WatchHandle,
} from './http.js';
export {
  inClusterConnection,
  KubeConfigError,
  kubeconfigConnection,
  loadKubeConnection,
  SERVICE_ACCOUNT_DIR,
  type KubeConnection,
  type LoadKubeConnectionOptions,
} from './kubeconfig.js';
export {
  COMMIT_KEY,
  DIGEST_KEY,
  HOOKS_KEY,
  INVENTORY_KEY,
  INVENTORY_LABEL,
  InventoryCorruptError,
  inventoryConfigMapName,
  InventoryStore,
  type InventoryMeta,
  type StoredInventory,
} from './inventory-store.js';
export { apiVersionOf, keyOf, prune, type PruneOptions, type PruneResult } from './pruner.js';
export {
  APPLY_PATCH_CONTENT_TYPE,
  asKubeObject,
  KubeResources,
  type ApplyRequest,
  type CollectionKey,
  type FieldValidation,
  type ListOptions,
  type ObjectKey,
  type ObjectList,
  type PropagationPolicy,
} from './resources.js';
export { readClusterFacts, NODE_PAGE_SIZE } from './cluster-facts-reader.js';
export { readStatuses, type ReadStatusOptions } from './status-reader.js';
