/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** A member cluster's progress in a rollout (Failed, Degraded and TimedOut count as failures). */
export const AssignmentPhase = {
  Applying: 'Applying',
  Assigned: 'Assigned',
  Degraded: 'Degraded',
  Failed: 'Failed',
  Healthy: 'Healthy',
  Pending: 'Pending',
  Progressing: 'Progressing',
  Skipped: 'Skipped',
  TimedOut: 'TimedOut'
} as const;

export type AssignmentPhase = typeof AssignmentPhase[keyof typeof AssignmentPhase];
/** Why a rollout, wave or cluster is not moving on right now. */
export const BlockingKind = {
  Approval: 'approval',
  Budget: 'budget',
  ClusterBudget: 'clusterBudget',
  Concurrency: 'concurrency',
  Cordoned: 'cordoned',
  Deadline: 'deadline',
  FailureCorrelation: 'failureCorrelation',
  FleetBudget: 'fleetBudget',
  Freeze: 'freeze',
  Maintenance: 'maintenance',
  NoBundle: 'noBundle',
  Offline: 'offline',
  Paused: 'paused',
  PreviousWave: 'previousWave',
  Soak: 'soak',
  Verification: 'verification',
  VerificationFailed: 'verificationFailed',
  Window: 'window'
} as const;

export type BlockingKind = typeof BlockingKind[keyof typeof BlockingKind];
export type ChartSourceInput = {
  /** A credentials entry name, never a secret. */
  credentialsRef?: string | null | undefined;
  name: string;
  /** https://… or http://… (a Helm repository: index.yaml) or oci://host/path. */
  repository: string;
  /** A version or semver range; default * (the newest stable). */
  version?: string | null | undefined;
};

/** Pending until the first heartbeat; Unknown after missed heartbeats; Offline after long silence. */
export const ClusterStatus = {
  NotReady: 'NotReady',
  Offline: 'Offline',
  Pending: 'Pending',
  Ready: 'Ready',
  Unknown: 'Unknown'
} as const;

export type ClusterStatus = typeof ClusterStatus[keyof typeof ClusterStatus];
export type CommitVerificationInput = {
  mode: VerifyMode;
  /** Public keys only, 1 to 20: `gpg --armor --export <id>` blocks (gpg) or `ssh-keygen`-style `.pub` lines (ssh). A key that cannot be read, or a private key, is refused (INVALID_ARGUMENT naming verify.trustedKeys.<i>). */
  trustedKeys: Array<string>;
};

export type CreateApplicationInput = {
  /** Default false. */
  allowEmpty?: boolean | null | undefined;
  /** A chart from a Helm repository or OCI registry; default none (the source is git alone). */
  chart?: ChartSourceInput | null | undefined;
  /** A credentials entry name, never a secret. */
  credentialsRef?: string | null | undefined;
  defaultNamespace?: string | null | undefined;
  /** Default prune. */
  deletionPolicy?: DeletionPolicy | null | undefined;
  /** Default none; at most 50. An expression that does not compile is refused (INVALID_ARGUMENT with the rule, field and position). */
  healthChecks?: Array<HealthCheckInput> | null | undefined;
  helm?: HelmSettingsInput | null | undefined;
  /** Default wave. */
  joinPolicy?: JoinPolicy | null | undefined;
  name: string;
  /** Default "" (the repository root). */
  path?: string | null | undefined;
  /** The wave plan: { waves: [{ name, selector, maxConcurrency, failureBudget, soakSeconds, requireApproval, progressDeadlineSeconds, offlinePolicy, spreadBy, failureCorrelation: { labels, minFailures, share } }], rest: { ...settings of the implicit last wave }, autoRollback, windows: [{ kind: allow|deny, schedule: "<5-field cron>", duration: "2h", timeZone: "Europe/Berlin" }] }. Default: one cluster at a time. */
  plan?: unknown;
  /** 10 to 86400; default 60. */
  pollIntervalSeconds?: number | null | undefined;
  /** Default "default" (the project that allows everything). */
  project?: string | null | undefined;
  /** Default true. */
  prune?: boolean | null | undefined;
  /** Default annotated. */
  recreate?: RecreatePolicy | null | undefined;
  ref: string;
  /** auto (default), template, helm or kustomize. */
  renderer?: string | null | undefined;
  /** http(s) clone URL without credentials. */
  repoUrl: string;
  /** Default auto. */
  syncPolicy?: SyncPolicy | null | undefined;
  /** Default "" (every cluster). */
  targetSelector?: string | null | undefined;
  /** A YAML object; default {}. */
  values?: unknown;
  /** Default none. */
  valuesFiles?: Array<string> | null | undefined;
  valuesRules?: Array<ValuesRuleInput> | null | undefined;
  /** Require signed commits; default none (signatures are not checked). */
  verify?: CommitVerificationInput | null | undefined;
};

export type CreateNotificationSubscriptionInput = {
  /** An application by name; with neither it nor `project`: everything (fleet admins only). */
  application?: string | null | undefined;
  /** `webhook` (default) or `slack`. */
  format?: string | null | undefined;
  /** Event kinds: waveAwaitingApproval, rolloutFailed, rolledBack, rolloutSucceeded, clusterOffline, driftCorrected, degradedAfterSuccess, verificationFailed. */
  kinds: Array<string>;
  /** A project: its applications' events (an admin of the project may subscribe). Not with `application`. */
  project?: string | null | undefined;
  /** HMAC-SHA256 key (16 to 512 characters) for X-Fleetwave-Signature; required for `webhook`. Write-only. */
  secret?: string | null | undefined;
  /** The receiver: an http(s) URL without user or password. */
  url: string;
};

export type CreateProjectInput = {
  /** Default none (cluster-scoped kinds denied). */
  clusterKinds?: Array<string> | null | undefined;
  /** Default "" (every cluster). */
  clusterSelector?: string | null | undefined;
  description?: string | null | undefined;
  /** Default ["*"] (every namespaced kind). */
  kinds?: Array<string> | null | undefined;
  /** Default none. */
  members?: Array<ProjectMemberInput> | null | undefined;
  /** DNS-1123 label, unique. */
  name: string;
  /** Default none. */
  namespaces?: Array<string> | null | undefined;
  /** Default none. */
  sourceRepos?: Array<string> | null | undefined;
};

export type CreateRegistrationTokenInput = {
  defaultLabels?: Record<string, string> | null | undefined;
  description?: string | null | undefined;
  expiresAt?: string | null | undefined;
  /** Unlimited when omitted. */
  maxUses?: number | null | undefined;
};

/** A cluster credential's standing: Revoked (by an admin) or Expired: its agent's polls and reports are refused until it registers again. */
export const CredentialState = {
  Active: 'Active',
  Expired: 'Expired',
  Revoked: 'Revoked'
} as const;

export type CredentialState = typeof CredentialState[keyof typeof CredentialState];
/** prune: the agent deletes the objects (those annotated to opt out of pruning stay); orphan: it leaves them in place, unmanaged. */
export const DeletionPolicy = {
  Orphan: 'orphan',
  Prune: 'prune'
} as const;

export type DeletionPolicy = typeof DeletionPolicy[keyof typeof DeletionPolicy];
/** finished: `at` is when it ended; observed: from its own pace (before 3 settled and without history: the median apply→healthy time of its healthy clusters); previous: fewer than 3 settled, from the application’s earlier rollouts’ pace; awaitingApproval: an approval lies ahead; unknown: paused, frozen, or nothing to go by yet. */
export const EtaBasis = {
  AwaitingApproval: 'awaitingApproval',
  Finished: 'finished',
  Observed: 'observed',
  Previous: 'previous',
  Unknown: 'unknown'
} as const;

export type EtaBasis = typeof EtaBasis[keyof typeof EtaBasis];
/** high: 10 or more observed cluster durations; medium: 3 to 9; low: fewer. */
export const EtaConfidence = {
  High: 'high',
  Low: 'low',
  Medium: 'medium'
} as const;

export type EtaConfidence = typeof EtaConfidence[keyof typeof EtaConfidence];
/** What an event is about. */
export const EventTargetKind = {
  ApiToken: 'apiToken',
  Application: 'application',
  Cluster: 'cluster',
  Fleet: 'fleet',
  NotificationSubscription: 'notificationSubscription',
  Placement: 'placement',
  Project: 'project',
  RegistrationToken: 'registrationToken',
  Rollout: 'rollout'
} as const;

export type EventTargetKind = typeof EventTargetKind[keyof typeof EventTargetKind];
/** A custom health rule: objects of the apiVersion group and kind are judged by CEL expressions over the object (its fields are the variables: status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')), asked in the order inProgress, failed, current; none true means InProgress. As Flux healthCheckExprs. */
export type HealthCheckInput = {
  apiVersion: string;
  current: string;
  failed?: string | null | undefined;
  inProgress?: string | null | undefined;
  kind: string;
};

export type HelmSettingsInput = {
  /** Default true. */
  includeCRDs?: boolean | null | undefined;
  /** Default: the application's name. */
  releaseName?: string | null | undefined;
};

/** What a cluster joining the placement while a rollout runs gets. settled: the settled revision at once (the new one with the next rollout); wave (default): it joins the rollout in the wave its labels match, assigned with that wave or at once if the wave already passed. */
export const JoinPolicy = {
  Settled: 'settled',
  Wave: 'wave'
} as const;

