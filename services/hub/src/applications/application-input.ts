import { parseSelector, SelectorError } from '@fleetwave/labels';
import {
  type DeletionPolicy,
  DeletionPolicySchema,
  type RecreatePolicy,
  RecreatePolicySchema,
} from '@fleetwave/contracts';
import { z } from 'zod';
import { invalidArgument } from '../common/domain-error.js';
import { JOIN_POLICIES, type JoinPolicy, validatePlan, type WavePlan } from '../rollouts/engine/index.js';

/** How a new commit on the ref becomes a rollout: at once (`auto`) or when an operator starts it. */
export type SyncPolicy = 'auto' | 'manual';

export type Scalar = string | number | boolean;

/** Per-cluster values: the first rule whose selector matches the cluster's labels wins. */
export interface ValuesRule {
  selector: string;
  values: Record<string, Scalar>;
}

/** A validated application definition, as stored. */
export interface ApplicationSpec {
  repoUrl: string;
  credentialsRef: string | null;
  ref: string;
  path: string;
  targetSelector: string;
  valuesRules: ValuesRule[];
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
   * Whether agents delete and re-create an object whose apply is refused for an immutable field:
   * `never`, `annotated` (only objects annotated `fleetwave.io/recreate: "true"`), `always`.
   */
  recreate: RecreatePolicy;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const VALUE_KEY = /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/;
const MAX_VALUES_RULES = 100;
const MAX_VALUES_PER_RULE = 100;

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

const ValuesRuleSchema = z.strictObject({
  selector: SelectorSchema,
  values: z
    .record(
      z.string().regex(VALUE_KEY, 'value names are letters, digits, "_" and "-"'),
      z.union([
        // Substituted into a YAML line: a line break would change the document's structure.
        z
          .string()
          .max(4096)
          .regex(/^[^\r\n]*$/, 'must be a single line'),
        z.number(),
        z.boolean(),
      ]),
    )
    .refine((values) => Object.keys(values).length <= MAX_VALUES_PER_RULE, {
      message: `at most ${MAX_VALUES_PER_RULE} values per rule`,
    }),
});

const fields = {
  repoUrl: RepoUrlSchema,
  credentialsRef: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,128}$/, 'must be a reference name (letters, digits, ".", "_", "-")')
    .nullable(),
  ref: z.string().trim().min(1).max(255),
  path: PathSchema,
  targetSelector: SelectorSchema,
  valuesRules: z.array(ValuesRuleSchema).max(MAX_VALUES_RULES),
  plan: z.unknown().optional(),
  syncPolicy: z.enum(['auto', 'manual']),
  pollIntervalSeconds: z.int().min(10).max(86_400),
  defaultNamespace: z.string().regex(DNS_LABEL, 'must be a DNS-1123 label').max(63).nullable(),
  prune: z.boolean(),
  joinPolicy: z.enum(JOIN_POLICIES),
  deletionPolicy: DeletionPolicySchema,
  allowEmpty: z.boolean(),
  recreate: RecreatePolicySchema,
};

const CreateSchema = z.strictObject({
  name: ApplicationNameSchema,
  repoUrl: fields.repoUrl,
  credentialsRef: fields.credentialsRef.default(null),
  ref: fields.ref,
  path: fields.path.default(''),
  targetSelector: fields.targetSelector.default(''),
  valuesRules: fields.valuesRules.default([]),
  plan: fields.plan,
  syncPolicy: fields.syncPolicy.default('auto'),
  pollIntervalSeconds: fields.pollIntervalSeconds.default(60),
  defaultNamespace: fields.defaultNamespace.default(null),
  prune: fields.prune.default(true),
  joinPolicy: fields.joinPolicy.default('wave'),
  deletionPolicy: fields.deletionPolicy.default('prune'),
  allowEmpty: fields.allowEmpty.default(false),
  recreate: fields.recreate.default('annotated'),
});

const UpdateSchema = z.strictObject({
  repoUrl: fields.repoUrl.optional(),
  credentialsRef: fields.credentialsRef.optional(),
  ref: fields.ref.optional(),
  path: fields.path.optional(),
  targetSelector: fields.targetSelector.optional(),
  valuesRules: fields.valuesRules.optional(),
  plan: fields.plan,
  syncPolicy: fields.syncPolicy.optional(),
  pollIntervalSeconds: fields.pollIntervalSeconds.optional(),
  defaultNamespace: fields.defaultNamespace.optional(),
  prune: fields.prune.optional(),
  joinPolicy: fields.joinPolicy.optional(),
  deletionPolicy: fields.deletionPolicy.optional(),
  allowEmpty: fields.allowEmpty.optional(),
  recreate: fields.recreate.optional(),
});

export type UpdateApplicationInput = Partial<Omit<ApplicationSpec, 'plan'>> & { plan?: unknown };

/** Validates a new application; every problem is named in one INVALID_ARGUMENT. */
export function parseCreateApplication(input: unknown): { name: string; spec: ApplicationSpec } {
  const parsed = CreateSchema.safeParse(input);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error));
  const { name, plan, ...rest } = parsed.data;
  return { name, spec: { ...rest, plan: parsePlan(plan) } };
}

/** Validates a partial update and merges it into the current spec. */
export function mergeApplicationUpdate(current: ApplicationSpec, input: unknown): ApplicationSpec {
  const parsed = UpdateSchema.safeParse(input);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error));
  const { plan, ...rest } = parsed.data;
  const next: ApplicationSpec = { ...current };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (next as unknown as Record<string, unknown>)[key] = value;
  }
  if (plan !== undefined && plan !== null) next.plan = parsePlan(plan);
  return next;
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
