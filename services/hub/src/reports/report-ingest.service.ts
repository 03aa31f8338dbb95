import { Inject, Injectable } from '@nestjs/common';
import { buildDeadLetter, encodeDeadLetter, type Report } from '@fleetwave/contracts';
import { Kafka, Partitioners, type Producer } from 'kafkajs';
import { type EntityManager } from 'typeorm';
import { HUB_CONFIG } from '../config/config.module.js';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { type HubConfig } from '../config/hub-config.js';
import { Withdrawals } from '../assignments/withdrawals.js';
import { AuditedTransactions } from '../events/audited-transactions.js';
import { type NewEvent } from '../events/events.repository.js';
import { byteCappedBatches } from '../kafka/byte-capped-batches.js';
import { hubTopics } from '../kafka/topic-names.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { bundleStatusChanges } from './bundle-status-changes.js';
import { ClusterSignals } from './cluster-signals.js';
import { announceDrift, type DriftIncrease, driftIncreases, pairKey } from './drift-count.js';
import { factLabelChanges } from './fact-label-changes.js';
import { type AcceptedReport, knownSetAfter, planKnownStatuses } from './known-statuses.js';
import { foldReports, maintenanceChanged } from './report-fold.js';
import { claimedClusterIds, type IncomingMessage, judgeReports } from './report-judge.js';
import { ReportsRepository } from './reports.repository.js';
import { type MemoSet, StatusMemo } from './status-memo.js';

/** Dead-letter bytes per produce request: well under the brokers' default 1 MiB message limit. */
const DEAD_LETTER_REQUEST_MAX_BYTES = 512 * 1024;

export interface BatchOutcome {
  accepted: number;
  rejected: number;
}

/**
 * One batch of fleetwave.reports.v1 → one Postgres transaction. Dead letters are produced before
 * the transaction commits: if either fails, nothing is committed (neither rows nor offsets) and the
 * batch is redelivered and judged again from unchanged state.
 */
@Injectable()
export class ReportIngestService {
  private deadLetters: Producer | undefined;
  /** This replica's stored bundle statuses by their bytes (see StatusMemo). */
  private readonly memo = new StatusMemo();

  constructor(
    @Inject(HUB_CONFIG) private readonly config: HubConfig,
    @Inject(Kafka) private readonly kafka: Kafka,
    @Inject(AuditedTransactions) private readonly audited: AuditedTransactions,
    @Inject(ReportsRepository) private readonly reports: ReportsRepository,
    @Inject(MetricsService) private readonly metrics: MetricsService,
    @Inject(ClusterSignals) private readonly signals: ClusterSignals,
    @Inject(Withdrawals) private readonly withdrawals: Withdrawals,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
  ) {}

