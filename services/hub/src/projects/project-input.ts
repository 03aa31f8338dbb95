import { parseSelector, SelectorError } from '@fleetwave/labels';
import { z } from 'zod';
import { invalidArgument } from '../common/domain-error.js';
import { type ProjectRecord } from './project-rules.js';

/** What a project is made of, without its name and times. */
export type ProjectSpec = Omit<ProjectRecord, 'name' | 'createdAt' | 'updatedAt'>;

const NAME = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a lowercase DNS-1123 label');

const Patterns = z.array(z.string().trim().min(1).max(253)).max(100);

const Selector = z
  .string()
  .max(4096)
  .superRefine((selector, ctx) => {
    try {
      parseSelector(selector);
    } catch (error) {
      if (!(error instanceof SelectorError)) throw error;
      ctx.addIssue({
        code: 'custom',
        message: `invalid selector at position ${error.position}: ${error.reason}`,
      });
    }
  });

const Member = z.strictObject({
  subject: z
    .string()
    .max(253)
    .regex(/^(token|user|group):\S+$/, 'must be token:<name>, user:<name> or group:<name>'),
  role: z.enum(['viewer', 'operator', 'admin']),
});

const fields = {
  description: z.string().max(1024),
  sourceRepos: Patterns,
  clusterSelector: Selector,
  namespaces: Patterns,
  kinds: Patterns,
  clusterKinds: Patterns,
  members: z.array(Member).max(200),
};

/**
 * A new project's defaults are closed where it matters: no repository, no namespace and no
 * cluster-scoped kind until listed; every namespaced kind and every cluster until narrowed.
 */
const CreateSchema = z.strictObject({
  name: NAME,
  description: fields.description.default(''),
  sourceRepos: fields.sourceRepos.default([]),
  clusterSelector: fields.clusterSelector.default(''),
  namespaces: fields.namespaces.default([]),
  kinds: fields.kinds.default(['*']),
  clusterKinds: fields.clusterKinds.default([]),
  members: fields.members.default([]),
});

const UpdateSchema = z.strictObject({
  description: fields.description.optional(),
  sourceRepos: fields.sourceRepos.optional(),
  clusterSelector: fields.clusterSelector.optional(),
  namespaces: fields.namespaces.optional(),
  kinds: fields.kinds.optional(),
  clusterKinds: fields.clusterKinds.optional(),
  members: fields.members.optional(),
});

export function parseCreateProject(input: unknown): { name: string; spec: ProjectSpec } {
  const parsed = CreateSchema.safeParse(input);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error));
  const { name, ...spec } = parsed.data;
  return { name, spec };
}

/** The fields given, validated; absent ones keep `current`'s. */
export function mergeProjectUpdate(
  current: ProjectSpec,
  input: unknown,
): { spec: ProjectSpec; changed: (keyof ProjectSpec)[] } {
  const parsed = UpdateSchema.safeParse(input);
  if (!parsed.success) throw invalidArgument(describeIssues(parsed.error));
  const spec: ProjectSpec = { ...current };
  const changed: (keyof ProjectSpec)[] = [];
  for (const [key, value] of Object.entries(parsed.data) as [keyof ProjectSpec, unknown][]) {
    if (value === undefined || value === null) continue;
    (spec as unknown as Record<string, unknown>)[key] = value;
    changed.push(key);
  }
  return { spec, changed };
}

function describeIssues(error: z.ZodError): string {
  return `invalid project: ${error.issues
    .slice(0, 10)
    .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
    .join('; ')}`;
}
