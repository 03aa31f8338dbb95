import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';

/** Counts what still belongs to a project, in the caller's transaction. */
export type ProjectUsageCounter = (tx: EntityManager, project: string) => Promise<number>;

/**
 * Where features that put things in projects register how to count them (applications do), so
 * deleting a project can be refused while anything belongs to it without projects/ importing them
 * (they import projects/).
 */
@Injectable()
export class ProjectUsage {
  private readonly counters = new Map<string, ProjectUsageCounter>();

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
