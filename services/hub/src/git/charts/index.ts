export { type ChartCandidate } from './chart-candidate.js';
export { type BasicCredentials } from './chart-http.js';
export { ChartPuller, type ChartPullerOptions, type PulledChart } from './chart-puller.js';
export {
  chartRevisionId,
  type ChartSource,
  isOciRepository,
  PULLED_CHART_DIR,
  PULLED_CHART_PATH,
  type ResolvedChart,
} from './chart-source.js';
export { type ChartErrorCode, ChartSourceError } from './chart-source-error.js';
export { isVersionSpec, pickVersion } from './chart-version.js';
