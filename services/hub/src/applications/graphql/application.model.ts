import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type DeletionPolicy, type RecreatePolicy } from '@fleetwave/contracts';
import { DeletionPolicyEnum } from '../../clusters/graphql/deletion-policy.enum.js';
import { type SyncPolicy } from '../application-input.js';
import { type JoinPolicy } from '../../rollouts/engine/index.js';
import { type ApplicationRecord, type RevisionInfo } from '../applications.repository.js';
import { type RevisionVeto } from '../revision-veto.js';
import { encodeCursor } from '../../graphql/cursor.js';
import { JsonScalar } from '../../graphql/json.scalar.js';
import { forwardPageInfo, PageInfoModel } from '../../graphql/page-info.js';

export const SyncPolicyEnum: { [P in SyncPolicy]: P } = { auto: 'auto', manual: 'manual' };
registerEnumType(SyncPolicyEnum, {
  name: 'SyncPolicy',
  description: 'auto: a new commit on the ref starts its rollout; manual: an operator starts rollouts.',
});

export const JoinPolicyEnum: { [P in JoinPolicy]: P } = { wave: 'wave', settled: 'settled' };
registerEnumType(JoinPolicyEnum, {
  name: 'JoinPolicy',
  description:
    'What a cluster joining the placement while a rollout runs gets. settled: the settled revision at once (the ' +
    'new one with the next rollout); wave (default): it joins the rollout in the wave its labels match, assigned ' +
    'with that wave or at once if the wave already passed.',
});

export const RecreatePolicyEnum: { [P in RecreatePolicy]: P } = {
  never: 'never',
  annotated: 'annotated',
  always: 'always',
};
registerEnumType(RecreatePolicyEnum, {
  name: 'RecreatePolicy',
  description:
    'When an agent deletes and re-creates an object whose apply is refused because a field is immutable (a Job ' +
    'template, a Service clusterIP, a selector). never; annotated (default): only objects annotated ' +
    'fleetwave.io/recreate: "true"; always. Otherwise the bundle fails, naming the object and the field.',
});

@ObjectType('ValuesRule', {
  description: 'Per-cluster values: the first rule whose selector matches the cluster labels wins.',
})
export class ValuesRuleModel {
  @Field(() => String, { description: 'kubectl label-selector syntax; "" matches every cluster.' })
  selector!: string;
  @Field(() => JsonScalar, { description: 'An object of names to strings, numbers or booleans.' })
  values!: Record<string, string | number | boolean>;
}

@ObjectType('RevisionVeto', {
  description:
    'A commit declared bad: never rolled out automatically (poll, webhook, redelivery, re-render); an operator starts it only with force.',
})
export class RevisionVetoModel {
  @Field(() => String, { description: 'The full 40-hex commit id.' }) commit!: string;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'Who vetoed it: an operator, or `engine` for an automatic rollback.' })
  actor!: string;
  @Field(() => GraphQLISODateTime) at!: Date;
}

@ObjectType('Revision', { description: 'A commit of the application ref the hub has fetched.' })
export class RevisionModel {
  /** Not a GraphQL field: what Revision.veto looks the veto up by. */
  applicationId!: string;
  @Field(() => String, { description: 'The full 40-hex commit id.' }) commit!: string;
  @Field(() => String) author!: string;
  @Field(() => String) authorEmail!: string;
  @Field(() => GraphQLISODateTime) committedAt!: Date;
  @Field(() => String) message!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Why the templates at this commit cannot be rolled out (malformed YAML, bad placeholder).',
  })
  error!: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When the hub fetched it.' }) fetchedAt!: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When its files were garbage-collected (nothing referenced them for HUB_GC_RETENTION_DAYS); it cannot roll ' +
      'out (GARBAGE_COLLECTED) until a sync reads them again from git, which happens when the ref points at it.',
  })
  sourceCollectedAt!: Date | null;
}

