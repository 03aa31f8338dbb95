import { parseSelector, SelectorError } from '@fleetwave/labels';
import {
  compileHealthChecks,
  type DeletionPolicy,
  DeletionPolicySchema,
  type HealthCheck,
  HealthCheckSchema,
  MAX_HEALTH_CHECKS,
  problemDetail,
  type RecreatePolicy,
  RecreatePolicySchema,
} from '@fleetwave/contracts';
import { z } from 'zod';
import { invalidArgument } from '../common/domain-error.js';
import {
  type ChartSource,
  type HelmSettings,
  isVersionSpec,
  loadTrustedKeys,
  RENDERER_KINDS,
  type Values,
  type ValuesRule,
  TrustedKeyError,
  VERIFY_MODES,
  type VerifyPolicy,
} from '../git/index.js';
import { JOIN_POLICIES, type JoinPolicy, validatePlan, type WavePlan } from '../rollouts/engine/index.js';

/** How a new commit on the ref becomes a rollout: at once (`auto`) or when an operator starts it. */
export type SyncPolicy = 'auto' | 'manual';

/** Per-cluster values for the clusters a selector matches (git/values.ts merges them). */
export type { ValuesRule } from '../git/index.js';

/** A validated application definition, as stored. */
export interface ApplicationSpec {
  /** The project it belongs to (docs/projects.md): what it may deploy, where, and who may change it. */
  project: string;
  repoUrl: string;
  credentialsRef: string | null;
  ref: string;
  path: string;
  targetSelector: string;
  /** Which renderer: `auto` (the source decides), `template`, `helm`, `kustomize` (git/renderers). */
  renderer: string;
  /** The application's values (any YAML object); values files and matching rules go over them. */
  values: Values;
  /** YAML files under the application's path whose values go over `values`, in order. */
  valuesFiles: string[];
  valuesRules: ValuesRule[];
  helm: HelmSettings;
  /** A chart from a Helm repository or OCI registry, pulled at sync time; null: the source is git's alone. */
  chart: ChartSource | null;
  plan: WavePlan;
  syncPolicy: SyncPolicy;
  pollIntervalSeconds: number;
  defaultNamespace: string | null;
  prune: boolean;
  /** What a cluster joining the placement while a rollout runs gets (docs/rollouts.md). */
  joinPolicy: JoinPolicy;
  /** What agents do with the application's objects when its placement on a cluster ends. */
  deletionPolicy: DeletionPolicy;
  /**
   * Whether a render that produces no object may roll out (it empties the application on the
   * cluster). Off: such a render is refused (EMPTY_BUNDLE), and the agent refuses one too.
   */
  allowEmpty: boolean;
  /**
   * Custom health rules (CEL) agents judge objects of their kinds by, ahead of kstatus: compiled
   * here, so a bad expression is refused with its rule, field and position (docs/applications.md).
   */
  healthChecks: HealthCheck[];
  /**
   * Whether agents delete and re-create an object whose apply is refused for an immutable field:
   * `never`, `annotated` (only objects annotated `fleetwave.io/recreate: "true"`), `always`.
   */
  recreate: RecreatePolicy;
  /**
   * Commits must be signed by one of these keys (OpenPGP or SSH) to be rendered or rolled out; null:
   * signatures are not checked. The keys are parsed by {@link checkTrustedKeys} before saving.
   */
  verify: VerifyPolicy | null;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_VALUES_RULES = 100;
/** Values are stored with the application and copied into every render: kept small, bulk goes in files. */
const MAX_VALUES_BYTES = 64 * 1024;
const MAX_VALUES_DEPTH = 32;

export const ApplicationNameSchema = z
  .string()
  .min(1)
  .max(63)
  .regex(
    DNS_LABEL,
    "must be a lowercase DNS-1123 label (a-z, 0-9 and '-', starting and ending alphanumeric)",
  );

const RepoUrlSchema = z
  .string()
  .max(2048)
  .refine((url) => URL.canParse(url) && /^https?:$/.test(new URL(url).protocol), {
    message: 'must be an http:// or https:// git URL',
  })
  .refine((url) => !URL.canParse(url) || (new URL(url).username === '' && new URL(url).password === ''), {
    // A URL is echoed in the API and logs; a secret inside it would leak.
    message: 'must not contain credentials; name them with credentialsRef instead',
  });

const PathSchema = z
  .string()
  .max(1024)
  .transform((path) => path.replace(/^\.?\/+/, '').replace(/\/+$/, ''))
  .refine((path) => !path.split('/').includes('..'), { message: 'must not contain ".." segments' });

const SelectorSchema = z
  .string()
  .max(4096)
  .superRefine((selector, ctx) => {
    const problem = selectorProblem(selector);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A YAML object: nested maps and lists of strings, finite numbers, booleans and nulls, within limits. */
const ValuesSchema = z
  .record(z.string(), z.unknown())
  .superRefine((values, ctx) => {
    const problem = valuesProblem(values, 0);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    else if (JSON.stringify(values).length > MAX_VALUES_BYTES) {
      ctx.addIssue({
        code: 'custom',
        message: `must be at most ${MAX_VALUES_BYTES} bytes as JSON (put more in a values file)`,
      });
    }
  })
  .transform((values) => values as Values);

function valuesProblem(value: unknown, depth: number): string | undefined {
  if (depth > MAX_VALUES_DEPTH) return `nests deeper than ${MAX_VALUES_DEPTH} levels`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number')
    return Number.isFinite(value) ? undefined : `${value} is not a finite number`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = valuesProblem(item, depth + 1);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = valuesProblem(item, depth + 1);
      if (problem !== undefined) return `${key}: ${problem}`;
    }
    return undefined;
  }
  return `a ${typeof value} is not a YAML value`;
}

const ValuesRuleSchema = z.strictObject({
  selector: SelectorSchema,
  values: ValuesSchema,
});

const ValuesFileSchema = PathSchema.refine((path) => path !== '', { message: 'must name a file' });

const HelmSettingsSchema = z.strictObject({
  releaseName: z
    .string()
    .max(53, 'must be at most 53 characters (Helm release names)')
    .regex(DNS_LABEL, 'must be a lowercase DNS-1123 label')
    .nullable()
    .default(null),
  includeCRDs: z.boolean().default(true),
});

// The wire shape (unknown keys refused: a misspelt `inprogress` must not vanish), then compiled
// with the agents' own CEL library and environment.
const HealthChecksInputSchema = z
  .array(HealthCheckSchema.strict())
  .max(MAX_HEALTH_CHECKS)
  .superRefine((checks, ctx) => {
    const compiled = compileHealthChecks(checks);
    if (compiled.ok) return;
    for (const problem of compiled.problems) {
      ctx.addIssue({ code: 'custom', path: [problem.index, problem.field], message: problemDetail(problem) });
    }
  });

const ChartRepositorySchema = z
  .string()
  .max(2048)
  .refine(
    (url) => URL.canParse(url) && /^(https?|oci):$/.test(new URL(url).protocol) && new URL(url).host !== '',
    {
      message: 'must be an http:// or https:// Helm repository URL or an oci:// registry reference',
    },
  )
  .refine((url) => !URL.canParse(url) || (new URL(url).username === '' && new URL(url).password === ''), {
    message: 'must not contain credentials; name them with chart.credentialsRef instead',
  })
  .refine((url) => !URL.canParse(url) || (new URL(url).search === '' && new URL(url).hash === ''), {
    message: 'must not have a query or fragment',
  });

const CredentialsRefSchema = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a reference name (letters, digits, ".", "_", "-")');

/** A chart from a Helm repository or OCI registry: where, which chart, which versions. */
const ChartSourceSchema = z.strictObject({
  repository: ChartRepositorySchema,
  name: z
    .string()
    .max(250)
    .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'must be a chart name (letters, digits, ".", "_", "-")'),
  version: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .refine(isVersionSpec, {
      message: 'must be a version (1.2.3) or a semver range (^1.2.0, ~1.2, >=1 <3, *)',
    })
    .default('*'),
  credentialsRef: CredentialsRefSchema.nullable().default(null),
});

