import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type DeletionPolicy, type HealthCheck, type RecreatePolicy } from '@fleetwave/contracts';
import { DeletionPolicyEnum } from '../../clusters/graphql/deletion-policy.enum.js';
import {
  type ChartSource,
  type HelmSettings,
  type ResolvedChart,
  type SignatureStatus,
  type Values,
  type VerifyMode,
  type VerifyPolicy,
} from '../../git/index.js';
import { type SyncPolicy } from '../application-input.js';
import { type JoinPolicy } from '../../rollouts/engine/index.js';
import {
  type ApplicationRecord,
  type RevisionInfo,
  type RevisionSignature,
} from '../applications.repository.js';
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

export const VerifyModeEnum: { [M in VerifyMode]: M } = { gpg: 'gpg', ssh: 'ssh' };
registerEnumType(VerifyModeEnum, {
  name: 'VerifyMode',
  description:
    'gpg: commits signed with OpenPGP (git commit -S); ssh: signed with an SSH key (gpg.format=ssh).',
});

export const SignatureStatusEnum: { [S in SignatureStatus]: S } = {
  verified: 'verified',
  unsigned: 'unsigned',
  untrusted: 'untrusted',
  invalid: 'invalid',
};
registerEnumType(SignatureStatusEnum, {
  name: 'SignatureStatus',
  description:
    'verified: a good signature by a trusted key; unsigned; untrusted: signed by a key the application does not ' +
    'trust (keyId names it); invalid: unreadable, of the other format, or a signature that does not verify.',
});

@ObjectType('CommitVerification', {
  description:
    'Commits must be signed by one of the trusted keys to be rendered or rolled out (docs/applications.md#signed-commits).',
})
export class CommitVerificationModel {
  @Field(() => VerifyModeEnum) mode!: VerifyMode;
  @Field(() => [String], {
    description: 'Public keys: armored OpenPGP key blocks (gpg) or OpenSSH public key lines (ssh).',
  })
  trustedKeys!: string[];
}

@InputType('CommitVerificationInput')
export class CommitVerificationInput {
  @Field(() => VerifyModeEnum) mode!: VerifyMode;
  @Field(() => [String], {
    description:
      'Public keys only, 1 to 20: `gpg --armor --export <id>` blocks (gpg) or `ssh-keygen`-style `.pub` lines ' +
      '(ssh). A key that cannot be read, or a private key, is refused (INVALID_ARGUMENT naming verify.trustedKeys.<i>).',
  })
  trustedKeys!: string[];
}

@ObjectType('RevisionSignature', {
  description: "What checking the commit's signature against the application's trusted keys found.",
})
export class RevisionSignatureModel {
  @Field(() => SignatureStatusEnum) status!: SignatureStatus;
  @Field(() => VerifyModeEnum, { nullable: true, description: "The signature's format; null when unsigned." })
  format!: VerifyMode | null;
  @Field(() => String, {
    nullable: true,
    description: 'The signing key: OpenPGP 16-hex key id, or SSH `SHA256:…` fingerprint (as ssh-keygen -l).',
  })
  keyId!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The trusted key's user id (OpenPGP) or comment (SSH).",
  })
  signer!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it is not verified.' }) reason!: string | null;
}

@ObjectType('ValuesRule', {
  description:
    'Per-cluster values for the clusters the selector matches. Every matching rule applies; for each key the ' +
    'first listed matching rule wins (docs/applications.md has the whole merge order).',
})
export class ValuesRuleModel {
  @Field(() => String, { description: 'kubectl label-selector syntax; "" matches every cluster.' })
  selector!: string;
  @Field(() => JsonScalar, { description: 'A YAML object (nested maps and lists allowed).' })
  values!: Values;
}

@ObjectType('HelmSettings', { description: 'How a chart is rendered (helm template).' })
export class HelmSettingsModel {
  @Field(() => String, { nullable: true, description: "The release name; null: the application's name." })
  releaseName!: string | null;
  @Field(() => Boolean, { description: "CRDs from the chart's crds/ folder go into the bundle." })
  includeCRDs!: boolean;
}

