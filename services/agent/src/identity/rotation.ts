import { type RegisterResponse } from '@fleetwave/contracts';
import { type Logger } from 'pino';

/** What the agent knows of its credential's lifetime (absent: saved before credentials expired). */
export interface CredentialLifetime {
  credentialIssuedAt?: string | undefined;
  credentialExpiresAt?: string | undefined;
}

/** Rotate when this share of the lifetime has passed: a third of it is left to retry in. */
export const ROTATE_AT_FRACTION = 2 / 3;

/**
 * When the credential should be rotated: at two thirds of its lifetime. A credential without a
 * known lifetime (issued by a hub before credentials expired) is due at once, which gives it one.
 */
export function rotationDueAt(lifetime: CredentialLifetime): Date | undefined {
  const issued = Date.parse(lifetime.credentialIssuedAt ?? '');
  const expires = Date.parse(lifetime.credentialExpiresAt ?? '');
  if (Number.isNaN(issued) || Number.isNaN(expires) || expires <= issued) return undefined;
  return new Date(issued + (expires - issued) * ROTATE_AT_FRACTION);
}

export function rotationDue(lifetime: CredentialLifetime, now: Date): boolean {
  const due = rotationDueAt(lifetime);
  return due === undefined || now.getTime() >= due.getTime();
}

export interface RotatorDeps {
  hub: { rotateCredential(): Promise<RegisterResponse>; useCredential(credential: string): void };
  /** The identity Secret: the new credential is saved before it is used. */
  store: { save(identity: RegisterResponse): Promise<void> };
  reporter: { useSigningKey(key: string): void };
  now: () => Date;
  logger: Logger;
}

export type RotationOutcome = 'not-due' | 'rotated' | 'failed' | 'unsupported';

/**
 * Rotates the agent's credential and report-signing key before they expire, without registering
 * again. The new pair is saved in the identity Secret before anything uses it: if the agent dies
 * in between, it restarts with the old pair, which the hub still accepts for its grace period, and
 * rotates again from it (the hub then drops the pair whose answer was lost).
 */
export class CredentialRotator {
  private identity: RegisterResponse;
  private unsupported = false;
  private running: Promise<RotationOutcome> | undefined;

  constructor(
    identity: RegisterResponse,
    private readonly deps: RotatorDeps,
  ) {
    this.identity = identity;
  }

  get current(): RegisterResponse {
    return this.identity;
  }

  /** One rotation at a time: a check while one runs shares its outcome. */
  rotateIfDue(): Promise<RotationOutcome> {
    this.running ??= this.rotate().finally(() => (this.running = undefined));
    return this.running;
  }

  private async rotate(): Promise<RotationOutcome> {
    if (this.unsupported) return 'unsupported';
    if (!rotationDue(this.identity, this.deps.now())) return 'not-due';
    let next: RegisterResponse;
    try {
      next = await this.deps.hub.rotateCredential();
    } catch (error) {
      const status = (error as { status?: number }).status;
      // A hub from before credentials expired: its credentials never expire; ask again after a restart.
      if (status === 404) {
        this.unsupported = true;
        this.deps.logger.info('the hub does not rotate credentials (it predates expiring credentials)');
        return 'unsupported';
      }
      this.deps.logger.warn(
        { err: message(error) },
        'cannot rotate the cluster credential yet; retrying later',
      );
      return 'failed';
    }
    try {
      await this.deps.store.save(next);
    } catch (error) {
      // Not saved: keep using the old pair (still valid for the hub's grace) and rotate again later.
      this.deps.logger.warn(
        { err: message(error) },
        'cannot save the rotated credential; keeping the old one',
      );
      return 'failed';
    }
    this.identity = next;
    this.deps.hub.useCredential(next.credential);
    this.deps.reporter.useSigningKey(next.signingKey);
    this.deps.logger.info({ expiresAt: next.credentialExpiresAt }, 'cluster credential rotated');
    return 'rotated';
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