/** Public keys only: an OpenPGP block or an OpenSSH line each; at most 20, 64 KiB each. */
const VerifyPolicySchema = z.strictObject({
  mode: z.enum(VERIFY_MODES as [VerifyPolicy['mode'], ...VerifyPolicy['mode'][]]),
  trustedKeys: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(64 * 1024),
    )
    .min(1, 'must name at least one key')
    .max(20),
});

const fields = {
  project: ApplicationNameSchema,
  repoUrl: RepoUrlSchema,
  credentialsRef: CredentialsRefSchema.nullable(),
  ref: z.string().trim().min(1).max(255),
  path: PathSchema,
  targetSelector: SelectorSchema,
  renderer: z.enum(RENDERER_KINDS as [string, ...string[]]),
  values: ValuesSchema,
  valuesFiles: z.array(ValuesFileSchema).max(20),
  valuesRules: z.array(ValuesRuleSchema).max(MAX_VALUES_RULES),
  helm: HelmSettingsSchema,
  chart: ChartSourceSchema.nullable(),
  plan: z.unknown().optional(),
  syncPolicy: z.enum(['auto', 'manual']),
  pollIntervalSeconds: z.int().min(10).max(86_400),
  defaultNamespace: z.string().regex(DNS_LABEL, 'must be a DNS-1123 label').max(63).nullable(),
  prune: z.boolean(),
  joinPolicy: z.enum(JOIN_POLICIES),
  deletionPolicy: DeletionPolicySchema,
  allowEmpty: z.boolean(),
  healthChecks: HealthChecksInputSchema,
  recreate: RecreatePolicySchema,
  verify: VerifyPolicySchema.nullable(),
};