@ObjectType('ApplicationDeletion', {
  description:
    'The application is Deleting (deletedAt null: its clusters were sent withdrawals and not all confirmed yet) or deleted (deletedAt set: kept for its rollouts, revisions and audit trail; its name is free again).',
})
export class ApplicationDeletionModel {
  @Field(() => DeletionPolicyEnum) policy!: DeletionPolicy;
  @Field(() => GraphQLISODateTime) requestedAt!: Date;
  @Field(() => String) requestedBy!: string;
  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When the last cluster confirmed.' })
  deletedAt!: Date | null;
  /** Not a field: what `remaining` is resolved with. */
  applicationId!: string;
}

@ObjectType('Application', {
  description:
    'What to deploy (a git repository, ref and path, with per-cluster values), where (a label selector) and how (a wave plan).',
})
export class ApplicationModel {
  @Field(() => ID, { description: 'The target id of its events.' }) id!: string;
  @Field(() => String, { description: 'DNS-1123 label, unique.' }) name!: string;
  @Field(() => String, { description: 'http(s) clone URL; never carries credentials.' }) repoUrl!: string;
  @Field(() => String, {
    nullable: true,
    description:
      'Name of the credentials entry the hub fetches with (HUB_GIT_CREDENTIALS_FILE); the secret itself never leaves the hub.',
  })
  credentialsRef!: string | null;
  @Field(() => String, { description: 'Branch, tag or commit.' }) ref!: string;
  @Field(() => String, { description: 'Directory of the templates in the repository ("" = the root).' })
  path!: string;
  @Field(() => String, { description: 'The clusters the application targets; "" = every cluster.' })
  targetSelector!: string;
  @Field(() => [ValuesRuleModel]) valuesRules!: ValuesRuleModel[];
  @Field(() => JsonScalar, {
    description:
      'The wave plan with every default filled in: { waves: [...], rest: {...}, autoRollback, windows? }.',
  })
  plan!: unknown;
  @Field(() => SyncPolicyEnum) syncPolicy!: SyncPolicy;
  @Field(() => Int) pollIntervalSeconds!: number;
  @Field(() => String, { nullable: true, description: 'Namespace for objects that name none.' })
  defaultNamespace!: string | null;
  @Field(() => Boolean, { description: 'Agents delete objects the application no longer renders.' })
  prune!: boolean;
  @Field(() => JoinPolicyEnum) joinPolicy!: JoinPolicy;
  @Field(() => DeletionPolicyEnum, {
    description:
      "What agents do with the application's objects when its placement on their cluster ends (labels or target changed).",
  })
  deletionPolicy!: DeletionPolicy;
  @Field(() => ApplicationDeletionModel, {
    nullable: true,
    description: 'Null unless deleteApplication was asked for: then Deleting, or deleted.',
  })
  deletion!: ApplicationDeletionModel | null;
  @Field(() => Boolean, {
    description:
      'A render with no object may roll out (it removes the application from the cluster); otherwise it is refused ' +
      '(EMPTY_BUNDLE).',
  })
  allowEmpty!: boolean;
  @Field(() => RecreatePolicyEnum) recreate!: RecreatePolicy;
  @Field(() => String, { nullable: true, description: 'The newest commit of the ref the hub has fetched.' })
  latestCommit!: string | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) lastSyncedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why the last sync (or its auto rollout) failed.' })
  lastSyncError!: string | null;
  @Field(() => Int, {
    description:
      'Manual sync: clusters whose bundle of the settled commit a label or values change altered (out of sync ' +
      'until a rollout); automatic sync reconfigures them instead, so 0.',
  })
  outOfSyncClusters!: number;
  @Field(() => GraphQLISODateTime) createdAt!: Date;
  @Field(() => GraphQLISODateTime) updatedAt!: Date;
}

@ObjectType('ApplicationEdge')
export class ApplicationEdgeModel {
  @Field(() => String) cursor!: string;
  @Field(() => ApplicationModel) node!: ApplicationModel;
}

