import { compileHealthChecks, type CompileHealthChecksResult, type HealthCheck } from '@fleetwave/contracts';

const NONE: CompileHealthChecksResult = { ok: true, checks: new Map() };

/**
 * Compiles an assignment's health rules once: reconciles repeat every few seconds while something
 * progresses, and many applications share one set of rules. Keyed by the rules' content (the
 * contract's parse gives their keys a fixed order), least recently used dropped beyond `limit`.
 */
export class CompiledHealthChecksCache {
  private readonly entries = new Map<string, CompileHealthChecksResult>();

  constructor(private readonly limit = 128) {}

  get(rules: readonly HealthCheck[]): CompileHealthChecksResult {
    if (rules.length === 0) return NONE;
    const key = JSON.stringify(rules);
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const compiled = compileHealthChecks(rules);
    this.entries.set(key, compiled);
    if (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
    return compiled;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** The agent process's one cache. */
export const compiledHealthChecks = new CompiledHealthChecksCache();