const CreateSchema = z.strictObject({
  name: ApplicationNameSchema,
  project: fields.project.default('default'),
  repoUrl: fields.repoUrl,
  credentialsRef: fields.credentialsRef.default(null),
  ref: fields.ref,
  path: fields.path.default(''),
  targetSelector: fields.targetSelector.default(''),
  renderer: fields.renderer.default('auto'),
  values: fields.values.default({}),
  valuesFiles: fields.valuesFiles.default([]),
  valuesRules: fields.valuesRules.default([]),
  helm: fields.helm.default({ releaseName: null, includeCRDs: true }),
  chart: fields.chart.default(null),
  plan: fields.plan,
  syncPolicy: fields.syncPolicy.default('auto'),
  pollIntervalSeconds: fields.pollIntervalSeconds.default(60),
  defaultNamespace: fields.defaultNamespace.default(null),
  prune: fields.prune.default(true),
  joinPolicy: fields.joinPolicy.default('wave'),
  deletionPolicy: fields.deletionPolicy.default('prune'),
  allowEmpty: fields.allowEmpty.default(false),
  healthChecks: fields.healthChecks.default([]),
  recreate: fields.recreate.default('annotated'),
  verify: fields.verify.default(null),
});

const UpdateSchema = z.strictObject({
  project: fields.project.optional(),
  repoUrl: fields.repoUrl.optional(),
  credentialsRef: fields.credentialsRef.optional(),
  ref: fields.ref.optional(),
  path: fields.path.optional(),
  targetSelector: fields.targetSelector.optional(),
  renderer: fields.renderer.optional(),
  values: fields.values.optional(),
  valuesFiles: fields.valuesFiles.optional(),
  valuesRules: fields.valuesRules.optional(),
  helm: fields.helm.optional(),
  chart: fields.chart.optional(),
  plan: fields.plan,
  // Replaces only the plan's windows, onto the plan as it is when the row is locked (so two
  // callers changing windows and other plan settings at once cannot undo each other's change).
  planWindows: z.array(z.unknown()).optional(),
  syncPolicy: fields.syncPolicy.optional(),
  pollIntervalSeconds: fields.pollIntervalSeconds.optional(),
  defaultNamespace: fields.defaultNamespace.optional(),
  prune: fields.prune.optional(),
  joinPolicy: fields.joinPolicy.optional(),
  deletionPolicy: fields.deletionPolicy.optional(),
  allowEmpty: fields.allowEmpty.optional(),
  healthChecks: fields.healthChecks.optional(),
  recreate: fields.recreate.optional(),
  verify: fields.verify.optional(),
});