@InputType('HelmSettingsInput')
export class HelmSettingsInput {
  @Field(() => String, { nullable: true, description: "Default: the application's name." })
  releaseName?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) includeCRDs?: boolean | null;
}

const healthCheckDescription =
  'A custom health rule: objects of the apiVersion group and kind are judged by CEL expressions over the object ' +
  "(its fields are the variables: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')), asked in " +
  'the order inProgress, failed, current; none true means InProgress. As Flux healthCheckExprs.';

@ObjectType('HealthCheck', { description: healthCheckDescription })
export class HealthCheckModel {
  @Field(() => String, {
    description: 'group/version or version; the rule matches every version of the group.',
  })
  apiVersion!: string;
  @Field(() => String) kind!: string;
  @Field(() => String, { description: 'CEL: true when the object is healthy.' }) current!: string;
  @Field(() => String, { nullable: true, description: 'CEL: true when the object has failed.' })
  failed!: string | null;
  @Field(() => String, { nullable: true, description: 'CEL: true while the object is still progressing.' })
  inProgress!: string | null;
}

@ObjectType('ChartSource', {
  description:
    'A chart from a Helm repository or an OCI registry, pulled at every sync (docs/applications.md).',
})
export class ChartSourceModel {
  @Field(() => String, { description: 'An http(s) Helm repository URL or an oci:// registry reference.' })
  repository!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'An exact version or a semver range; the newest match is taken.' })
  version!: string;
  @Field(() => String, { nullable: true, description: 'A credentials entry name, never a secret.' })
  credentialsRef!: string | null;
}

@InputType('ChartSourceInput')
export class ChartSourceInput {
  @Field(() => String, {
    description: 'https://… or http://… (a Helm repository: index.yaml) or oci://host/path.',
  })
  repository!: string;
  @Field(() => String) name!: string;
  @Field(() => String, {
    nullable: true,
    description: 'A version or semver range; default * (the newest stable).',
  })
  version?: string | null;
  @Field(() => String, { nullable: true, description: 'A credentials entry name, never a secret.' })
  credentialsRef?: string | null;
}

@ObjectType('RevisionChart', { description: 'The chart a revision was made with, pulled at sync time.' })
export class RevisionChartModel {
  @Field(() => String) name!: string;
  @Field(() => String) version!: string;
  @Field(() => String, { description: 'sha256:… of the chart archive.' }) digest!: string;
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

@ObjectType('Revision', {
  description:
    'A commit of the application ref the hub has fetched (with the chart version it was pulled with, for an application with a chart).',
})
export class RevisionModel {
  /** Not a GraphQL field: what Revision.veto looks the veto up by. */
  applicationId!: string;
  @Field(() => String, {
    description:
      'The revision id rollouts name (40 hex): the commit id, or for an application with a chart from a repository or registry sha1 of the commit and the chart (gitCommit has the commit).',
  })
  commit!: string;
  @Field(() => String, { description: 'The full 40-hex git commit id.' }) gitCommit!: string;
  @Field(() => RevisionChartModel, { nullable: true, description: 'The pulled chart, if any.' })
  chart!: ResolvedChart | null;
  @Field(() => String) author!: string;
  @Field(() => String) authorEmail!: string;
  @Field(() => GraphQLISODateTime) committedAt!: Date;
  @Field(() => String) message!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Why the templates at this commit cannot be rolled out (malformed YAML, bad placeholder).',
  })
  error!: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "`render-failed: <cluster>: <the tool's first error lines>` while the last render of this revision for a rollout failed for some cluster (nothing of it rolls out); null once a render works.",
  })
  renderError!: string | null;
  @Field(() => GraphQLISODateTime, { description: 'When the hub fetched it.' }) fetchedAt!: Date;
  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When its files were garbage-collected (nothing referenced them for HUB_GC_RETENTION_DAYS); it cannot roll ' +
      'out (GARBAGE_COLLECTED) until a sync reads them again from git, which happens when the ref points at it.',
  })
  sourceCollectedAt!: Date | null;
  @Field(() => RevisionSignatureModel, {
    nullable: true,
    description:
      'The signature check (application with verify); an unverified commit also has error `signature-invalid: …` and never renders or rolls out.',
  })
  signature!: RevisionSignatureModel | null;
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
  @Field(() => String, {
    description: 'The project it belongs to: what it may deploy, where, and who may change it.',
  })
  project!: string;
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
  @Field(() => String, {
    description:
      'Which renderer: auto (the source decides: Chart.yaml → helm, kustomization.yaml → kustomize, else template), template, helm or kustomize.',
  })
  renderer!: string;
  @Field(() => JsonScalar, { description: "The application's values: a YAML object." }) values!: Values;
  @Field(() => [String], {
    description: 'Values files under the application path, over `values`, in order.',
  })
  valuesFiles!: string[];
  @Field(() => [ValuesRuleModel]) valuesRules!: ValuesRuleModel[];
  @Field(() => HelmSettingsModel) helm!: HelmSettings;
  @Field(() => ChartSourceModel, {
    nullable: true,
    description: 'Where the chart comes from when not from git: a Helm repository or an OCI registry.',
  })
  chart!: ChartSource | null;
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
  @Field(() => [HealthCheckModel], {
    description:
      'Custom health rules agents judge objects of their kinds by, ahead of the built-in (kstatus) rules.',
  })
  healthChecks!: HealthCheckModel[];
  @Field(() => RecreatePolicyEnum) recreate!: RecreatePolicy;
  @Field(() => CommitVerificationModel, {
    nullable: true,
    description: 'Signed commits required: null, signatures are not checked.',
  })
  verify!: VerifyPolicy | null;
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
  @Field(() => JsonScalar, { description: 'A YAML object (nested maps and lists allowed).' })
  values!: unknown;
}

