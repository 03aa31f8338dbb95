import semver from 'semver';

/** Whether `spec` is an exact version or a semver range an application may ask for. */
export function isVersionSpec(spec: string): boolean {
  return semver.valid(spec) !== null || semver.validRange(spec) !== null;
}

/**
 * The newest of `available` that `spec` accepts (an exact version or a range), or null. Tags that
 * are not semver are ignored; prereleases only match a spec that names a prerelease of the same
 * version (`^2.0.0-rc.0`), as `helm` does. Pure.
 */
export function pickVersion(available: readonly string[], spec: string): string | null {
  const exact = semver.valid(spec);
  if (exact !== null) return available.find((v) => semver.valid(v) !== null && semver.eq(v, exact)) ?? null;
  const versions = available.filter((v) => semver.valid(v) !== null);
  return semver.maxSatisfying(versions, spec);
}
