import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

/** Counts what still belongs to a project, in the caller's transaction. */
export type ProjectUsageCounter = (tx: EntityManager, project: string) => Promise<number>;

/** Told, in the project's update transaction, that its object bounds changed. */
export type BoundsListener = (tx: EntityManager, project: string) => Promise<void>;

/**
 * Where features that put things in projects register how to count them (so deleting a project is
 * refused while anything belongs to it) and what to do when its object bounds change (applications
 * do both: their agents are sent the new bounds at once), without projects/ importing them (they
 * import projects/).
 */
@Injectable()
export class ProjectUsage {
  private readonly counters = new Map<string, ProjectUsageCounter>();
  private readonly listeners: BoundsListener[] = [];

  onBoundsChanged(listener: BoundsListener): void {
    this.listeners.push(listener);
  }

  async boundsChanged(tx: EntityManager, project: string): Promise<void> {
    for (const listener of this.listeners) await listener(tx, project);
  }

  register(what: string, counter: ProjectUsageCounter): void {
    this.counters.set(what, counter);
  }

  /** Each registered kind of thing with how many the project holds (only those above zero). */
  async of(tx: EntityManager, project: string): Promise<{ what: string; count: number }[]> {
    const out: { what: string; count: number }[] = [];
    for (const [what, counter] of this.counters) {
      const count = await counter(tx, project);
      if (count > 0) out.push({ what, count });
    }
    return out;
  }
}