export type JoinPolicy = typeof JoinPolicy[keyof typeof JoinPolicy];
export type PlacementFilter = {
  /** An application name. */
  application?: string | null | undefined;
  /** true: only pairs behind their desired revision. */
  behind?: boolean | null | undefined;
  /** A label selector over the clusters (kubectl syntax). */
  clusterSelector?: string | null | undefined;
  /** true: only pairs with drift corrections in the last hour; false: only those without. */
  drifted?: boolean | null | undefined;
  /** Only these phases. */
  phase?: Array<PlacementPhase> | null | undefined;
};

/** What the cluster's agent reports for the application (Pending … Stalled), Missing when it reports nothing for it, Removing while the hub withdraws it. */
export const PlacementPhase = {
  Applying: 'Applying',
  Degraded: 'Degraded',
  Failed: 'Failed',
  Healthy: 'Healthy',
  Missing: 'Missing',
  Pending: 'Pending',
  Progressing: 'Progressing',
  Removing: 'Removing',
  Stalled: 'Stalled'
} as const;

export type PlacementPhase = typeof PlacementPhase[keyof typeof PlacementPhase];
/** Why a placement behind its desired revision is not moving to it now. */
export const PlacementWaitKind = {
  InRollout: 'inRollout',
  Maintenance: 'maintenance',
  NotConnected: 'notConnected',
  Offline: 'offline',
  Queued: 'queued',
  RolloutInProgress: 'rolloutInProgress',
  TriedBefore: 'triedBefore'
} as const;

export type PlacementWaitKind = typeof PlacementWaitKind[keyof typeof PlacementWaitKind];
/** A time window of a plan (docs/rollouts.md#time-windows). */
export type PlanWindowInput = {
  /** How long it stays open, e.g. 8h or 90m. */
  duration: string;
  /** allow or deny. */
  kind: string;
  /** When it opens: a 5-field cron expression. */
  schedule: string;
  /** IANA time zone of the schedule; default UTC. */
  timeZone?: string | null | undefined;
};

export type ProjectMemberInput = {
  role: Role;
  subject: string;
};

/** When an agent deletes and re-creates an object whose apply is refused because a field is immutable (a Job template, a Service clusterIP, a selector). never; annotated (default): only objects annotated fleetwave.io/recreate: "true"; always. Otherwise the bundle fails, naming the object and the field. */
export const RecreatePolicy = {
  Always: 'always',
  Annotated: 'annotated',
  Never: 'never'
} as const;

export type RecreatePolicy = typeof RecreatePolicy[keyof typeof RecreatePolicy];
/** viewer reads; operator also changes clusters and registration tokens; admin also manages API tokens. */
export const Role = {
  Admin: 'admin',
  Operator: 'operator',
  Viewer: 'viewer'
} as const;

export type Role = typeof Role[keyof typeof Role];
/** rollout: a revision to the fleet; rollback: back to an earlier one; catchup: clusters that joined the placement brought to the application's settled revision (never rolled back, never the settled revision itself). */
export const RolloutKind = {
  Catchup: 'catchup',
  Reconfigure: 'reconfigure',
  Rollback: 'rollback',
  Rollout: 'rollout'
} as const;

export type RolloutKind = typeof RolloutKind[keyof typeof RolloutKind];
/** Pending, Progressing, Soaking, AwaitingApproval and Paused can still move; the others are final. */
export const RolloutState = {
  Aborted: 'Aborted',
  AwaitingApproval: 'AwaitingApproval',
  Failed: 'Failed',
  Paused: 'Paused',
  Pending: 'Pending',
  Progressing: 'Progressing',
  RolledBack: 'RolledBack',
  Soaking: 'Soaking',
  Succeeded: 'Succeeded',
  Superseded: 'Superseded'
} as const;

export type RolloutState = typeof RolloutState[keyof typeof RolloutState];
/** verified: a good signature by a trusted key; unsigned; untrusted: signed by a key the application does not trust (keyId names it); invalid: unreadable, of the other format, or a signature that does not verify. */
export const SignatureStatus = {
  Invalid: 'invalid',
  Unsigned: 'unsigned',
  Untrusted: 'untrusted',
  Verified: 'verified'
} as const;

export type SignatureStatus = typeof SignatureStatus[keyof typeof SignatureStatus];
/** auto: a new commit on the ref starts its rollout; manual: an operator starts rollouts. */
export const SyncPolicy = {
  Auto: 'auto',
  Manual: 'manual'
} as const;

export type SyncPolicy = typeof SyncPolicy[keyof typeof SyncPolicy];
/** Only the fields given change. credentialsRef, defaultNamespace, chart and verify are cleared with null; null elsewhere is refused. */
export type UpdateApplicationInput = {
  allowEmpty?: boolean | null | undefined;
  /** Replaces the chart source; null removes it. */
  chart?: ChartSourceInput | null | undefined;
  credentialsRef?: string | null | undefined;
  defaultNamespace?: string | null | undefined;
  deletionPolicy?: DeletionPolicy | null | undefined;
  /** Replaces every rule; [] removes them. */
  healthChecks?: Array<HealthCheckInput> | null | undefined;
  /** Replaces the Helm settings (absent fields: defaults). */
  helm?: HelmSettingsInput | null | undefined;
  joinPolicy?: JoinPolicy | null | undefined;
  path?: string | null | undefined;
  /** The wave plan: { waves: [{ name, selector, maxConcurrency, failureBudget, soakSeconds, requireApproval, progressDeadlineSeconds, offlinePolicy, spreadBy, failureCorrelation: { labels, minFailures, share } }], rest: { ...settings of the implicit last wave }, autoRollback, windows: [{ kind: allow|deny, schedule: "<5-field cron>", duration: "2h", timeZone: "Europe/Berlin" }] }. null keeps the plan. */
  plan?: unknown;
  /** Replaces only the plan's time windows ([] removes them), keeping its other settings as they are when the change is made (or as `plan` gives them). */
  planWindows?: Array<PlanWindowInput> | null | undefined;
  pollIntervalSeconds?: number | null | undefined;
  /** Moves it to another project: needs operator in both, and it must be within the new bounds. */
  project?: string | null | undefined;
  prune?: boolean | null | undefined;
  recreate?: RecreatePolicy | null | undefined;
  ref?: string | null | undefined;
  renderer?: string | null | undefined;
  repoUrl?: string | null | undefined;
  syncPolicy?: SyncPolicy | null | undefined;
  targetSelector?: string | null | undefined;
  values?: unknown;
  valuesFiles?: Array<string> | null | undefined;
  valuesRules?: Array<ValuesRuleInput> | null | undefined;
  /** Replaces the signed-commit requirement; null removes it. */
  verify?: CommitVerificationInput | null | undefined;
};

export type ValuesRuleInput = {
  selector: string;
  /** A YAML object (nested maps and lists allowed). */
  values: unknown;
};

/** gpg: commits signed with OpenPGP (git commit -S); ssh: signed with an SSH key (gpg.format=ssh). */
export const VerifyMode = {
  Gpg: 'gpg',
  Ssh: 'ssh'
} as const;

export type VerifyMode = typeof VerifyMode[keyof typeof VerifyMode];
export type DashboardApplicationSummaryFieldsFragment = { name: string, repoUrl: string, ref: string, path: string, syncPolicy: SyncPolicy, latestCommit: string | null, lastSyncedAt: string | null, lastSyncError: string | null };

export type DashboardApplicationsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardApplicationsQuery = { applications: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { name: string, repoUrl: string, ref: string, path: string, syncPolicy: SyncPolicy, latestCommit: string | null, lastSyncedAt: string | null, lastSyncError: string | null } }> } };

export type DashboardApplicationQueryVariables = Exact<{
  name: string;
}>;


export type DashboardApplicationQuery = { application: { id: string, targetSelector: string, credentialsRef: string | null, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, plan: unknown, renderer: string, name: string, repoUrl: string, ref: string, path: string, syncPolicy: SyncPolicy, latestCommit: string | null, lastSyncedAt: string | null, lastSyncError: string | null, chart: { repository: string, name: string, version: string } | null, valuesRules: Array<{ selector: string, values: unknown }>, latestRevision: { commit: string, gitCommit: string, author: string, message: string, committedAt: string, error: string | null, renderError: string | null, chart: { name: string, version: string, digest: string } | null, signature: { status: SignatureStatus, keyId: string | null, signer: string | null } | null } | null, rollouts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, applicationName: string, kind: RolloutKind, state: RolloutState, paused: boolean, commit: string, createdBy: string, createdAt: string, finishedAt: string | null, message: string | null, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null } }> } } | null };

export type DashboardSyncApplicationMutationVariables = Exact<{
  name: string;
}>;


export type DashboardSyncApplicationMutation = { syncApplication: { commit: string | null, rolloutId: string | null, error: string | null } };

export type DashboardClusterFieldsFragment = { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null };

export type DashboardClustersQueryVariables = Exact<{
  selector?: string | null | undefined;
  status?: ClusterStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardClustersQuery = { clusters: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null } }> } };

export type DashboardClusterChangedSubscriptionVariables = Exact<{
  selector?: string | null | undefined;
}>;


export type DashboardClusterChangedSubscription = { clusterChanged: { action: string, cluster: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null } } };

export type DashboardFleetFieldsFragment = { freeze: { reason: string, by: string, since: string, until: string | null } | null };

export type DashboardFleetQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardFleetQuery = { fleet: { freeze: { reason: string, by: string, since: string, until: string | null } | null } };

export type DashboardUnfreezeFleetMutationVariables = Exact<{ [key: string]: never; }>;