export type UpdateApplicationInput = Partial<Omit<ApplicationSpec, 'plan'>> & { plan?: unknown };

/** Validates a new application; every problem is named in one INVALID_ARGUMENT. */
export function parseCreateApplication(input: unknown): { name: string; spec: ApplicationSpec } {
  const parsed = CreateSchema.safeParse(input);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error));
  const { name, plan, ...rest } = parsed.data;
  return { name, spec: checkChartRenderer({ ...rest, plan: parsePlan(plan) }) };
}

/** Validates a partial update and merges it into the current spec. */
export function mergeApplicationUpdate(current: ApplicationSpec, input: unknown): ApplicationSpec {
  const parsed = UpdateSchema.safeParse(input);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error));
  const { plan, planWindows, ...rest } = parsed.data;
  const next: ApplicationSpec = { ...current };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (plan !== undefined && plan !== null) next.plan = parsePlan(plan);
  if (planWindows !== undefined) next.plan = parsePlan(withWindows(plan ?? current.plan, planWindows));
  return checkChartRenderer(next);
}

/** A plan (as given or stored) with its windows replaced; an empty list removes them. */
function withWindows(plan: unknown, windows: readonly unknown[]): Record<string, unknown> {
  const base = typeof plan === 'object' && plan !== null && !Array.isArray(plan) ? plan : {};
  const { windows: _replaced, ...rest } = base as Record<string, unknown>;
  return windows.length === 0 ? rest : { ...rest, windows };
}

/** A pulled chart is rendered by helm: an application naming another renderer cannot have one. */
function checkChartRenderer(spec: ApplicationSpec): ApplicationSpec {
  if (spec.chart !== null && spec.renderer !== 'auto' && spec.renderer !== 'helm') {
    throw invalidArgument(
      `invalid application: chart: needs the renderer auto or helm (not ${spec.renderer})`,
    );
  }
  return spec;
}

/**
 * Parses the trusted keys of a validated spec (async: OpenPGP keys are read with openpgp), so a key
 * that could never verify anything is refused when saved, naming its index.
 */
export async function checkTrustedKeys(spec: ApplicationSpec): Promise<ApplicationSpec> {
  if (spec.verify === null) return spec;
  try {
    await loadTrustedKeys(spec.verify);
  } catch (error) {
    if (error instanceof TrustedKeyError)
      throw invalidArgument(`invalid application: verify.${error.message}`);
    throw error;
  }
  return spec;
}

/** A wave plan from untrusted input (absent = the safe default plan). */
export function parsePlan(input: unknown): WavePlan {
  const result = validatePlan(input ?? {});
  if ('errors' in result) throw invalidArgument(`invalid wave plan: ${result.errors.join('; ')}`);
  return result.plan;
}

function selectorProblem(selector: string): string | undefined {
  try {
    parseSelector(selector);
    return undefined;
  } catch (error) {
    if (error instanceof SelectorError)
      return `invalid selector at position ${error.position}: ${error.reason}`;
    throw error;
  }
}

function describeIssues(error: z.ZodError): string {
  return `invalid application: ${error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
    .join('; ')}`;
}