  /** `now` (the hub clock) dates what is received, and ends a replaced signing key's grace. */
  async ingest(
    topic: string,
    messages: readonly IncomingMessage[],
    now = this.clock.now(),
  ): Promise<BatchOutcome> {
    const stopTimer = this.metrics.batchSeconds.startTimer();
    const { outcome, rejections, signalled, remember } = await this.audited.run(async (tx) => {
      const states = await this.reports.lockStates(tx, claimedClusterIds(messages));
      // Known sets hold only while the locked last_seq is the one they were committed with.
      const known = new Map<string, MemoSet>();
      for (const [id, state] of states) {
        const set = this.memo.current(id, state.lastSeq);
        if (set) known.set(id, set);
      }
      const verdicts = judgeReports(messages, states, this.config.reports.maxBytes, now, (id) =>
        known.get(id),
      );
      const accepted: Report[] = [];
      const acceptedReports: AcceptedReport[] = [];
      const rejections: { reason: string }[] = [];
      const deadLetters = [];
      for (const verdict of verdicts) {
        if (verdict.kind === 'accept') {
          accepted.push(verdict.report);
          acceptedReports.push(verdict);
          continue;
        }
        rejections.push({ reason: verdict.reason });
        deadLetters.push(
          buildDeadLetter({
            reason: verdict.reason,
            detail: verdict.detail,
            source: {
              topic,
              partition: verdict.message.partition,
              offset: verdict.message.offset,
              key: verdict.message.key,
            },
            value: verdict.message.value,
            receivedAt: now,
          }),
        );
      }

      const { clusters, bundleSets, removals } = foldReports(accepted);
      const plan = planKnownStatuses(acceptedReports, known);
      const stored = await this.reports.storedBundleStatuses(tx, plan.wholeClusters, plan.pairs);
      const drifted = driftIncreases(stored, plan.driftReports);
      const newest = newestStatusReports(acceptedReports);
      const bundleChanges = bundleStatusChanges(
        stored,
        bundleSets.map((set) => {
          const storedSet = known.get(set.clusterId);
          if (storedSet === undefined) return set;
          const storedApplications = [...storedSet.values()].map((s) => s.application);
          return { ...set, known: newest.get(set.clusterId)?.knownBundles ?? [], storedApplications };
        }),
      );
      await this.reports.applyClusterUpdates(tx, clusters, now);
      await this.reports.writeBundleStatuses(tx, bundleChanges);
      const driftEvents = await this.recordDrift(tx, drifted, now);
      // Withdrawals the agents confirmed: their tombstones go (names without one are ignored).
      const removedEvents = await this.withdrawals.confirm(tx, removals);
      const labelChanges = factLabelChanges(
        await this.reports.currentLabels(
          tx,
          clusters.filter((c) => c.facts).map((c) => c.clusterId),
        ),
        clusters,
      );
      await this.reports.applyLabelChanges(tx, labelChanges);
      const changed = clusters.filter((c) => states.get(c.clusterId)?.status !== c.status);
      const maintenanceMoved = clusters.filter((c) =>
        maintenanceChanged(states.get(c.clusterId)?.maintenance ?? null, c.maintenance),
      );
      const events = [
        ...changed.map((c) => ({
          actor: `cluster:${c.clusterId}`,
          action: 'cluster.statusChanged',
          targetKind: 'cluster' as const,
          targetId: c.clusterId,
          before: { status: states.get(c.clusterId)?.status },
          after: { status: c.status },
        })),
        ...maintenanceMoved.map((c) => ({
          actor: `cluster:${c.clusterId}`,
          action: 'cluster.maintenanceChanged',
          targetKind: 'cluster' as const,
          targetId: c.clusterId,
          before: { maintenance: states.get(c.clusterId)?.maintenance ?? null },
          after: { maintenance: c.maintenance },
        })),
      ];
      // Fact labels are labels: audited like an operator's change (same action and shape), by the cluster.
      const labelEvents = labelChanges.map((c) => ({
        actor: `cluster:${c.clusterId}`,
        action: 'cluster.labelsChanged',
        targetKind: 'cluster' as const,
        targetId: c.clusterId,
        before: { name: c.name, labels: c.before },
        after: { name: c.name, labels: c.after },
      }));
      if (deadLetters.length > 0) {
        const producer = await this.deadLetterProducer();
        const messages = deadLetters.map((d) => ({ key: d.source.key, value: encodeDeadLetter(d) }));
        // A redelivered batch of large reports (all replays) would make one produce request over
        // the broker's limit, and fail again on every redelivery: sent in byte-capped requests.
        for (const batch of byteCappedBatches(messages, DEAD_LETTER_REQUEST_MAX_BYTES)) {
          await producer.send({ topic: hubTopics(this.config).reportsDeadLetter, messages: batch });
        }
      }
      return {
        result: {
          outcome: { accepted: accepted.length, rejected: deadLetters.length },
          rejections,
          // What may move a rollout: a cluster's status or maintenance (all its rollouts), a bundle's
          // digest or phase (that application's); an unchanged report moves nothing.
          signalled: {
            clusterIds: [...new Set([...changed, ...maintenanceMoved].map((c) => c.clusterId))],
            placements: bundleChanges.moved,
          },
          remember: () => {
            this.metrics.bundleStatusesRecognised.inc(plan.recognised);
            for (const c of clusters) {
              const report = newest.get(c.clusterId);
              const set = report ? knownSetAfter(report) : known.get(c.clusterId);
              if (set) this.memo.remember(c.clusterId, c.seq, set);
              else this.memo.forget(c.clusterId);
            }
          },
        },
        events: [...events, ...labelEvents, ...driftEvents, ...removedEvents],
      };
    });
    stopTimer();
    // Committed: what was stored is now known at the clusters' new last_seq.
    remember();
    this.signals.emit(signalled);
    this.metrics.reportsIngested.inc(outcome.accepted);
    for (const r of rejections) this.metrics.reportsRejected.inc({ reason: r.reason });
    return outcome;
  }

  /**
   * Counts the batch's drift corrections per pair and returns the `placement.driftCorrected` events
   * they are due (at most one per pair per DRIFT_EVENT_INTERVAL_MS, carrying every correction since
   * the pair's previous event).
   */
  private async recordDrift(tx: EntityManager, drifted: DriftIncrease[], now: Date): Promise<NewEvent[]> {
    if (drifted.length === 0) return [];
    const states = await this.reports.driftAnnouncements(tx, drifted);
    const events: NewEvent[] = [];
    const drifts = drifted.map((increase) => {
      const before = states.get(pairKey(increase.clusterId, increase.application)) ?? {
        lastEventAt: null,
        unannounced: 0,
      };
      const { announce, next } = announceDrift(before, increase.corrections, now);
      if (announce !== null)
        events.push({
          actor: `cluster:${increase.clusterId}`,
          action: 'placement.driftCorrected',
          targetKind: 'placement',
          targetId: pairKey(increase.clusterId, increase.application),
          after: {
            clusterId: increase.clusterId,
            application: increase.application,
            corrections: announce,
            since: before.lastEventAt?.toISOString() ?? null,
          },
        });
      return { increase, next };
    });
    await this.reports.recordDrift(tx, drifts, now);
    return events;
  }

  private async deadLetterProducer(): Promise<Producer> {
    if (!this.deadLetters) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.deadLetters = producer;
    }
    return this.deadLetters;
  }

  async close(): Promise<void> {
    await this.deadLetters?.disconnect().catch(() => undefined);
  }
}

/** Each cluster's newest accepted status report in the batch (reports come in sequence order). */
function newestStatusReports(accepted: readonly AcceptedReport[]): Map<string, AcceptedReport> {
  const newest = new Map<string, AcceptedReport>();
  for (const a of accepted) if (a.report.kind === 'status') newest.set(a.report.clusterId, a);
  return newest;
}
