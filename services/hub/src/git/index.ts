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
  substituteCluster,
  type ValuesLayers,
  type ValuesRule,
} from './values.js';
export {
  firstLines,
  masker,
  SandboxToolRunner,
  type SandboxSettings,
  type ToolName,
  type ToolOutput,
  type ToolRunner,
} from './sandbox/index.js';
export {
  AUTO_RENDERER,
  DEFAULT_RENDERER_KIND,
  emptyBundleProblem,
  externalReferences,
  type HelmSettings,
  kubeVersionFlag,
  type Renderer,
  type RenderInput,
  RENDERER_KINDS,
  rendererFor,
  type RenderErrorCode,
  type RenderProblem,
  type RenderResult,
  type RevisionSource,
  type Value,
  type Values,
} from './renderers/index.js';
export {
  type BasicCredentials,
  type ChartCandidate,
  type ChartErrorCode,
  ChartPuller,
  chartRevisionId,
  type ChartSource,
  ChartSourceError,
  isOciRepository,
  isVersionSpec,
  PULLED_CHART_DIR,
  PULLED_CHART_PATH,
  type PulledChart,
  type ResolvedChart,
} from './charts/index.js';
export { normalizeRepoUrl, redactUrl } from './repo-url.js';
export { handlePushWebhook, type PushEvent, type WebhookResult } from './webhook.js';
