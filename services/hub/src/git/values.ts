import { matchesSelector, parseSelector } from '@fleetwave/labels';
import { parse } from 'yaml';
import { type RevisionSource, type Value, type Values } from './renderers/renderer.js';

/** Per-cluster values for the clusters a kubectl-syntax label selector matches. */
export interface ValuesRule {
  selector: string;
  values: Values;
}

/** Where one cluster's values come from, lowest precedence first (chart defaults sit below all). */
export interface ValuesLayers {
  /** The application's own values. */
  application: Values;
  /** The application's `valuesFiles`, read from the repository, in the order listed. */
  files: readonly Values[];
  rules: readonly ValuesRule[];
}

export type ClusterValues = { ok: true; values: Values; rules: number[] } | { ok: false; message: string };

/**
 * One cluster's values: application values < values files (in order) < matching rules, where among
 * matching rules the first listed wins (rules are ordered most specific first, like a routing table;
 * a later, broader rule only fills in keys the earlier ones leave out). Maps merge key by key, at any
 * depth; a list or scalar replaces what was below it, as Helm merges values files. Then
 * `${cluster.name}` and `${cluster.labels.<key>}` are substituted inside every string. Pure.
 * Selectors are validated when rules are saved; an invalid one here throws SelectorError.
 */
export function clusterValues(
  layers: ValuesLayers,
  cluster: { name: string; labels: Readonly<Record<string, string>> },
): ClusterValues {
  const matching = layers.rules
    .map((rule, index) => ({ rule, index }))
    .filter(({ rule }) => matchesSelector(parseSelector(rule.selector), cluster.labels));
  const merged = [
    layers.application,
    ...layers.files,
    ...matching.map((m) => m.rule.values).reverse(),
  ].reduce((below, above) => mergeValues(below, above), {} as Values);
  try {
    return {
      ok: true,
      values: substituteCluster(merged, cluster) as Values,
      rules: matching.map((m) => m.index),
    };
  } catch (error) {
    if (error instanceof MissingLabel) return { ok: false, message: error.message };
    throw error;
  }
}

/** `above` over `below`: maps merge key by key at any depth; anything else replaces. Pure. */
export function mergeValues(below: Values, above: Values): Values {
  const out: Values = { ...below };
  for (const [key, value] of Object.entries(above)) {
    const under = out[key];
    out[key] = isMap(under) && isMap(value) ? mergeValues(under, value) : value;
  }
  return out;
}

/** A `${cluster.…}` reference (and `$${` for a literal `${`); other `${…}` are left for the chart. */
const CLUSTER_REF = /\$\$\{|\$\{\s*cluster\.(name|labels\.([A-Za-z0-9][A-Za-z0-9_./-]*))\s*\}/g;

/** A `${cluster.labels.<key>}` the cluster has no label for. */
export class MissingLabel extends Error {}

/** `${cluster.name}` and `${cluster.labels.<key>}` replaced in every string, at any depth. */
export function substituteCluster(
  value: Value,
  cluster: { name: string; labels: Readonly<Record<string, string>> },
): Value {
  if (typeof value === 'string') {
    return value.replace(CLUSTER_REF, (match, ref: string | undefined, label: string | undefined) => {
      if (match === '$${') return '${';
      if (ref === 'name') return cluster.name;
      if (Object.hasOwn(cluster.labels, label!)) return cluster.labels[label!]!;
      throw new MissingLabel(`${match}: cluster ${cluster.name} has no label ${label}`);
    });
  }
  if (Array.isArray(value)) return value.map((item) => substituteCluster(item, cluster));
  if (isMap(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteCluster(v, cluster)]));
  }
  return value;
}

export function isMap(value: unknown): value is Values {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The application's values files, read from the revision's source (relative to its path). */
export function readValuesFiles(
  source: RevisionSource,
  paths: readonly string[],
): { ok: true; values: Values[] } | { ok: false; message: string } {
  const values: Values[] = [];
  for (const relative of paths) {
    const full = source.root === '' ? relative : `${source.root}/${relative}`;
    const file = source.files.find((f) => f.path === full);
    if (file === undefined) return { ok: false, message: `values file ${relative} is not in the revision` };
    let parsed: unknown;
    try {
      parsed = parse(Buffer.from(file.content).toString('utf8'));
    } catch (error) {
      return { ok: false, message: `values file ${relative}: invalid YAML: ${(error as Error).message}` };
    }
    if (parsed === null || parsed === undefined) continue;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false, message: `values file ${relative}: must be a mapping of names to values` };
    }
    values.push(parsed as Values);
  }
  return { ok: true, values };
}
