import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { Transactions } from '../database/transactions.js';
import { type ProjectSpec } from './project-input.js';
import { type ProjectMember, type ProjectRecord } from './project-rules.js';

interface ProjectRow {
  name: string;
  description: string;
  source_repos: string[];
  cluster_selector: string;
  namespaces: string[];
  kinds: string[];
  cluster_kinds: string[];
  members: ProjectMember[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'name, description, source_repos, cluster_selector, namespaces, kinds, cluster_kinds, members, created_at, updated_at';

export class ProjectExistsError extends Error {
  constructor(name: string) {
    super(`a project named "${name}" already exists`);
  }
}

/** The only code that touches the project table. */
@Injectable()
export class ProjectsRepository {
  constructor(@Inject(Transactions) private readonly transactions: Transactions) {}

  async list(): Promise<ProjectRecord[]> {
    const rows = await this.transactions.manager.query<ProjectRow[]>(
      `SELECT ${COLUMNS} FROM project ORDER BY name`,
    );
    return rows.map(toRecord);
  }

  async findByNames(
    names: readonly string[],
    tx: EntityManager = this.transactions.manager,
  ): Promise<ProjectRecord[]> {
    const rows = await tx.query<ProjectRow[]>(
      `SELECT ${COLUMNS} FROM project WHERE name = ANY($1::text[]) ORDER BY name`,
      [names],
    );
    return rows.map(toRecord);
  }

  /**
   * The project, its row locked in `tx`: `share` while an application is saved into it (several
   * may be at once), `update` while the project itself changes or is deleted.
   */
  async lock(tx: EntityManager, name: string, mode: 'share' | 'update'): Promise<ProjectRecord | null> {
    const rows = await tx.query<ProjectRow[]>(
      `SELECT ${COLUMNS} FROM project WHERE name = $1 FOR ${mode === 'share' ? 'SHARE' : 'UPDATE'}`,
      [name],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  async insert(tx: EntityManager, name: string, spec: ProjectSpec): Promise<ProjectRecord> {
    const rows = await tx.query<ProjectRow[]>(
      `INSERT INTO project (name, description, source_repos, cluster_selector, namespaces, kinds, cluster_kinds, members)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (name) DO NOTHING
       RETURNING ${COLUMNS}`,
      [name, ...params(spec)],
    );
    if (rows[0] === undefined) throw new ProjectExistsError(name);
    return toRecord(rows[0]);
  }

  async update(tx: EntityManager, name: string, spec: ProjectSpec): Promise<ProjectRecord> {
    const [rows] = await tx.query<[ProjectRow[], number]>(
      `UPDATE project
          SET description = $2, source_repos = $3, cluster_selector = $4, namespaces = $5, kinds = $6,
              cluster_kinds = $7, members = $8, updated_at = now()
        WHERE name = $1
        RETURNING ${COLUMNS}`,
      [name, ...params(spec)],
    );
    return toRecord(rows[0]!);
  }

  async delete(tx: EntityManager, name: string): Promise<void> {
    await tx.query(`DELETE FROM project WHERE name = $1`, [name]);
  }
}

function params(spec: ProjectSpec): unknown[] {
  return [
    spec.description,
    JSON.stringify(spec.sourceRepos),
    spec.clusterSelector,
    JSON.stringify(spec.namespaces),
    JSON.stringify(spec.kinds),
    JSON.stringify(spec.clusterKinds),
    JSON.stringify(spec.members),
  ];
}

function toRecord(row: ProjectRow): ProjectRecord {
  return {
    name: row.name,
    description: row.description,
    sourceRepos: row.source_repos,
    clusterSelector: row.cluster_selector,
    namespaces: row.namespaces,
    kinds: row.kinds,
    clusterKinds: row.cluster_kinds,
    members: row.members,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