@InputType('HealthCheckInput', { description: healthCheckDescription })
export class HealthCheckInput {
  @Field(() => String) apiVersion!: string;
  @Field(() => String) kind!: string;
  @Field(() => String) current!: string;
  @Field(() => String, { nullable: true }) failed?: string | null;
  @Field(() => String, { nullable: true }) inProgress?: string | null;
}

const planDescription =
  'The wave plan: { waves: [{ name, selector, maxConcurrency, failureBudget, soakSeconds, requireApproval, ' +
  'progressDeadlineSeconds, offlinePolicy, spreadBy, failureCorrelation: { labels, minFailures, share } }], rest: { ...settings of the implicit last wave }, autoRollback, ' +
  'windows: [{ kind: allow|deny, schedule: "<5-field cron>", duration: "2h", timeZone: "Europe/Berlin" }] }.';

@InputType('CreateApplicationInput')
export class CreateApplicationInput {
  @Field(() => String) name!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Default "default" (the project that allows everything).',
  })
  project?: string | null;
  @Field(() => String, { description: 'http(s) clone URL without credentials.' }) repoUrl!: string;
  @Field(() => String, { nullable: true, description: 'A credentials entry name, never a secret.' })
  credentialsRef?: string | null;
  @Field(() => String) ref!: string;
  @Field(() => String, { nullable: true, description: 'Default "" (the repository root).' })
  path?: string | null;
  @Field(() => String, { nullable: true, description: 'Default "" (every cluster).' })
  targetSelector?: string | null;
  @Field(() => String, { nullable: true, description: 'auto (default), template, helm or kustomize.' })
  renderer?: string | null;
  @Field(() => JsonScalar, { nullable: true, description: 'A YAML object; default {}.' }) values?: unknown;
  @Field(() => [String], { nullable: true, description: 'Default none.' }) valuesFiles?: string[] | null;
  @Field(() => [ValuesRuleInput], { nullable: true }) valuesRules?: ValuesRuleInput[] | null;
  @Field(() => HelmSettingsInput, { nullable: true }) helm?: HelmSettingsInput | null;
  @Field(() => ChartSourceInput, {
    nullable: true,
    description: 'A chart from a Helm repository or OCI registry; default none (the source is git alone).',
  })
  chart?: ChartSourceInput | null;
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
  @Field(() => [HealthCheckInput], {
    nullable: true,
    description: `Default none; at most 50. An expression that does not compile is refused (INVALID_ARGUMENT with the rule, field and position).`,
  })
  healthChecks?: HealthCheckInput[] | null;
  @Field(() => RecreatePolicyEnum, { nullable: true, description: 'Default annotated.' })
  recreate?: RecreatePolicy | null;
  @Field(() => CommitVerificationInput, {
    nullable: true,
    description: 'Require signed commits; default none (signatures are not checked).',
  })
  verify?: CommitVerificationInput | null;
}

