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
export { normalizeRepoUrl, redactUrl } from './repo-url.js';
export { handlePushWebhook, type PushEvent, type WebhookResult } from './webhook.js';
