// The git room's public surface; its sub-rooms (sandbox, renderers, charts) choose their own exports.
export {
  ARTIFACT_MAX_BYTES,
  ArtifactError,
  type ArtifactErrorCode,
  type ArtifactFile,
  artifactDigest,
  type PackedArtifact,
  packArtifact,
  unpackArtifact,
} from './artifact.js';
export {
  type CommitInfo,
  type GitCredentials,
  type GitErrorCode,
  GitMirror,
  type GitMirrorOptions,
  GitSourceError,
} from './git-mirror.js';
export {
  checkTemplates,
  type RenderContext,
  RenderError,
  renderManifests,
  type SourceFile,
} from './render.js';
export {
  clusterValues,
  type ClusterValues,
  mergeValues,
  readValuesFiles,
  substituteCluster,
  type ValuesLayers,
  type ValuesRule,
} from './values.js';
export * from './sandbox/index.js';
export * from './renderers/index.js';
export * from './charts/index.js';
export { normalizeRepoUrl, redactUrl } from './repo-url.js';
export { handlePushWebhook, type PushEvent, type WebhookResult } from './webhook.js';
export * from './signatures/index.js';
