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
  type Scalar,
  selectValues,
  type SourceFile,
  type ValuesRule,
} from './render.js';
export {
  DEFAULT_RENDERER_KIND,
  emptyBundleProblem,
  type Renderer,
  RENDERER_KINDS,
  rendererFor,
  type RenderErrorCode,
  type RenderProblem,
  type RenderResult,
  type RevisionSource,
} from './renderers/index.js';
export { normalizeRepoUrl, redactUrl } from './repo-url.js';
export { handlePushWebhook, type PushEvent, type WebhookResult } from './webhook.js';