@ObjectType('ApplicationConnection', { description: 'Applications in name order, Relay-style.' })
export class ApplicationConnectionModel {
  @Field(() => [ApplicationEdgeModel]) edges!: ApplicationEdgeModel[];
  @Field(() => PageInfoModel) pageInfo!: PageInfoModel;
  @Field(() => Int, { description: 'Applications across all pages.' }) totalCount!: number;
}

@InputType('ValuesRuleInput')
export class ValuesRuleInput {
  @Field(() => String) selector!: string;
  @Field(() => JsonScalar, { description: 'An object of names to strings, numbers or booleans.' })
  values!: unknown;
}

const planDescription =
  'The wave plan: { waves: [{ name, selector, maxConcurrency, failureBudget, soakSeconds, requireApproval, ' +
  'progressDeadlineSeconds, offlinePolicy, spreadBy }], rest: { ...settings of the implicit last wave }, autoRollback, ' +
  'windows: [{ kind: allow|deny, schedule: "<5-field cron>", duration: "2h", timeZone: "Europe/Berlin" }] }.';

@InputType('CreateApplicationInput')
export class CreateApplicationInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'http(s) clone URL without credentials.' }) repoUrl!: string;
  @Field(() => String, { nullable: true, description: 'A credentials entry name, never a secret.' })
  credentialsRef?: string | null;
  @Field(() => String) ref!: string;
  @Field(() => String, { nullable: true, description: 'Default "" (the repository root).' })
  path?: string | null;
  @Field(() => String, { nullable: true, description: 'Default "" (every cluster).' })
  targetSelector?: string | null;
  @Field(() => [ValuesRuleInput], { nullable: true }) valuesRules?: ValuesRuleInput[] | null;
  @Field(() => JsonScalar, {
    nullable: true,
    description: `${planDescription} Default: one cluster at a time.`,
  })
  plan?: unknown;
  @Field(() => SyncPolicyEnum, { nullable: true, description: 'Default auto.' })
  syncPolicy?: SyncPolicy | null;
  @Field(() => Int, { nullable: true, description: '10 to 86400; default 60.' })
  pollIntervalSeconds?: number | null;
  @Field(() => String, { nullable: true }) defaultNamespace?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) prune?: boolean | null;
  @Field(() => JoinPolicyEnum, { nullable: true, description: 'Default wave.' })
  joinPolicy?: JoinPolicy | null;
  @Field(() => DeletionPolicyEnum, { nullable: true, description: 'Default prune.' })
  deletionPolicy?: DeletionPolicy | null;
  @Field(() => Boolean, { nullable: true, description: 'Default false.' }) allowEmpty?: boolean | null;
  @Field(() => RecreatePolicyEnum, { nullable: true, description: 'Default annotated.' })
  recreate?: RecreatePolicy | null;
}

@InputType('UpdateApplicationInput', {
  description:
    'Only the fields given change. credentialsRef and defaultNamespace are cleared with null; null elsewhere is refused.',
})
export class UpdateApplicationInput {
  @Field(() => String, { nullable: true }) repoUrl?: string | null;
  @Field(() => String, { nullable: true }) credentialsRef?: string | null;
  @Field(() => String, { nullable: true }) ref?: string | null;
  @Field(() => String, { nullable: true }) path?: string | null;
  @Field(() => String, { nullable: true }) targetSelector?: string | null;
  @Field(() => [ValuesRuleInput], { nullable: true }) valuesRules?: ValuesRuleInput[] | null;
  @Field(() => JsonScalar, { nullable: true, description: `${planDescription} null keeps the plan.` })
  plan?: unknown;
  @Field(() => SyncPolicyEnum, { nullable: true }) syncPolicy?: SyncPolicy | null;
  @Field(() => Int, { nullable: true }) pollIntervalSeconds?: number | null;
  @Field(() => String, { nullable: true }) defaultNamespace?: string | null;
  @Field(() => Boolean, { nullable: true }) prune?: boolean | null;
  @Field(() => JoinPolicyEnum, { nullable: true }) joinPolicy?: JoinPolicy | null;
  @Field(() => DeletionPolicyEnum, { nullable: true }) deletionPolicy?: DeletionPolicy | null;
  @Field(() => Boolean, { nullable: true }) allowEmpty?: boolean | null;
  @Field(() => RecreatePolicyEnum, { nullable: true }) recreate?: RecreatePolicy | null;
}

