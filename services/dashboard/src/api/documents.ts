/**
 * Every GraphQL document the dashboard sends (docs/graphql.md describes the API). The rollout page's
 * query and subscription select the same fields, so an update replaces the page's state whole.
 */

const CLUSTER_FIELDS = `
  fragment ClusterFields on Cluster {
    id
    name
    labels
    status
    cordoned
    agentVersion
    lastHeartbeatAt
  }
`;

export const CLUSTERS_QUERY = `
  query Clusters($selector: String, $status: ClusterStatus, $first: Int, $after: String) {
    clusters(selector: $selector, status: $status, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ClusterFields } }
    }
  }
  ${CLUSTER_FIELDS}
`;

export const CLUSTER_CHANGED = `
  subscription ClusterChanged($selector: String) {
    clusterChanged(selector: $selector) {
      action
      cluster { ...ClusterFields }
    }
  }
  ${CLUSTER_FIELDS}
`;

const ROLLOUT_SUMMARY_FIELDS = `
  fragment RolloutSummaryFields on Rollout {
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
    revision { author message }
    blocking { kind message }
  }
`;

const ROLLOUT_FIELDS = `
  fragment RolloutFields on Rollout {
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
    revision { commit author message committedAt error }
    blocking { kind message }
    waves {
      index
      name
      selector
      size
      counts { pending assigned applying progressing healthy degraded failed timedOut skipped }
      failed
      failureLimit
      concurrencyLimit
      soakSeconds
      requireApproval
      startedAt
      healthyAt
      approvedBy
      blocking { kind message }
    }
    clusters {
      name
      wave
      phase
      assignedAt
      reportedAt
      failing { id reason message }
      blocking { kind message }
    }
  }
`;

export const ROLLOUT_QUERY = `
  query Rollout($id: ID!) {
    rollout(id: $id) { ...RolloutFields }
  }
  ${ROLLOUT_FIELDS}
`;

export const ROLLOUT_CHANGED = `
  subscription RolloutChanged($id: ID!) {
    rolloutChanged(id: $id) { ...RolloutFields }
  }
  ${ROLLOUT_FIELDS}
`;

export const ROLLOUTS_QUERY = `
  query Rollouts($state: [RolloutState!], $first: Int, $after: String) {
    rollouts(state: $state, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...RolloutSummaryFields } }
    }
  }
  ${ROLLOUT_SUMMARY_FIELDS}
`;

const APPLICATION_SUMMARY_FIELDS = `
  fragment ApplicationSummaryFields on Application {
    name
    repoUrl
    ref
    path
    syncPolicy
    latestCommit
    lastSyncedAt
    lastSyncError
  }
`;

export const APPLICATIONS_QUERY = `
  query Applications($first: Int, $after: String) {
    applications(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...ApplicationSummaryFields } }
    }
  }
  ${APPLICATION_SUMMARY_FIELDS}
`;

export const APPLICATION_QUERY = `
  query Application($name: String!) {
    application(name: $name) {
      id
      ...ApplicationSummaryFields
      targetSelector
      credentialsRef
      pollIntervalSeconds
      defaultNamespace
      prune
      plan
      valuesRules { selector values }
      latestRevision { commit author message committedAt error }
      rollouts(first: 20) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { ...RolloutSummaryFields } }
      }
    }
  }
  ${APPLICATION_SUMMARY_FIELDS}
  ${ROLLOUT_SUMMARY_FIELDS}
`;

export const SYNC_APPLICATION = `
  mutation SyncApplication($name: String!) {
    syncApplication(name: $name) { commit rolloutId error }
  }
`;

export const START_ROLLOUT = `
  mutation StartRollout($application: String!) {
    startRollout(application: $application) { id }
  }
`;

/** The rollout page's buttons; each answers with the rollout as it is right after the change. */
export const ROLLOUT_ACTIONS = {
  approve: `mutation Approve($id: ID!, $wave: String) { approveWave(id: $id, wave: $wave) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  pause: `mutation Pause($id: ID!) { pauseRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  resume: `mutation Resume($id: ID!) { resumeRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  abort: `mutation Abort($id: ID!) { abortRollout(id: $id) { ...RolloutFields } } ${ROLLOUT_FIELDS}`,
  rollback: `mutation Rollback($id: ID!) { rollbackRollout(id: $id) { id } }`,
} as const;

/** A token's validity: every query needs the viewer role. */
export const TOKEN_CHECK = `query TokenCheck { clusters(first: 1) { totalCount } }`;

/**
 * The API has no "who am I": the role shows in how a mutation that can never change anything is
 * refused. An id that is not a UUID fails validation (INVALID_ARGUMENT) only after the role check
 * passed; a smaller role is refused with FORBIDDEN first.
 */
export const ROLE_PROBES = {
  operator: `mutation OperatorProbe { pauseRollout(id: "role-probe") { id } }`,
  admin: `mutation AdminProbe { revokeApiToken(id: "role-probe") { id } }`,
} as const;