export type DashboardUnfreezeFleetMutation = { unfreezeFleet: { freeze: { reason: string, by: string, since: string, until: string | null } | null } };

export type DashboardNotificationsQueryVariables = Exact<{
  first: number;
}>;


export type DashboardNotificationsQuery = { notificationSubscriptions: Array<{ id: string, application: string | null, project: string | null, kinds: Array<string>, format: string, targetOrigin: string, signed: boolean, createdBy: string, createdAt: string, deliveries: Array<{ id: string, eventId: string, kind: string, status: string, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string }> }> };

export type DashboardPlacementsQueryVariables = Exact<{
  filter?: PlacementFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardPlacementsQuery = { placements: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { application: string, phase: PlacementPhase, behind: boolean, desiredCommit: string | null, reportedCommit: string | null, ready: number | null, total: number | null, failingCount: number, driftCorrections: number, driftCorrectionsLastHour: number, lastReportAt: string | null, cluster: { id: string, name: string }, failing: Array<{ id: string, reason: string, message: string }>, maintenance: { reason: string } | null, waiting: { kind: PlacementWaitKind, message: string } | null } }> } };

export type DashboardBlockingFieldsFragment = { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null };

export type DashboardRolloutSummaryFieldsFragment = { id: string, applicationName: string, kind: RolloutKind, state: RolloutState, paused: boolean, commit: string, createdBy: string, createdAt: string, finishedAt: string | null, message: string | null, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null };

export type DashboardRolloutFieldsFragment = { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> };

export type DashboardRolloutQueryVariables = Exact<{
  id: string | number;
}>;


export type DashboardRolloutQuery = { rollout: { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> } | null };

export type DashboardRolloutChangedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type DashboardRolloutChangedSubscription = { rolloutChanged: { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> } | null };

export type DashboardRolloutsQueryVariables = Exact<{
  state?: Array<RolloutState> | RolloutState | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type DashboardRolloutsQuery = { rollouts: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, applicationName: string, kind: RolloutKind, state: RolloutState, paused: boolean, commit: string, createdBy: string, createdAt: string, finishedAt: string | null, message: string | null, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null } }> } };

export type DashboardStartRolloutMutationVariables = Exact<{
  application: string;
}>;


export type DashboardStartRolloutMutation = { startRollout: { id: string } };

export type DashboardApproveMutationVariables = Exact<{
  id: string | number;
  wave?: string | null | undefined;
}>;


export type DashboardApproveMutation = { approveWave: { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> } };

export type DashboardPauseMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardPauseMutation = { pauseRollout: { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> } };

export type DashboardResumeMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardResumeMutation = { resumeRollout: { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> } };

export type DashboardAbortMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardAbortMutation = { abortRollout: { id: string, applicationName: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, commit: string, currentWave: number, createdBy: string, createdAt: string, updatedAt: string, finishedAt: string | null, message: string | null, revision: { commit: string, author: string, message: string, committedAt: string, error: string | null } | null, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence }, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number }, blocking: { kind: BlockingKind, message: string, opensAt: string | null, reason: string | null, by: string | null, since: string | null, until: string | null, changing: number | null, share: number | null, held: number | null, limit: number | null } | null, eta: { at: string | null, basis: EtaBasis } }>, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, assignedAt: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, verificationRuns: Array<{ id: string, wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }> } };

export type DashboardRollbackMutationVariables = Exact<{
  id: string | number;
}>;


export type DashboardRollbackMutation = { rollbackRollout: { id: string } };

export type DashboardViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardViewerQuery = { viewer: { name: string, roles: Array<Role>, projects: Array<{ name: string, role: Role }> } };

export type FleetctlApiTokenFieldsFragment = { id: string, name: string, role: Role, project: string | null, createdBy: string, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null };

export type FleetctlApiTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetctlApiTokensQuery = { apiTokens: Array<{ id: string, name: string, role: Role, project: string | null, createdBy: string, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null }> };

export type FleetctlCreateApiTokenMutationVariables = Exact<{
  name: string;
  role: Role;
  project?: string | null | undefined;
  expiresIn?: number | null | undefined;
}>;


export type FleetctlCreateApiTokenMutation = { createApiToken: { secret: string, token: { id: string, name: string, role: Role, project: string | null, createdBy: string, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null } } };

export type FleetctlRevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlRevokeApiTokenMutation = { revokeApiToken: { id: string, name: string, role: Role, project: string | null, createdBy: string, createdAt: string, expiresAt: string | null, lastUsedAt: string | null, revokedAt: string | null } };

export type FleetctlRevisionVetoFieldsFragment = { commit: string, reason: string, actor: string, at: string };

export type FleetctlApplicationFieldsFragment = { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null };

