/** A chart version chosen at sync time, not downloaded yet. */
export interface ChartCandidate {
  name: string;
  version: string;
  /** `sha256:<hex>` of the archive when the index or manifest names it (then a download is checked against it). */
  digest: string | null;
  /** The archive (`.tgz`), checked against {@link digest}. */
  download(): Promise<Buffer>;
}
