import { InitialSchema1763773200000 } from './1763773200000-InitialSchema.js';
import { RegistrationAndReports1763780400000 } from './1763780400000-RegistrationAndReports.js';
import { ApiTokenNames1763787600000 } from './1763787600000-ApiTokenNames.js';
import { Rollouts1763794800000 } from './1763794800000-Rollouts.js';
import { RendererAndArtifacts1763802000000 } from './1763802000000-RendererAndArtifacts.js';
import { ClusterMaintenance1763809200000 } from './1763809200000-ClusterMaintenance.js';
import { CatchupLane1763810100000 } from './1763810100000-CatchupLane.js';
import { RevisionVetoes1796187600000 } from './1796187600000-RevisionVetoes.js';
import { Withdrawals1796190000000 } from './1796190000000-Withdrawals.js';
import { PlacementDrift1796191000000 } from './1796191000000-PlacementDrift.js';
import { GarbageCollection1796192000000 } from './1796192000000-GarbageCollection.js';
import { Reconfigure1796193000000 } from './1796193000000-Reconfigure.js';
import { FleetFreeze1796194000000 } from './1796194000000-FleetFreeze.js';
import { StructuredSources1796197000000 } from './1796197000000-StructuredSources.js';
import { PulledCharts1796198000000 } from './1796198000000-PulledCharts.js';
import { RevisionRendererKind1796199000000 } from './1796199000000-RevisionRendererKind.js';
import { FinishedRolloutReports1796193600000 } from './1796193600000-FinishedRolloutReports.js';
import { ApplicationRecreate1796195000000 } from './1796195000000-ApplicationRecreate.js';
import { ApplicationHealthChecks1796196000000 } from './1796196000000-ApplicationHealthChecks.js';
import { Notifications1796200000000 } from './1796200000000-Notifications.js';
import { VerificationRuns1796201000000 } from './1796201000000-VerificationRuns.js';
import { RolloutWatch1796202000000 } from './1796202000000-RolloutWatch.js';
import { EventTrailIndexes1796206000000 } from './1796206000000-EventTrailIndexes.js';
import { SignedCommits1796212000000 } from './1796212000000-SignedCommits.js';
import { VerificationJobs1796213000000 } from './1796213000000-VerificationJobs.js';
import { Projects1796214000000 } from './1796214000000-Projects.js';
import { ExpiringCredentials1796215000000 } from './1796215000000-ExpiringCredentials.js';
import { EventProjects1796216000000 } from './1796216000000-EventProjects.js';
import { NotificationProjects1796221000000 } from './1796221000000-NotificationProjects.js';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const migrations = [
  InitialSchema1763773200000,
  RegistrationAndReports1763780400000,
  ApiTokenNames1763787600000,
  Rollouts1763794800000,
  RendererAndArtifacts1763802000000,
  ClusterMaintenance1763809200000,
  CatchupLane1763810100000,
  RevisionVetoes1796187600000,
  Withdrawals1796190000000,
  PlacementDrift1796191000000,
  GarbageCollection1796192000000,
  Reconfigure1796193000000,
  FinishedRolloutReports1796193600000,
  FleetFreeze1796194000000,
  ApplicationRecreate1796195000000,
  ApplicationHealthChecks1796196000000,
  StructuredSources1796197000000,
  PulledCharts1796198000000,
  RevisionRendererKind1796199000000,
  Notifications1796200000000,
  VerificationRuns1796201000000,
  RolloutWatch1796202000000,
  EventTrailIndexes1796206000000,
  SignedCommits1796212000000,
  VerificationJobs1796213000000,
  Projects1796214000000,
  ExpiringCredentials1796215000000,
  EventProjects1796216000000,
  NotificationProjects1796221000000,
];