@InputType('PlanWindowInput', { description: 'A time window of a plan (docs/rollouts.md#time-windows).' })
export class PlanWindowInput {
  @Field(() => String, { description: 'allow or deny.' }) kind!: string;
  @Field(() => String, { description: 'When it opens: a 5-field cron expression.' }) schedule!: string;
  @Field(() => String, { description: 'How long it stays open, e.g. 8h or 90m.' }) duration!: string;
  @Field(() => String, { nullable: true, description: 'IANA time zone of the schedule; default UTC.' })
  timeZone?: string | null;
}

@InputType('UpdateApplicationInput', {
  description:
    'Only the fields given change. credentialsRef, defaultNamespace, chart and verify are cleared with null; null elsewhere is refused.',
})
export class UpdateApplicationInput {
  @Field(() => String, {
    nullable: true,
    description: 'Moves it to another project: needs operator in both, and it must be within the new bounds.',
  })
  project?: string | null;
  @Field(() => String, { nullable: true }) repoUrl?: string | null;
  @Field(() => String, { nullable: true }) credentialsRef?: string | null;
  @Field(() => String, { nullable: true }) ref?: string | null;
  @Field(() => String, { nullable: true }) path?: string | null;
  @Field(() => String, { nullable: true }) targetSelector?: string | null;
  @Field(() => String, { nullable: true }) renderer?: string | null;
  @Field(() => JsonScalar, { nullable: true }) values?: unknown;
  @Field(() => [String], { nullable: true }) valuesFiles?: string[] | null;
  @Field(() => [ValuesRuleInput], { nullable: true }) valuesRules?: ValuesRuleInput[] | null;
  @Field(() => HelmSettingsInput, {
    nullable: true,
    description: 'Replaces the Helm settings (absent fields: defaults).',
  })
  helm?: HelmSettingsInput | null;
  @Field(() => ChartSourceInput, {
    nullable: true,
    description: 'Replaces the chart source; null removes it.',
  })
  chart?: ChartSourceInput | null;
  @Field(() => JsonScalar, { nullable: true, description: `${planDescription} null keeps the plan.` })
  plan?: unknown;
  @Field(() => [PlanWindowInput], {
    nullable: true,
    description:
      "Replaces only the plan's time windows ([] removes them), keeping its other settings as they are when the change is made (or as `plan` gives them).",
  })
  planWindows?: PlanWindowInput[] | null;
  @Field(() => SyncPolicyEnum, { nullable: true }) syncPolicy?: SyncPolicy | null;
  @Field(() => Int, { nullable: true }) pollIntervalSeconds?: number | null;
  @Field(() => String, { nullable: true }) defaultNamespace?: string | null;
  @Field(() => Boolean, { nullable: true }) prune?: boolean | null;
  @Field(() => JoinPolicyEnum, { nullable: true }) joinPolicy?: JoinPolicy | null;
  @Field(() => DeletionPolicyEnum, { nullable: true }) deletionPolicy?: DeletionPolicy | null;
  @Field(() => Boolean, { nullable: true }) allowEmpty?: boolean | null;
  @Field(() => [HealthCheckInput], { nullable: true, description: 'Replaces every rule; [] removes them.' })
  healthChecks?: HealthCheckInput[] | null;
  @Field(() => RecreatePolicyEnum, { nullable: true }) recreate?: RecreatePolicy | null;
  @Field(() => CommitVerificationInput, {
    nullable: true,
    description: 'Replaces the signed-commit requirement; null removes it.',
  })
  verify?: CommitVerificationInput | null;
}