@ObjectType('SyncApplicationPayload')
export class SyncApplicationPayload {
  @Field(() => ApplicationModel, { description: 'The application after the sync.' })
  application!: ApplicationModel;
  @Field(() => String, {
    nullable: true,
    description: 'The commit the ref points at; null when the fetch failed.',
  })
  commit!: string | null;
  @Field(() => ID, {
    nullable: true,
    description: 'The rollout this sync started (sync policy auto and a new commit), if any.',
  })
  rolloutId!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Why the sync failed, the revision is unusable, or its rollout could not start.',
  })
  error!: string | null;
}

export function toApplicationModel(app: ApplicationRecord): ApplicationModel {
  return {
    id: app.id,
    name: app.name,
    repoUrl: app.repoUrl,
    credentialsRef: app.credentialsRef,
    ref: app.ref,
    path: app.path,
    targetSelector: app.targetSelector,
    valuesRules: app.valuesRules.map((rule) => ({ selector: rule.selector, values: rule.values })),
    plan: app.plan,
    syncPolicy: app.syncPolicy,
    pollIntervalSeconds: app.pollIntervalSeconds,
    defaultNamespace: app.defaultNamespace,
    prune: app.prune,
    joinPolicy: app.joinPolicy,
    deletionPolicy: app.deletionPolicy,
    deletion: app.deletion && { ...app.deletion, deletedAt: app.deletedAt, applicationId: app.id },
    allowEmpty: app.allowEmpty,
    recreate: app.recreate,
    latestCommit: app.latestCommit,
    lastSyncedAt: app.lastSyncedAt,
    lastSyncError: app.lastSyncError,
    outOfSyncClusters: app.outOfSyncClusters,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

export function toRevisionModel(revision: RevisionInfo): RevisionModel {
  return {
    applicationId: revision.applicationId,
    commit: revision.commit,
    author: revision.author,
    authorEmail: revision.authorEmail,
    committedAt: revision.committedAt,
    message: revision.message,
    error: revision.error,
    fetchedAt: revision.fetchedAt,
    sourceCollectedAt: revision.sourceCollectedAt,
  };
}

export function toRevisionVetoModel(veto: RevisionVeto): RevisionVetoModel {
  return { commit: veto.commit, reason: veto.reason, actor: veto.actor, at: veto.at };
}

export function toApplicationConnection(page: {
  applications: ApplicationRecord[];
  hasNextPage: boolean;
  totalCount: number;
}): ApplicationConnectionModel {
  const edges = page.applications.map((app) => ({
    cursor: encodeCursor(app.name),
    node: toApplicationModel(app),
  }));
  return {
    edges,
    pageInfo: forwardPageInfo(edges, page.hasNextPage),
    totalCount: page.totalCount,
  };
}

/**
 * The untrusted input object ApplicationsService validates. Fields the client left out stay out; on
 * create, null also means "the default" (on update it clears or is refused, see UpdateApplicationInput).
 */
export function applicationInput(input: object, nullMeansDefault: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || (nullMeansDefault && value === null)) continue;
    out[key] =
      key === 'valuesRules' && Array.isArray(value)
        ? value.map((rule: ValuesRuleInput) => ({ selector: rule.selector, values: rule.values }))
        : value;
  }
  return out;
}
