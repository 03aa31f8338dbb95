import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Logger } from 'pino';
import { type Clock, HUB_CLOCK } from '../common/clock.js';
import { LOGGER } from '../logging/logging.module.js';
import { nextAttemptAt } from './backoff.js';
import { type ClaimedDelivery, NotificationsRepository } from './notifications.repository.js';
import { sendNotification } from './webhook-sender.js';

/** Sends in flight at once per replica: a slow receiver holds one slot, not the others. */
export const DELIVERY_CONCURRENCY = 8;
export const DELIVERY_TIMEOUT_MS = 5_000;
/** How often due retries are looked for (new deliveries are sent at once, on a kick). */
const POLL_INTERVAL_MS = 1_000;
/** A claim outlives any send; a replica that died mid-send leaves it to expire. */
export const CLAIM_MS = DELIVERY_TIMEOUT_MS + 30_000;

/**
 * Sends recorded deliveries, apart from everything else the hub does: the event consumer only
 * records rows, and this worker claims due ones (SKIP LOCKED, shared by replicas), POSTs them with
 * a time-out and bounded concurrency, and records each attempt; a failure is retried later on the
 * backoff schedule (by the hub clock). A dead receiver therefore costs only its own rows.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private claiming = false;
  private again = false;
  private stopped = false;
  private readonly sends = new Set<Promise<void>>();
  /** Ids of the deliveries this replica is sending. */
  private readonly sending = new Set<string>();

  constructor(
    @Inject(NotificationsRepository) private readonly notifications: NotificationsRepository,
    @Inject(HUB_CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.kick(), POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await Promise.allSettled([...this.sends]);
  }

  /** Looks for due deliveries now (new ones were recorded, or time passed). */
  kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    const free = DELIVERY_CONCURRENCY - this.inFlight;
    if (free <= 0) return;
    this.claiming = true;
    this.notifications.claimDue(this.clock.now(), CLAIM_MS, free, [...this.sending]).then(
      (claimed) => {
        this.claiming = false;
        for (const delivery of claimed) this.start(delivery);
        if (this.again || claimed.length === free) {
          this.again = false;
          this.kick();
        }
      },
      (error: unknown) => {
        this.claiming = false;
        this.logger.warn({ err: errorMessage(error) }, 'could not claim notification deliveries');
      },
    );
  }

  private start(delivery: ClaimedDelivery): void {
    this.inFlight++;
    this.sending.add(delivery.id);
    const send = this.attempt(delivery).finally(() => {
      this.inFlight--;
      this.sending.delete(delivery.id);
      this.sends.delete(send);
      this.kick();
    });
    this.sends.add(send);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    try {
      const result = await sendNotification(
        delivery.url,
        delivery.body,
        delivery.secret,
        DELIVERY_TIMEOUT_MS,
      );
      const at = this.clock.now();
      if (result.ok) {
        await this.notifications.recordAttempt(delivery.id, { ok: true, statusCode: result.statusCode, at });
        return;
      }
      const retryAt = nextAttemptAt(delivery.attempts + 1, at);
      await this.notifications.recordAttempt(delivery.id, { ...result, at, retryAt });
      // Never the URL or the secret: the delivery id leads to the subscription.
      this.logger.info(
        { delivery: delivery.id, statusCode: result.statusCode, err: result.error, retryAt },
        retryAt === null ? 'notification delivery given up' : 'notification delivery failed; will retry',
      );
    } catch (error) {
      this.logger.warn(
        { delivery: delivery.id, err: errorMessage(error) },
        'could not record a delivery attempt',
      );
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