@ObjectType('SyncApplicationPayload')
export class SyncApplicationPayload {
  @Field(() => ApplicationModel, { description: 'The application after the sync.' })
  application!: ApplicationModel;
  @Field(() => String, {
    nullable: true,
    description:
      'The revision the sync settled on (the commit the ref points at; with a chart from a repository or registry, the revision id of that commit and chart version); null when the fetch failed.',
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
    project: app.project,
    repoUrl: app.repoUrl,
    credentialsRef: app.credentialsRef,
    ref: app.ref,
    path: app.path,
    targetSelector: app.targetSelector,
    renderer: app.renderer,
    values: app.values,
    valuesFiles: app.valuesFiles,
    valuesRules: app.valuesRules.map((rule) => ({ selector: rule.selector, values: rule.values })),
    helm: app.helm,
    chart: app.chart,
    plan: app.plan,
    syncPolicy: app.syncPolicy,
    pollIntervalSeconds: app.pollIntervalSeconds,
    defaultNamespace: app.defaultNamespace,
    prune: app.prune,
    joinPolicy: app.joinPolicy,
    deletionPolicy: app.deletionPolicy,
    deletion: app.deletion && { ...app.deletion, deletedAt: app.deletedAt, applicationId: app.id },
    allowEmpty: app.allowEmpty,
    healthChecks: app.healthChecks.map(toHealthCheckModel),
    recreate: app.recreate,
    verify: app.verify,
    latestCommit: app.latestCommit,
    lastSyncedAt: app.lastSyncedAt,
    lastSyncError: app.lastSyncError,
    outOfSyncClusters: app.outOfSyncClusters,
    createdAt: app.createdAt,
    updatedAt: app.updatedAt,
  };
}

function toHealthCheckModel(check: HealthCheck): HealthCheckModel {
  return {
    apiVersion: check.apiVersion,
    kind: check.kind,
    current: check.current,
    failed: check.failed ?? null,
    inProgress: check.inProgress ?? null,
  };
}

export function toRevisionModel(revision: RevisionInfo): RevisionModel {
  return {
    applicationId: revision.applicationId,
    commit: revision.commit,
    gitCommit: revision.gitCommit ?? revision.commit,
    chart: revision.chart,
    author: revision.author,
    authorEmail: revision.authorEmail,
    committedAt: revision.committedAt,
    message: revision.message,
    error: revision.error,
    renderError: revision.renderError,
    fetchedAt: revision.fetchedAt,
    sourceCollectedAt: revision.sourceCollectedAt,
    signature: revision.signature === null ? null : toRevisionSignatureModel(revision.signature),
  };
}

function toRevisionSignatureModel(signature: RevisionSignature): RevisionSignatureModel {
  return {
    status: signature.status,
    format: signature.format,
    keyId: signature.keyId,
    signer: signature.signer,
    reason: signature.reason,
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
    if (key === 'valuesRules' && Array.isArray(value)) {
      out[key] = value.map((rule: ValuesRuleInput) => ({ selector: rule.selector, values: rule.values }));
    } else if (key === 'planWindows' && Array.isArray(value)) {
      out[key] = value.map((w: PlanWindowInput) => withoutNulls(w));
    } else if (key === 'healthChecks' && Array.isArray(value)) {
      out[key] = value.map(healthCheckInput);
    } else if (
      (key === 'helm' || key === 'chart' || key === 'verify') &&
      value !== null &&
      typeof value === 'object'
    ) {
      out[key] = withoutNulls(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** A GraphQL input object's fields the client left null or out are left out (zod fills defaults). */
function withoutNulls(value: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

/** A plain rule for validation: an expression left out or null is absent. */
function healthCheckInput(input: HealthCheckInput): Record<string, unknown> {
  const rule: Record<string, unknown> = {
    apiVersion: input.apiVersion,
    kind: input.kind,
    current: input.current,
  };
  if (input.failed !== undefined && input.failed !== null) rule.failed = input.failed;
  if (input.inProgress !== undefined && input.inProgress !== null) rule.inProgress = input.inProgress;
  return rule;
}