export type FleetctlApplicationsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type FleetctlApplicationsQuery = { applications: { edges: Array<{ node: { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetctlApplicationQueryVariables = Exact<{
  name: string;
}>;


export type FleetctlApplicationQuery = { application: { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null } | null };

export type FleetctlCreateApplicationMutationVariables = Exact<{
  input: CreateApplicationInput;
}>;


export type FleetctlCreateApplicationMutation = { createApplication: { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null } };

export type FleetctlUpdateApplicationMutationVariables = Exact<{
  name: string;
  input: UpdateApplicationInput;
}>;


export type FleetctlUpdateApplicationMutation = { updateApplication: { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null } };

export type FleetctlDeleteApplicationMutationVariables = Exact<{
  name: string;
  deletionPolicy?: DeletionPolicy | null | undefined;
}>;


export type FleetctlDeleteApplicationMutation = { deleteApplication: { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, deletion: { policy: DeletionPolicy, deletedAt: string | null, remaining: number } | null, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null } };

export type FleetctlSyncApplicationMutationVariables = Exact<{
  name: string;
}>;


export type FleetctlSyncApplicationMutation = { syncApplication: { commit: string | null, rolloutId: string | null, error: string | null, application: { id: string, name: string, project: string, repoUrl: string, credentialsRef: string | null, ref: string, path: string, targetSelector: string, plan: unknown, syncPolicy: SyncPolicy, pollIntervalSeconds: number, defaultNamespace: string | null, prune: boolean, joinPolicy: JoinPolicy, allowEmpty: boolean, recreate: RecreatePolicy, outOfSyncClusters: number, latestCommit: string | null, heldAt: string | null, lastSyncedAt: string | null, lastSyncError: string | null, createdAt: string, updatedAt: string, valuesRules: Array<{ selector: string, values: unknown }>, healthChecks: Array<{ apiVersion: string, kind: string, current: string, failed: string | null, inProgress: string | null }>, verify: { mode: VerifyMode, trustedKeys: Array<string> } | null, vetoes: Array<{ commit: string, reason: string, actor: string, at: string }>, latestRevision: { commit: string, author: string, authorEmail: string, committedAt: string, message: string, error: string | null, fetchedAt: string, signature: { status: SignatureStatus, keyId: string | null, signer: string | null, reason: string | null } | null } | null } } };

export type FleetctlVetoRevisionMutationVariables = Exact<{
  application: string;
  commit: string;
  reason: string;
}>;


export type FleetctlVetoRevisionMutation = { vetoRevision: { commit: string, reason: string, actor: string, at: string } };

export type FleetctlUnvetoRevisionMutationVariables = Exact<{
  application: string;
  commit: string;
}>;


export type FleetctlUnvetoRevisionMutation = { unvetoRevision: { commit: string, reason: string, actor: string, at: string } };

export type FleetctlRenderApplicationQueryVariables = Exact<{
  application: string;
  cluster: string;
  revision?: string | null | undefined;
}>;


export type FleetctlRenderApplicationQuery = { renderApplication: { commit: string, digest: string | null, manifests: string | null, error: string | null } };

export type FleetctlClusterFieldsFragment = { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } };

export type FleetctlClustersQueryVariables = Exact<{
  selector?: string | null | undefined;
  status?: ClusterStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FleetctlClustersQuery = { clusters: { edges: Array<{ node: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetctlClusterQueryVariables = Exact<{
  name: string;
}>;


export type FleetctlClusterQuery = { cluster: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } | null };

export type FleetctlCordonMutationVariables = Exact<{
  name: string;
}>;


export type FleetctlCordonMutation = { cordonCluster: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlUncordonMutationVariables = Exact<{
  name: string;
}>;


export type FleetctlUncordonMutation = { uncordonCluster: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlDeregisterMutationVariables = Exact<{
  name: string;
  deletionPolicy?: DeletionPolicy | null | undefined;
  force?: boolean | null | undefined;
}>;


export type FleetctlDeregisterMutation = { deregisterCluster: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, deregistration: { policy: DeletionPolicy } | null, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlSetLabelsMutationVariables = Exact<{
  name: string;
  labels: Record<string, string>;
}>;


export type FleetctlSetLabelsMutation = { set: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlRemoveLabelsMutationVariables = Exact<{
  name: string;
  keys: Array<string> | string;
}>;


export type FleetctlRemoveLabelsMutation = { removed: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlSetAndRemoveLabelsMutationVariables = Exact<{
  name: string;
  labels: Record<string, string>;
  keys: Array<string> | string;
}>;


export type FleetctlSetAndRemoveLabelsMutation = { set: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } }, removed: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlRevokeClusterCredentialMutationVariables = Exact<{
  name: string;
}>;


export type FleetctlRevokeClusterCredentialMutation = { revokeClusterCredential: { id: string, name: string, labels: Record<string, string>, status: ClusterStatus, cordoned: boolean, agentVersion: string | null, lastHeartbeatAt: string | null, createdAt: string, maintenance: { reason: string, since: string } | null, credential: { state: CredentialState, expiresAt: string | null, revokedAt: string | null } | null, facts: { kubernetesVersion: string | null, nodeCount: number | null, provider: string | null, region: string | null } } };

export type FleetctlEventFieldsFragment = { id: string, occurredAt: string, actor: string, action: string, project: string | null, before: unknown, after: unknown, target: { kind: EventTargetKind, id: string } };

export type FleetctlEventsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  actor?: string | null | undefined;
  action?: string | null | undefined;
  application?: string | null | undefined;
  cluster?: string | null | undefined;
  project?: string | null | undefined;
  targetKind?: EventTargetKind | null | undefined;
  targetId?: string | null | undefined;
  since?: string | null | undefined;
  until?: string | null | undefined;
}>;


export type FleetctlEventsQuery = { events: { edges: Array<{ node: { id: string, occurredAt: string, actor: string, action: string, project: string | null, before: unknown, after: unknown, target: { kind: EventTargetKind, id: string } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetctlFleetFieldsFragment = { freeze: { reason: string, by: string, since: string, until: string | null } | null };

export type FleetctlFleetQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetctlFleetQuery = { fleet: { freeze: { reason: string, by: string, since: string, until: string | null } | null } };

export type FleetctlFreezeFleetMutationVariables = Exact<{
  reason: string;
  until?: string | null | undefined;
}>;


export type FleetctlFreezeFleetMutation = { freezeFleet: { freeze: { reason: string, by: string, since: string, until: string | null } | null } };

export type FleetctlUnfreezeFleetMutationVariables = Exact<{ [key: string]: never; }>;


export type FleetctlUnfreezeFleetMutation = { unfreezeFleet: { freeze: { reason: string, by: string, since: string, until: string | null } | null } };

export type FleetctlNotificationSubscriptionFieldsFragment = { id: string, application: string | null, project: string | null, kinds: Array<string>, format: string, targetOrigin: string, signed: boolean, createdBy: string, createdAt: string };

export type FleetctlNotificationDeliveryFieldsFragment = { id: string, eventId: string, kind: string, status: string, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string };

export type FleetctlNotificationSubscriptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetctlNotificationSubscriptionsQuery = { notificationSubscriptions: Array<{ id: string, application: string | null, project: string | null, kinds: Array<string>, format: string, targetOrigin: string, signed: boolean, createdBy: string, createdAt: string }> };

export type FleetctlNotificationSubscriptionQueryVariables = Exact<{
  id: string | number;
}>;


export type FleetctlNotificationSubscriptionQuery = { notificationSubscription: { id: string, application: string | null, project: string | null, kinds: Array<string>, format: string, targetOrigin: string, signed: boolean, createdBy: string, createdAt: string } | null };

export type FleetctlNotificationDeliveriesQueryVariables = Exact<{
  id: string | number;
  first: number;
}>;


export type FleetctlNotificationDeliveriesQuery = { notificationSubscription: { id: string, deliveries: Array<{ id: string, eventId: string, kind: string, status: string, attempts: number, lastStatusCode: number | null, lastError: string | null, nextAttemptAt: string | null, deliveredAt: string | null, createdAt: string }> } | null };

export type FleetctlCreateNotificationSubscriptionMutationVariables = Exact<{
  input: CreateNotificationSubscriptionInput;
}>;


export type FleetctlCreateNotificationSubscriptionMutation = { createNotificationSubscription: { id: string, application: string | null, project: string | null, kinds: Array<string>, format: string, targetOrigin: string, signed: boolean, createdBy: string, createdAt: string } };

export type FleetctlDeleteNotificationSubscriptionMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlDeleteNotificationSubscriptionMutation = { deleteNotificationSubscription: { id: string, application: string | null, project: string | null, kinds: Array<string>, format: string, targetOrigin: string, signed: boolean, createdBy: string, createdAt: string } };

export type FleetctlProjectFieldsFragment = { name: string, description: string, sourceRepos: Array<string>, clusterSelector: string, namespaces: Array<string>, kinds: Array<string>, clusterKinds: Array<string>, createdAt: string, updatedAt: string, members: Array<{ subject: string, role: Role }> };

export type FleetctlProjectsQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetctlProjectsQuery = { projects: Array<{ name: string, description: string, sourceRepos: Array<string>, clusterSelector: string, namespaces: Array<string>, kinds: Array<string>, clusterKinds: Array<string>, createdAt: string, updatedAt: string, members: Array<{ subject: string, role: Role }> }> };

export type FleetctlProjectQueryVariables = Exact<{
  name: string;
}>;


export type FleetctlProjectQuery = { project: { name: string, description: string, sourceRepos: Array<string>, clusterSelector: string, namespaces: Array<string>, kinds: Array<string>, clusterKinds: Array<string>, createdAt: string, updatedAt: string, members: Array<{ subject: string, role: Role }> } | null };

export type FleetctlCreateProjectMutationVariables = Exact<{
  input: CreateProjectInput;
}>;


export type FleetctlCreateProjectMutation = { createProject: { name: string, description: string, sourceRepos: Array<string>, clusterSelector: string, namespaces: Array<string>, kinds: Array<string>, clusterKinds: Array<string>, createdAt: string, updatedAt: string, members: Array<{ subject: string, role: Role }> } };

export type FleetctlDeleteProjectMutationVariables = Exact<{
  name: string;
}>;


export type FleetctlDeleteProjectMutation = { deleteProject: { name: string, description: string, sourceRepos: Array<string>, clusterSelector: string, namespaces: Array<string>, kinds: Array<string>, clusterKinds: Array<string>, createdAt: string, updatedAt: string, members: Array<{ subject: string, role: Role }> } };

export type FleetctlRolloutSummaryFieldsFragment = { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } };

export type FleetctlRolloutFieldsFragment = { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } };

export type FleetctlRolloutsQueryVariables = Exact<{
  application?: string | null | undefined;
  state?: Array<RolloutState> | RolloutState | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FleetctlRolloutsQuery = { rollouts: { edges: Array<{ node: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetctlPreviewQueryVariables = Exact<{
  application: string;
  revision?: string | null | undefined;
  plan?: unknown;
}>;


export type FleetctlPreviewQuery = { previewRollout: { application: string, commit: string | null, plan: unknown, renderErrors: Array<string>, waves: Array<{ index: number, name: string, selector: string, clusters: Array<{ name: string, digest: string | null }> }>, excluded: Array<{ name: string, wave: string, reason: string }>, bundles: Array<{ digest: string, clusters: number, objects: number }> } };

export type FleetctlPreviewDiffQueryVariables = Exact<{
  application: string;
  revision?: string | null | undefined;
  plan?: unknown;
}>;


export type FleetctlPreviewDiffQuery = { previewRollout: { application: string, commit: string | null, renderErrors: Array<string>, diff: Array<{ clusters: Array<string>, changes: Array<{ object: string, change: string, diff: string }> }> } };

export type FleetctlRolloutQueryVariables = Exact<{
  id: string | number;
}>;


export type FleetctlRolloutQuery = { rollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } | null };

export type FleetctlRolloutWithClustersQueryVariables = Exact<{
  id: string | number;
}>;


export type FleetctlRolloutWithClustersQuery = { rollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, clusters: Array<{ name: string, wave: string, phase: AssignmentPhase, targetCommit: string | null, targetDigest: string | null, assignedAt: string | null, reportedDigest: string | null, reportedAt: string | null, failing: Array<{ id: string, reason: string, message: string }>, blocking: { kind: BlockingKind, message: string } | null }>, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } | null };

export type FleetctlRolloutChangedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type FleetctlRolloutChangedSubscription = { rolloutChanged: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } | null };

export type FleetctlStartMutationVariables = Exact<{
  application: string;
  revision?: string | null | undefined;
  force?: boolean | null | undefined;
}>;


export type FleetctlStartMutation = { startRollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlApproveWaveMutationVariables = Exact<{
  id: string | number;
  wave?: string | null | undefined;
}>;


export type FleetctlApproveWaveMutation = { approveWave: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlPauseRolloutMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlPauseRolloutMutation = { pauseRollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlResumeRolloutMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlResumeRolloutMutation = { resumeRollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlAbortRolloutMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlAbortRolloutMutation = { abortRollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlRetryClusterMutationVariables = Exact<{
  id: string | number;
  cluster: string;
}>;


export type FleetctlRetryClusterMutation = { retryCluster: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlSkipClusterMutationVariables = Exact<{
  id: string | number;
  cluster: string;
}>;


export type FleetctlSkipClusterMutation = { skipCluster: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlRollbackRolloutMutationVariables = Exact<{
  id: string | number;
  commit?: string | null | undefined;
}>;


export type FleetctlRollbackRolloutMutation = { rollbackRollout: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlOverrideFreezeMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlOverrideFreezeMutation = { overrideFreeze: { id: string, applicationName: string, commit: string, kind: RolloutKind, rollbackOf: string | null, rolledBackBy: string | null, state: RolloutState, paused: boolean, currentWave: number, createdBy: string, message: string | null, createdAt: string, updatedAt: string, finishedAt: string | null, waves: Array<{ index: number, name: string, selector: string, size: number, failed: number, failureLimit: number, concurrencyLimit: number, soakSeconds: number, requireApproval: boolean, startedAt: string | null, healthyAt: string | null, approvedBy: string | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis }, counts: { pending: number, assigned: number, applying: number, progressing: number, healthy: number, degraded: number, failed: number, timedOut: number, skipped: number } }>, verificationRuns: Array<{ wave: string, check: string, kind: string, target: string, attempt: number, result: string | null, message: string, durationMs: number | null }>, revision: { author: string, message: string } | null, blocking: { kind: BlockingKind, message: string } | null, eta: { at: string | null, basis: EtaBasis, confidence: EtaConfidence } } };

export type FleetctlPlacementFieldsFragment = { application: string, placed: boolean, phase: PlacementPhase, behind: boolean, desiredCommit: string | null, desiredDigest: string | null, reportedCommit: string | null, reportedDigest: string | null, ready: number | null, total: number | null, failingCount: number, driftCorrections: number, driftCorrectionsLastHour: number, lastDriftAt: string | null, assignedAt: string | null, lastAppliedAt: string | null, lastReportAt: string | null, cluster: { id: string, name: string }, failing: Array<{ id: string, reason: string, message: string }>, maintenance: { reason: string, since: string } | null, waiting: { kind: PlacementWaitKind, message: string } | null };

export type FleetctlStatusQueryVariables = Exact<{
  filter?: PlacementFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type FleetctlStatusQuery = { placements: { edges: Array<{ node: { application: string, placed: boolean, phase: PlacementPhase, behind: boolean, desiredCommit: string | null, desiredDigest: string | null, reportedCommit: string | null, reportedDigest: string | null, ready: number | null, total: number | null, failingCount: number, driftCorrections: number, driftCorrectionsLastHour: number, lastDriftAt: string | null, assignedAt: string | null, lastAppliedAt: string | null, lastReportAt: string | null, cluster: { id: string, name: string }, failing: Array<{ id: string, reason: string, message: string }>, maintenance: { reason: string, since: string } | null, waiting: { kind: PlacementWaitKind, message: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type FleetctlRegistrationTokenFieldsFragment = { id: string, description: string, defaultLabels: Record<string, string>, expiresAt: string | null, maxUses: number | null, uses: number, revokedAt: string | null, createdBy: string, createdAt: string };

export type FleetctlRegistrationTokensQueryVariables = Exact<{ [key: string]: never; }>;


export type FleetctlRegistrationTokensQuery = { registrationTokens: Array<{ id: string, description: string, defaultLabels: Record<string, string>, expiresAt: string | null, maxUses: number | null, uses: number, revokedAt: string | null, createdBy: string, createdAt: string }> };

export type FleetctlCreateRegistrationTokenMutationVariables = Exact<{
  input: CreateRegistrationTokenInput;
}>;


export type FleetctlCreateRegistrationTokenMutation = { createRegistrationToken: { secret: string, token: { id: string, description: string, defaultLabels: Record<string, string>, expiresAt: string | null, maxUses: number | null, uses: number, revokedAt: string | null, createdBy: string, createdAt: string } } };

export type FleetctlRevokeRegistrationTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type FleetctlRevokeRegistrationTokenMutation = { revokeRegistrationToken: { id: string, description: string, defaultLabels: Record<string, string>, expiresAt: string | null, maxUses: number | null, uses: number, revokedAt: string | null, createdBy: string, createdAt: string } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const DashboardApplicationSummaryFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardApplicationSummaryFields on Application {
  name
  repoUrl
  ref
  path
  syncPolicy
  latestCommit
  lastSyncedAt
  lastSyncError
}
    `, {"fragmentName":"DashboardApplicationSummaryFields"}) as unknown as TypedDocumentString<DashboardApplicationSummaryFieldsFragment, unknown>;
export const DashboardClusterFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  agentVersion
  lastHeartbeatAt
}
    `, {"fragmentName":"DashboardClusterFields"}) as unknown as TypedDocumentString<DashboardClusterFieldsFragment, unknown>;
export const DashboardFleetFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}
    `, {"fragmentName":"DashboardFleetFields"}) as unknown as TypedDocumentString<DashboardFleetFieldsFragment, unknown>;
export const DashboardRolloutSummaryFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardRolloutSummaryFields on Rollout {
  id
  applicationName
  kind
  state
  paused
  commit
  createdBy
  createdAt
  finishedAt
  message
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
}
    `, {"fragmentName":"DashboardRolloutSummaryFields"}) as unknown as TypedDocumentString<DashboardRolloutSummaryFieldsFragment, unknown>;
export const DashboardBlockingFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
    `, {"fragmentName":"DashboardBlockingFields"}) as unknown as TypedDocumentString<DashboardBlockingFieldsFragment, unknown>;
export const DashboardRolloutFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}`, {"fragmentName":"DashboardRolloutFields"}) as unknown as TypedDocumentString<DashboardRolloutFieldsFragment, unknown>;
export const FleetctlApiTokenFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlApiTokenFields on ApiToken {
  id
  name
  role
  project
  createdBy
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}
    `, {"fragmentName":"FleetctlApiTokenFields"}) as unknown as TypedDocumentString<FleetctlApiTokenFieldsFragment, unknown>;
export const FleetctlRevisionVetoFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
    `, {"fragmentName":"FleetctlRevisionVetoFields"}) as unknown as TypedDocumentString<FleetctlRevisionVetoFieldsFragment, unknown>;
export const FleetctlApplicationFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}`, {"fragmentName":"FleetctlApplicationFields"}) as unknown as TypedDocumentString<FleetctlApplicationFieldsFragment, unknown>;
export const FleetctlClusterFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}
    `, {"fragmentName":"FleetctlClusterFields"}) as unknown as TypedDocumentString<FleetctlClusterFieldsFragment, unknown>;
export const FleetctlEventFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlEventFields on Event {
  id
  occurredAt
  actor
  action
  target {
    kind
    id
  }
  project
  before
  after
}
    `, {"fragmentName":"FleetctlEventFields"}) as unknown as TypedDocumentString<FleetctlEventFieldsFragment, unknown>;
export const FleetctlFleetFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}
    `, {"fragmentName":"FleetctlFleetFields"}) as unknown as TypedDocumentString<FleetctlFleetFieldsFragment, unknown>;
export const FleetctlNotificationSubscriptionFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlNotificationSubscriptionFields on NotificationSubscription {
  id
  application
  project
  kinds
  format
  targetOrigin
  signed
  createdBy
  createdAt
}
    `, {"fragmentName":"FleetctlNotificationSubscriptionFields"}) as unknown as TypedDocumentString<FleetctlNotificationSubscriptionFieldsFragment, unknown>;
export const FleetctlNotificationDeliveryFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlNotificationDeliveryFields on NotificationDelivery {
  id
  eventId
  kind
  status
  attempts
  lastStatusCode
  lastError
  nextAttemptAt
  deliveredAt
  createdAt
}
    `, {"fragmentName":"FleetctlNotificationDeliveryFields"}) as unknown as TypedDocumentString<FleetctlNotificationDeliveryFieldsFragment, unknown>;
export const FleetctlProjectFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlProjectFields on Project {
  name
  description
  sourceRepos
  clusterSelector
  namespaces
  kinds
  clusterKinds
  members {
    subject
    role
  }
  createdAt
  updatedAt
}
    `, {"fragmentName":"FleetctlProjectFields"}) as unknown as TypedDocumentString<FleetctlProjectFieldsFragment, unknown>;
export const FleetctlRolloutSummaryFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
    `, {"fragmentName":"FleetctlRolloutSummaryFields"}) as unknown as TypedDocumentString<FleetctlRolloutSummaryFieldsFragment, unknown>;
export const FleetctlRolloutFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}`, {"fragmentName":"FleetctlRolloutFields"}) as unknown as TypedDocumentString<FleetctlRolloutFieldsFragment, unknown>;
export const FleetctlPlacementFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlPlacementFields on Placement {
  cluster {
    id
    name
  }
  application
  placed
  phase
  behind
  desiredCommit
  desiredDigest
  reportedCommit
  reportedDigest
  ready
  total
  failing {
    id
    reason
    message
  }
  failingCount
  driftCorrections
  driftCorrectionsLastHour
  lastDriftAt
  assignedAt
  lastAppliedAt
  lastReportAt
  maintenance {
    reason
    since
  }
  waiting {
    kind
    message
  }
}
    `, {"fragmentName":"FleetctlPlacementFields"}) as unknown as TypedDocumentString<FleetctlPlacementFieldsFragment, unknown>;
export const FleetctlRegistrationTokenFieldsFragmentDoc = /*#__PURE__*/ new TypedDocumentString(`
    fragment FleetctlRegistrationTokenFields on RegistrationToken {
  id
  description
  defaultLabels
  expiresAt
  maxUses
  uses
  revokedAt
  createdBy
  createdAt
}
    `, {"fragmentName":"FleetctlRegistrationTokenFields"}) as unknown as TypedDocumentString<FleetctlRegistrationTokenFieldsFragment, unknown>;
export const DashboardApplicationsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardApplications($first: Int, $after: String) {
  applications(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...DashboardApplicationSummaryFields
      }
    }
  }
}
    fragment DashboardApplicationSummaryFields on Application {
  name
  repoUrl
  ref
  path
  syncPolicy
  latestCommit
  lastSyncedAt
  lastSyncError
}`) as unknown as TypedDocumentString<DashboardApplicationsQuery, DashboardApplicationsQueryVariables>;
export const DashboardApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardApplication($name: String!) {
  application(name: $name) {
    id
    ...DashboardApplicationSummaryFields
    targetSelector
    credentialsRef
    pollIntervalSeconds
    defaultNamespace
    prune
    plan
    renderer
    chart {
      repository
      name
      version
    }
    valuesRules {
      selector
      values
    }
    latestRevision {
      commit
      gitCommit
      author
      message
      committedAt
      error
      renderError
      chart {
        name
        version
        digest
      }
      signature {
        status
        keyId
        signer
      }
    }
    rollouts(first: 20) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          ...DashboardRolloutSummaryFields
        }
      }
    }
  }
}
    fragment DashboardApplicationSummaryFields on Application {
  name
  repoUrl
  ref
  path
  syncPolicy
  latestCommit
  lastSyncedAt
  lastSyncError
}
fragment DashboardRolloutSummaryFields on Rollout {
  id
  applicationName
  kind
  state
  paused
  commit
  createdBy
  createdAt
  finishedAt
  message
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
}`) as unknown as TypedDocumentString<DashboardApplicationQuery, DashboardApplicationQueryVariables>;
export const DashboardSyncApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardSyncApplication($name: String!) {
  syncApplication(name: $name) {
    commit
    rolloutId
    error
  }
}
    `) as unknown as TypedDocumentString<DashboardSyncApplicationMutation, DashboardSyncApplicationMutationVariables>;
export const DashboardClustersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardClusters($selector: String, $status: ClusterStatus, $first: Int, $after: String) {
  clusters(selector: $selector, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...DashboardClusterFields
      }
    }
  }
}
    fragment DashboardClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  agentVersion
  lastHeartbeatAt
}`) as unknown as TypedDocumentString<DashboardClustersQuery, DashboardClustersQueryVariables>;
export const DashboardClusterChangedDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription DashboardClusterChanged($selector: String) {
  clusterChanged(selector: $selector) {
    action
    cluster {
      ...DashboardClusterFields
    }
  }
}
    fragment DashboardClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  agentVersion
  lastHeartbeatAt
}`) as unknown as TypedDocumentString<DashboardClusterChangedSubscription, DashboardClusterChangedSubscriptionVariables>;
export const DashboardFleetDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardFleet {
  fleet {
    ...DashboardFleetFields
  }
}
    fragment DashboardFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}`) as unknown as TypedDocumentString<DashboardFleetQuery, DashboardFleetQueryVariables>;
export const DashboardUnfreezeFleetDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardUnfreezeFleet {
  unfreezeFleet {
    ...DashboardFleetFields
  }
}
    fragment DashboardFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}`) as unknown as TypedDocumentString<DashboardUnfreezeFleetMutation, DashboardUnfreezeFleetMutationVariables>;
export const DashboardNotificationsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardNotifications($first: Int!) {
  notificationSubscriptions {
    id
    application
    project
    kinds
    format
    targetOrigin
    signed
    createdBy
    createdAt
    deliveries(first: $first) {
      id
      eventId
      kind
      status
      attempts
      lastStatusCode
      lastError
      nextAttemptAt
      deliveredAt
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardNotificationsQuery, DashboardNotificationsQueryVariables>;
export const DashboardPlacementsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardPlacements($filter: PlacementFilter, $first: Int, $after: String) {
  placements(filter: $filter, first: $first, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        cluster {
          id
          name
        }
        application
        phase
        behind
        desiredCommit
        reportedCommit
        ready
        total
        failing {
          id
          reason
          message
        }
        failingCount
        driftCorrections
        driftCorrectionsLastHour
        lastReportAt
        maintenance {
          reason
        }
        waiting {
          kind
          message
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardPlacementsQuery, DashboardPlacementsQueryVariables>;
export const DashboardRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardRollout($id: ID!) {
  rollout(id: $id) {
    ...DashboardRolloutFields
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<DashboardRolloutQuery, DashboardRolloutQueryVariables>;
export const DashboardRolloutChangedDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription DashboardRolloutChanged($id: ID!) {
  rolloutChanged(id: $id) {
    ...DashboardRolloutFields
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<DashboardRolloutChangedSubscription, DashboardRolloutChangedSubscriptionVariables>;
export const DashboardRolloutsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardRollouts($state: [RolloutState!], $first: Int, $after: String) {
  rollouts(state: $state, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      node {
        ...DashboardRolloutSummaryFields
      }
    }
  }
}
    fragment DashboardRolloutSummaryFields on Rollout {
  id
  applicationName
  kind
  state
  paused
  commit
  createdBy
  createdAt
  finishedAt
  message
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
}`) as unknown as TypedDocumentString<DashboardRolloutsQuery, DashboardRolloutsQueryVariables>;
export const DashboardStartRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardStartRollout($application: String!) {
  startRollout(application: $application) {
    id
  }
}
    `) as unknown as TypedDocumentString<DashboardStartRolloutMutation, DashboardStartRolloutMutationVariables>;
export const DashboardApproveDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardApprove($id: ID!, $wave: String) {
  approveWave(id: $id, wave: $wave) {
    ...DashboardRolloutFields
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<DashboardApproveMutation, DashboardApproveMutationVariables>;
export const DashboardPauseDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardPause($id: ID!) {
  pauseRollout(id: $id) {
    ...DashboardRolloutFields
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<DashboardPauseMutation, DashboardPauseMutationVariables>;
export const DashboardResumeDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardResume($id: ID!) {
  resumeRollout(id: $id) {
    ...DashboardRolloutFields
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<DashboardResumeMutation, DashboardResumeMutationVariables>;
export const DashboardAbortDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardAbort($id: ID!) {
  abortRollout(id: $id) {
    ...DashboardRolloutFields
  }
}
    fragment DashboardBlockingFields on BlockingReason {
  kind
  message
  opensAt
  reason
  by
  since
  until
  changing
  share
  held
  limit
}
fragment DashboardRolloutFields on Rollout {
  id
  applicationName
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  commit
  currentWave
  createdBy
  createdAt
  updatedAt
  finishedAt
  message
  revision {
    commit
    author
    message
    committedAt
    error
  }
  blocking {
    ...DashboardBlockingFields
  }
  eta {
    at
    basis
    confidence
  }
  waves {
    index
    name
    selector
    size
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      ...DashboardBlockingFields
    }
    eta {
      at
      basis
    }
  }
  clusters {
    name
    wave
    phase
    assignedAt
    reportedAt
    failing {
      id
      reason
      message
    }
    blocking {
      kind
      message
    }
  }
  verificationRuns {
    id
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<DashboardAbortMutation, DashboardAbortMutationVariables>;
export const DashboardRollbackDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation DashboardRollback($id: ID!) {
  rollbackRollout(id: $id) {
    id
  }
}
    `) as unknown as TypedDocumentString<DashboardRollbackMutation, DashboardRollbackMutationVariables>;
export const DashboardViewerDocument = /*#__PURE__*/ new TypedDocumentString(`
    query DashboardViewer {
  viewer {
    name
    roles
    projects {
      name
      role
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardViewerQuery, DashboardViewerQueryVariables>;
export const FleetctlApiTokensDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlApiTokens {
  apiTokens {
    ...FleetctlApiTokenFields
  }
}
    fragment FleetctlApiTokenFields on ApiToken {
  id
  name
  role
  project
  createdBy
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<FleetctlApiTokensQuery, FleetctlApiTokensQueryVariables>;
export const FleetctlCreateApiTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlCreateApiToken($name: String!, $role: Role!, $project: String, $expiresIn: Int) {
  createApiToken(
    name: $name
    role: $role
    project: $project
    expiresIn: $expiresIn
  ) {
    secret
    token {
      ...FleetctlApiTokenFields
    }
  }
}
    fragment FleetctlApiTokenFields on ApiToken {
  id
  name
  role
  project
  createdBy
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<FleetctlCreateApiTokenMutation, FleetctlCreateApiTokenMutationVariables>;
export const FleetctlRevokeApiTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlRevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    ...FleetctlApiTokenFields
  }
}
    fragment FleetctlApiTokenFields on ApiToken {
  id
  name
  role
  project
  createdBy
  createdAt
  expiresAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<FleetctlRevokeApiTokenMutation, FleetctlRevokeApiTokenMutationVariables>;
export const FleetctlApplicationsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlApplications($after: String) {
  applications(first: 100, after: $after) {
    edges {
      node {
        ...FleetctlApplicationFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}`) as unknown as TypedDocumentString<FleetctlApplicationsQuery, FleetctlApplicationsQueryVariables>;
export const FleetctlApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlApplication($name: String!) {
  application(name: $name) {
    ...FleetctlApplicationFields
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}`) as unknown as TypedDocumentString<FleetctlApplicationQuery, FleetctlApplicationQueryVariables>;
export const FleetctlCreateApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlCreateApplication($input: CreateApplicationInput!) {
  createApplication(input: $input) {
    ...FleetctlApplicationFields
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}`) as unknown as TypedDocumentString<FleetctlCreateApplicationMutation, FleetctlCreateApplicationMutationVariables>;
export const FleetctlUpdateApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlUpdateApplication($name: String!, $input: UpdateApplicationInput!) {
  updateApplication(name: $name, input: $input) {
    ...FleetctlApplicationFields
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}`) as unknown as TypedDocumentString<FleetctlUpdateApplicationMutation, FleetctlUpdateApplicationMutationVariables>;
export const FleetctlDeleteApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlDeleteApplication($name: String!, $deletionPolicy: DeletionPolicy) {
  deleteApplication(name: $name, deletionPolicy: $deletionPolicy) {
    ...FleetctlApplicationFields
    deletion {
      policy
      deletedAt
      remaining
    }
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}`) as unknown as TypedDocumentString<FleetctlDeleteApplicationMutation, FleetctlDeleteApplicationMutationVariables>;
export const FleetctlSyncApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlSyncApplication($name: String!) {
  syncApplication(name: $name) {
    commit
    rolloutId
    error
    application {
      ...FleetctlApplicationFields
    }
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}
fragment FleetctlApplicationFields on Application {
  id
  name
  project
  repoUrl
  credentialsRef
  ref
  path
  targetSelector
  valuesRules {
    selector
    values
  }
  plan
  syncPolicy
  pollIntervalSeconds
  defaultNamespace
  prune
  joinPolicy
  allowEmpty
  healthChecks {
    apiVersion
    kind
    current
    failed
    inProgress
  }
  recreate
  verify {
    mode
    trustedKeys
  }
  outOfSyncClusters
  latestCommit
  heldAt
  vetoes {
    ...FleetctlRevisionVetoFields
  }
  lastSyncedAt
  lastSyncError
  createdAt
  updatedAt
  latestRevision {
    commit
    author
    authorEmail
    committedAt
    message
    error
    fetchedAt
    signature {
      status
      keyId
      signer
      reason
    }
  }
}`) as unknown as TypedDocumentString<FleetctlSyncApplicationMutation, FleetctlSyncApplicationMutationVariables>;
export const FleetctlVetoRevisionDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlVetoRevision($application: String!, $commit: String!, $reason: String!) {
  vetoRevision(application: $application, commit: $commit, reason: $reason) {
    ...FleetctlRevisionVetoFields
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}`) as unknown as TypedDocumentString<FleetctlVetoRevisionMutation, FleetctlVetoRevisionMutationVariables>;
export const FleetctlUnvetoRevisionDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlUnvetoRevision($application: String!, $commit: String!) {
  unvetoRevision(application: $application, commit: $commit) {
    ...FleetctlRevisionVetoFields
  }
}
    fragment FleetctlRevisionVetoFields on RevisionVeto {
  commit
  reason
  actor
  at
}`) as unknown as TypedDocumentString<FleetctlUnvetoRevisionMutation, FleetctlUnvetoRevisionMutationVariables>;
export const FleetctlRenderApplicationDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlRenderApplication($application: String!, $cluster: String!, $revision: String) {
  renderApplication(
    application: $application
    cluster: $cluster
    revision: $revision
  ) {
    commit
    digest
    manifests
    error
  }
}
    `) as unknown as TypedDocumentString<FleetctlRenderApplicationQuery, FleetctlRenderApplicationQueryVariables>;
export const FleetctlClustersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlClusters($selector: String, $status: ClusterStatus, $first: Int, $after: String) {
  clusters(selector: $selector, status: $status, first: $first, after: $after) {
    edges {
      node {
        ...FleetctlClusterFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlClustersQuery, FleetctlClustersQueryVariables>;
export const FleetctlClusterDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlCluster($name: String!) {
  cluster(name: $name) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlClusterQuery, FleetctlClusterQueryVariables>;
export const FleetctlCordonDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlCordon($name: String!) {
  cordonCluster(name: $name) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlCordonMutation, FleetctlCordonMutationVariables>;
export const FleetctlUncordonDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlUncordon($name: String!) {
  uncordonCluster(name: $name) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlUncordonMutation, FleetctlUncordonMutationVariables>;
export const FleetctlDeregisterDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlDeregister($name: String!, $deletionPolicy: DeletionPolicy, $force: Boolean) {
  deregisterCluster(name: $name, deletionPolicy: $deletionPolicy, force: $force) {
    ...FleetctlClusterFields
    deregistration {
      policy
    }
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlDeregisterMutation, FleetctlDeregisterMutationVariables>;
export const FleetctlSetLabelsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlSetLabels($name: String!, $labels: Labels!) {
  set: setClusterLabels(name: $name, labels: $labels) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlSetLabelsMutation, FleetctlSetLabelsMutationVariables>;
export const FleetctlRemoveLabelsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlRemoveLabels($name: String!, $keys: [String!]!) {
  removed: removeClusterLabels(name: $name, keys: $keys) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlRemoveLabelsMutation, FleetctlRemoveLabelsMutationVariables>;
export const FleetctlSetAndRemoveLabelsDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlSetAndRemoveLabels($name: String!, $labels: Labels!, $keys: [String!]!) {
  set: setClusterLabels(name: $name, labels: $labels) {
    ...FleetctlClusterFields
  }
  removed: removeClusterLabels(name: $name, keys: $keys) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlSetAndRemoveLabelsMutation, FleetctlSetAndRemoveLabelsMutationVariables>;
export const FleetctlRevokeClusterCredentialDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlRevokeClusterCredential($name: String!) {
  revokeClusterCredential(name: $name) {
    ...FleetctlClusterFields
  }
}
    fragment FleetctlClusterFields on Cluster {
  id
  name
  labels
  status
  cordoned
  maintenance {
    reason
    since
  }
  agentVersion
  lastHeartbeatAt
  createdAt
  credential {
    state
    expiresAt
    revokedAt
  }
  facts {
    kubernetesVersion
    nodeCount
    provider
    region
  }
}`) as unknown as TypedDocumentString<FleetctlRevokeClusterCredentialMutation, FleetctlRevokeClusterCredentialMutationVariables>;
export const FleetctlEventsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlEvents($first: Int, $after: String, $actor: String, $action: String, $application: String, $cluster: String, $project: String, $targetKind: EventTargetKind, $targetId: String, $since: DateTime, $until: DateTime) {
  events(
    first: $first
    after: $after
    actor: $actor
    action: $action
    application: $application
    cluster: $cluster
    project: $project
    targetKind: $targetKind
    targetId: $targetId
    since: $since
    until: $until
  ) {
    edges {
      node {
        ...FleetctlEventFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FleetctlEventFields on Event {
  id
  occurredAt
  actor
  action
  target {
    kind
    id
  }
  project
  before
  after
}`) as unknown as TypedDocumentString<FleetctlEventsQuery, FleetctlEventsQueryVariables>;
export const FleetctlFleetDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlFleet {
  fleet {
    ...FleetctlFleetFields
  }
}
    fragment FleetctlFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}`) as unknown as TypedDocumentString<FleetctlFleetQuery, FleetctlFleetQueryVariables>;
export const FleetctlFreezeFleetDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlFreezeFleet($reason: String!, $until: DateTime) {
  freezeFleet(reason: $reason, until: $until) {
    ...FleetctlFleetFields
  }
}
    fragment FleetctlFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}`) as unknown as TypedDocumentString<FleetctlFreezeFleetMutation, FleetctlFreezeFleetMutationVariables>;
export const FleetctlUnfreezeFleetDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlUnfreezeFleet {
  unfreezeFleet {
    ...FleetctlFleetFields
  }
}
    fragment FleetctlFleetFields on Fleet {
  freeze {
    reason
    by
    since
    until
  }
}`) as unknown as TypedDocumentString<FleetctlUnfreezeFleetMutation, FleetctlUnfreezeFleetMutationVariables>;
export const FleetctlNotificationSubscriptionsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlNotificationSubscriptions {
  notificationSubscriptions {
    ...FleetctlNotificationSubscriptionFields
  }
}
    fragment FleetctlNotificationSubscriptionFields on NotificationSubscription {
  id
  application
  project
  kinds
  format
  targetOrigin
  signed
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlNotificationSubscriptionsQuery, FleetctlNotificationSubscriptionsQueryVariables>;
export const FleetctlNotificationSubscriptionDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlNotificationSubscription($id: ID!) {
  notificationSubscription(id: $id) {
    ...FleetctlNotificationSubscriptionFields
  }
}
    fragment FleetctlNotificationSubscriptionFields on NotificationSubscription {
  id
  application
  project
  kinds
  format
  targetOrigin
  signed
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlNotificationSubscriptionQuery, FleetctlNotificationSubscriptionQueryVariables>;
export const FleetctlNotificationDeliveriesDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlNotificationDeliveries($id: ID!, $first: Int!) {
  notificationSubscription(id: $id) {
    id
    deliveries(first: $first) {
      ...FleetctlNotificationDeliveryFields
    }
  }
}
    fragment FleetctlNotificationDeliveryFields on NotificationDelivery {
  id
  eventId
  kind
  status
  attempts
  lastStatusCode
  lastError
  nextAttemptAt
  deliveredAt
  createdAt
}`) as unknown as TypedDocumentString<FleetctlNotificationDeliveriesQuery, FleetctlNotificationDeliveriesQueryVariables>;
export const FleetctlCreateNotificationSubscriptionDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlCreateNotificationSubscription($input: CreateNotificationSubscriptionInput!) {
  createNotificationSubscription(input: $input) {
    ...FleetctlNotificationSubscriptionFields
  }
}
    fragment FleetctlNotificationSubscriptionFields on NotificationSubscription {
  id
  application
  project
  kinds
  format
  targetOrigin
  signed
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlCreateNotificationSubscriptionMutation, FleetctlCreateNotificationSubscriptionMutationVariables>;
export const FleetctlDeleteNotificationSubscriptionDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlDeleteNotificationSubscription($id: ID!) {
  deleteNotificationSubscription(id: $id) {
    ...FleetctlNotificationSubscriptionFields
  }
}
    fragment FleetctlNotificationSubscriptionFields on NotificationSubscription {
  id
  application
  project
  kinds
  format
  targetOrigin
  signed
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlDeleteNotificationSubscriptionMutation, FleetctlDeleteNotificationSubscriptionMutationVariables>;
export const FleetctlProjectsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlProjects {
  projects {
    ...FleetctlProjectFields
  }
}
    fragment FleetctlProjectFields on Project {
  name
  description
  sourceRepos
  clusterSelector
  namespaces
  kinds
  clusterKinds
  members {
    subject
    role
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<FleetctlProjectsQuery, FleetctlProjectsQueryVariables>;
export const FleetctlProjectDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlProject($name: String!) {
  project(name: $name) {
    ...FleetctlProjectFields
  }
}
    fragment FleetctlProjectFields on Project {
  name
  description
  sourceRepos
  clusterSelector
  namespaces
  kinds
  clusterKinds
  members {
    subject
    role
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<FleetctlProjectQuery, FleetctlProjectQueryVariables>;
export const FleetctlCreateProjectDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlCreateProject($input: CreateProjectInput!) {
  createProject(input: $input) {
    ...FleetctlProjectFields
  }
}
    fragment FleetctlProjectFields on Project {
  name
  description
  sourceRepos
  clusterSelector
  namespaces
  kinds
  clusterKinds
  members {
    subject
    role
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<FleetctlCreateProjectMutation, FleetctlCreateProjectMutationVariables>;
export const FleetctlDeleteProjectDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlDeleteProject($name: String!) {
  deleteProject(name: $name) {
    ...FleetctlProjectFields
  }
}
    fragment FleetctlProjectFields on Project {
  name
  description
  sourceRepos
  clusterSelector
  namespaces
  kinds
  clusterKinds
  members {
    subject
    role
  }
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<FleetctlDeleteProjectMutation, FleetctlDeleteProjectMutationVariables>;
export const FleetctlRolloutsDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlRollouts($application: String, $state: [RolloutState!], $first: Int, $after: String) {
  rollouts(application: $application, state: $state, first: $first, after: $after) {
    edges {
      node {
        ...FleetctlRolloutSummaryFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}`) as unknown as TypedDocumentString<FleetctlRolloutsQuery, FleetctlRolloutsQueryVariables>;
export const FleetctlPreviewDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlPreview($application: String!, $revision: String, $plan: JSON) {
  previewRollout(application: $application, revision: $revision, plan: $plan) {
    application
    commit
    plan
    waves {
      index
      name
      selector
      clusters {
        name
        digest
      }
    }
    excluded {
      name
      wave
      reason
    }
    renderErrors
    bundles {
      digest
      clusters
      objects
    }
  }
}
    `) as unknown as TypedDocumentString<FleetctlPreviewQuery, FleetctlPreviewQueryVariables>;
export const FleetctlPreviewDiffDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlPreviewDiff($application: String!, $revision: String, $plan: JSON) {
  previewRollout(application: $application, revision: $revision, plan: $plan) {
    application
    commit
    renderErrors
    diff {
      clusters
      changes {
        object
        change
        diff
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FleetctlPreviewDiffQuery, FleetctlPreviewDiffQueryVariables>;
export const FleetctlRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlRollout($id: ID!) {
  rollout(id: $id) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlRolloutQuery, FleetctlRolloutQueryVariables>;
export const FleetctlRolloutWithClustersDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlRolloutWithClusters($id: ID!) {
  rollout(id: $id) {
    ...FleetctlRolloutFields
    clusters {
      name
      wave
      phase
      targetCommit
      targetDigest
      assignedAt
      reportedDigest
      reportedAt
      failing {
        id
        reason
        message
      }
      blocking {
        kind
        message
      }
    }
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlRolloutWithClustersQuery, FleetctlRolloutWithClustersQueryVariables>;
export const FleetctlRolloutChangedDocument = /*#__PURE__*/ new TypedDocumentString(`
    subscription FleetctlRolloutChanged($id: ID!) {
  rolloutChanged(id: $id) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlRolloutChangedSubscription, FleetctlRolloutChangedSubscriptionVariables>;
export const FleetctlStartDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlStart($application: String!, $revision: String, $force: Boolean) {
  startRollout(application: $application, revision: $revision, force: $force) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlStartMutation, FleetctlStartMutationVariables>;
export const FleetctlApproveWaveDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlApproveWave($id: ID!, $wave: String) {
  approveWave(id: $id, wave: $wave) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlApproveWaveMutation, FleetctlApproveWaveMutationVariables>;
export const FleetctlPauseRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlPauseRollout($id: ID!) {
  pauseRollout(id: $id) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlPauseRolloutMutation, FleetctlPauseRolloutMutationVariables>;
export const FleetctlResumeRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlResumeRollout($id: ID!) {
  resumeRollout(id: $id) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlResumeRolloutMutation, FleetctlResumeRolloutMutationVariables>;
export const FleetctlAbortRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlAbortRollout($id: ID!) {
  abortRollout(id: $id) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlAbortRolloutMutation, FleetctlAbortRolloutMutationVariables>;
export const FleetctlRetryClusterDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlRetryCluster($id: ID!, $cluster: String!) {
  retryCluster(id: $id, cluster: $cluster) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlRetryClusterMutation, FleetctlRetryClusterMutationVariables>;
export const FleetctlSkipClusterDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlSkipCluster($id: ID!, $cluster: String!) {
  skipCluster(id: $id, cluster: $cluster) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlSkipClusterMutation, FleetctlSkipClusterMutationVariables>;
export const FleetctlRollbackRolloutDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlRollbackRollout($id: ID!, $commit: String) {
  rollbackRollout(id: $id, commit: $commit) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlRollbackRolloutMutation, FleetctlRollbackRolloutMutationVariables>;
export const FleetctlOverrideFreezeDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlOverrideFreeze($id: ID!) {
  overrideFreeze(id: $id) {
    ...FleetctlRolloutFields
  }
}
    fragment FleetctlRolloutSummaryFields on Rollout {
  id
  applicationName
  commit
  kind
  rollbackOf
  rolledBackBy
  state
  paused
  currentWave
  createdBy
  message
  createdAt
  updatedAt
  finishedAt
  revision {
    author
    message
  }
  blocking {
    kind
    message
  }
  eta {
    at
    basis
    confidence
  }
}
fragment FleetctlRolloutFields on Rollout {
  ...FleetctlRolloutSummaryFields
  waves {
    index
    name
    selector
    size
    failed
    failureLimit
    concurrencyLimit
    soakSeconds
    requireApproval
    startedAt
    healthyAt
    approvedBy
    blocking {
      kind
      message
    }
    eta {
      at
      basis
    }
    counts {
      pending
      assigned
      applying
      progressing
      healthy
      degraded
      failed
      timedOut
      skipped
    }
  }
  verificationRuns {
    wave
    check
    kind
    target
    attempt
    result
    message
    durationMs
  }
}`) as unknown as TypedDocumentString<FleetctlOverrideFreezeMutation, FleetctlOverrideFreezeMutationVariables>;
export const FleetctlStatusDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlStatus($filter: PlacementFilter, $first: Int, $after: String) {
  placements(filter: $filter, first: $first, after: $after) {
    edges {
      node {
        ...FleetctlPlacementFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment FleetctlPlacementFields on Placement {
  cluster {
    id
    name
  }
  application
  placed
  phase
  behind
  desiredCommit
  desiredDigest
  reportedCommit
  reportedDigest
  ready
  total
  failing {
    id
    reason
    message
  }
  failingCount
  driftCorrections
  driftCorrectionsLastHour
  lastDriftAt
  assignedAt
  lastAppliedAt
  lastReportAt
  maintenance {
    reason
    since
  }
  waiting {
    kind
    message
  }
}`) as unknown as TypedDocumentString<FleetctlStatusQuery, FleetctlStatusQueryVariables>;
export const FleetctlRegistrationTokensDocument = /*#__PURE__*/ new TypedDocumentString(`
    query FleetctlRegistrationTokens {
  registrationTokens {
    ...FleetctlRegistrationTokenFields
  }
}
    fragment FleetctlRegistrationTokenFields on RegistrationToken {
  id
  description
  defaultLabels
  expiresAt
  maxUses
  uses
  revokedAt
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlRegistrationTokensQuery, FleetctlRegistrationTokensQueryVariables>;
export const FleetctlCreateRegistrationTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlCreateRegistrationToken($input: CreateRegistrationTokenInput!) {
  createRegistrationToken(input: $input) {
    secret
    token {
      ...FleetctlRegistrationTokenFields
    }
  }
}
    fragment FleetctlRegistrationTokenFields on RegistrationToken {
  id
  description
  defaultLabels
  expiresAt
  maxUses
  uses
  revokedAt
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlCreateRegistrationTokenMutation, FleetctlCreateRegistrationTokenMutationVariables>;
export const FleetctlRevokeRegistrationTokenDocument = /*#__PURE__*/ new TypedDocumentString(`
    mutation FleetctlRevokeRegistrationToken($id: ID!) {
  revokeRegistrationToken(id: $id) {
    ...FleetctlRegistrationTokenFields
  }
}
    fragment FleetctlRegistrationTokenFields on RegistrationToken {
  id
  description
  defaultLabels
  expiresAt
  maxUses
  uses
  revokedAt
  createdBy
  createdAt
}`) as unknown as TypedDocumentString<FleetctlRevokeRegistrationTokenMutation, FleetctlRevokeRegistrationTokenMutationVariables>;