export {
  firstLines,
  masker,
  SandboxToolRunner,
  type SandboxSettings,
  type ToolName,
  type ToolOutput,
  type ToolRunner,
  type ToolRunOptions,
} from './tool-runner.js';
