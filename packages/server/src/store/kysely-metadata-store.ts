// The MetadataStore on Kysely: one implementation for SQLite and PostgreSQL; the dialect is chosen by the adapter.

import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import type { AuditEvent, InferenceRecord, Role } from '@modelyard/client';
import { newId } from './ids.js';
import { migrationProvider, type Dialect } from './migrations.js';
import type {
  AuditBy,
  DatasetRecord,
  DatasetVersionRecord,
  EndpointRecord,
  MemberRecord,
  MetadataStore,
  ModelRecord,
  ModelVersionRecord,
  NewAuditEvent,
  NewInference,
  PageRequest,
  Paged,
  ProjectRecord,
  RunRecord,
  RunUpdate,
  TokenRecord,
  UserRecord,
} from './metadata-store.js';
import type { Database, DatasetVersionsTable, ModelsTable, RunsTable, UsersTable } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

const now = (): string => new Date().toISOString();

function paged<T extends { id: string }>(rows: T[], limit: number): Paged<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

const toUser = (r: UsersTable): UserRecord => ({
  id: r.id,
  name: r.name,
  isAdmin: Number(r.is_admin) === 1,
  createdAt: r.created_at,
});

const toVersion = (r: DatasetVersionsTable): DatasetVersionRecord => ({
  datasetId: r.dataset_id,
  version: r.version,
  seq: Number(r.seq),
  snapshotKey: r.snapshot_key,
  rows: Number(r.rows),
  bytes: Number(r.bytes),
  source: r.source,
  profile: JSON.parse(r.profile) as DatasetVersionRecord['profile'],
  createdAt: r.created_at,
  createdBy: r.created_by,
});

const toRun = (r: RunsTable): RunRecord => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  status: r.status as RunRecord['status'],
  task: r.task as RunRecord['task'],
  algorithm: r.algorithm,
  target: r.target,
  datasetId: r.dataset_id,
  datasetVersion: r.dataset_version,
  params: JSON.parse(r.params) as RunRecord['params'],
  metrics: JSON.parse(r.metrics) as RunRecord['metrics'],
  progress: Number(r.progress),
  error: r.error === null ? null : (JSON.parse(r.error) as RunRecord['error']),
  environment: r.environment === null ? null : (JSON.parse(r.environment) as RunRecord['environment']),
  artifactKey: r.artifact_key,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  createdBy: r.created_by,
});

export class KyselyMetadataStore implements MetadataStore {
  readonly dialect: Dialect;
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.db = db;
    this.dialect = dialect;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider(this.dialect) });
    const { error } = await migrator.migrateToLatest();
    if (error) throw error instanceof Error ? error : new Error(String(error));
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  private async audit(db: Db, by: AuditBy, objectType: string, objectId: string): Promise<void> {
    await insertAudit(db, {
      actor: by.actor,
      action: by.action,
      objectType,
      objectId,
      projectId: by.projectId ?? null,
      details: by.details ?? {},
    });
  }

  // ── users and tokens ──────────────────────────────────────────────────────────────────────────────────────────

  async createUser(user: { name: string; isAdmin: boolean }, by: AuditBy): Promise<UserRecord> {
    const row: UsersTable = { id: newId('usr'), name: user.name, is_admin: user.isAdmin ? 1 : 0, created_at: now() };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(row).execute();
      await this.audit(trx, by, 'user', row.id);
    });
    return toUser(row);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }

  async getUserByName(name: string): Promise<UserRecord | undefined> {
    const r = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return r && toUser(r);
  }

  async listUsers(page: PageRequest): Promise<Paged<UserRecord>> {
    let q = this.db
      .selectFrom('users')
      .selectAll()
      .orderBy('id')
      .limit(page.limit + 1);
    if (page.after) q = q.where('id', '>', page.after);
    return paged((await q.execute()).map(toUser), page.limit);
  }

  async countUsers(): Promise<number> {
    const r = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async createToken(t: { userId: string; name: string; tokenHash: string }, by: AuditBy): Promise<TokenRecord> {
    const record: TokenRecord = { id: newId('tok'), userId: t.userId, name: t.name, createdAt: now() };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('tokens')
        .values({
          id: record.id,
          user_id: t.userId,
          name: t.name,
          token_hash: t.tokenHash,
          created_at: record.createdAt,
          last_used_at: null,
        })
        .execute();
      await this.audit(trx, by, 'token', record.id);
    });
    return record;
  }

  async findUserByTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
    const r = await this.db
      .selectFrom('tokens')
      .innerJoin('users', 'users.id', 'tokens.user_id')
      .select(['users.id', 'users.name', 'users.is_admin', 'users.created_at', 'tokens.id as token_id'])
      .where('tokens.token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!r) return undefined;
    await this.db.updateTable('tokens').set({ last_used_at: now() }).where('id', '=', r.token_id).execute();
    return toUser(r);
  }

  // ── projects and members ──────────────────────────────────────────────────────────────────────────────────────

  async createProject(p: { name: string; description: string; owner: string }, by: AuditBy): Promise<ProjectRecord> {
    const record: ProjectRecord = {
      id: newId('prj'),
      name: p.name,
      description: p.description,
      createdAt: now(),
      createdBy: p.owner,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('projects')
        .values({
          id: record.id,
          name: record.name,
          description: record.description,
          created_at: record.createdAt,
          created_by: record.createdBy,
        })
        .execute();
      await trx.insertInto('members').values({ project_id: record.id, user_id: p.owner, role: 'admin' }).execute();
      await this.audit(trx, { ...by, projectId: record.id }, 'project', record.id);
    });
    return record;
  }

  private projectFrom(r: {
    id: string;
    name: string;
    description: string;
    created_at: string;
    created_by: string;
  }): ProjectRecord {
    return { id: r.id, name: r.name, description: r.description, createdAt: r.created_at, createdBy: r.created_by };
  }

  async getProject(id: string): Promise<ProjectRecord | undefined> {
    const r = await this.db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.projectFrom(r);
  }

  async getProjectByName(name: string): Promise<ProjectRecord | undefined> {
    const r = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return r && this.projectFrom(r);
  }

  async listProjects(userId: string | null, page: PageRequest): Promise<Paged<ProjectRecord>> {
    let q = this.db
      .selectFrom('projects')
      .selectAll('projects')
      .orderBy('projects.name')
      .limit(page.limit + 1);
    if (userId !== null) {
      q = q.where('projects.id', 'in', (eb) =>
        eb.selectFrom('members').select('members.project_id').where('members.user_id', '=', userId),
      );
    }
    // Projects page by name, so the cursor is the last name.
    if (page.after) q = q.where('projects.name', '>', page.after);
    const rows = (await q.execute()).map((r) => this.projectFrom(r));
    const items = rows.slice(0, page.limit);
    return { items, next: rows.length > page.limit ? (items[items.length - 1]?.name ?? null) : null };
  }

  async getRole(projectId: string, userId: string): Promise<Role | undefined> {
    const r = await this.db
      .selectFrom('members')
      .select('role')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return r?.role as Role | undefined;
  }

  async rolesOf(userId: string): Promise<{ projectName: string; role: Role }[]> {
    const rows = await this.db
      .selectFrom('members')
      .innerJoin('projects', 'projects.id', 'members.project_id')
      .select(['projects.name', 'members.role'])
      .where('members.user_id', '=', userId)
      .orderBy('projects.name')
      .execute();
    return rows.map((r) => ({ projectName: r.name, role: r.role as Role }));
  }

  async listMembers(projectId: string): Promise<MemberRecord[]> {
    const rows = await this.db
      .selectFrom('members')
      .innerJoin('users', 'users.id', 'members.user_id')
      .select(['members.project_id', 'members.user_id', 'users.name', 'members.role'])
      .where('members.project_id', '=', projectId)
      .orderBy('users.name')
      .execute();
    return rows.map((r) => ({ projectId: r.project_id, userId: r.user_id, userName: r.name, role: r.role as Role }));
  }

  async setMember(projectId: string, userId: string, role: Role, by: AuditBy): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('members')
        .values({ project_id: projectId, user_id: userId, role })
        .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role }))
        .execute();
      await this.audit(trx, { ...by, projectId, details: { ...by.details, role } }, 'member', userId);
    });
  }

  async removeMember(projectId: string, userId: string, by: AuditBy): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .deleteFrom('members')
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await this.audit(trx, { ...by, projectId }, 'member', userId);
      return true;
    });
  }

  // ── datasets ──────────────────────────────────────────────────────────────────────────────────────────────────

  async createDataset(
    d: { projectId: string; name: string; description: string; createdBy: string },
    by: AuditBy,
  ): Promise<DatasetRecord> {
    const record: DatasetRecord = { id: newId('ds'), ...d, createdAt: now() };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('datasets')
        .values({
          id: record.id,
          project_id: d.projectId,
          name: d.name,
          description: d.description,
          created_at: record.createdAt,
          created_by: d.createdBy,
        })
        .execute();
      await this.audit(trx, { ...by, projectId: d.projectId }, 'dataset', record.id);
    });
    return record;
  }

  private datasetFrom(r: {
    id: string;
    project_id: string;
    name: string;
    description: string;
    created_at: string;
    created_by: string;
  }): DatasetRecord {
    return {
      id: r.id,
      projectId: r.project_id,
      name: r.name,
      description: r.description,
      createdAt: r.created_at,
      createdBy: r.created_by,
    };
  }

  async getDataset(id: string): Promise<DatasetRecord | undefined> {
    const r = await this.db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.datasetFrom(r);
  }

  async getDatasetByName(projectId: string, name: string): Promise<DatasetRecord | undefined> {
    const r = await this.db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return r && this.datasetFrom(r);
  }

  async listDatasets(projectId: string, page: PageRequest): Promise<Paged<DatasetRecord>> {
    let q = this.db
      .selectFrom('datasets')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('id')
      .limit(page.limit + 1);
    if (page.after) q = q.where('id', '>', page.after);
    return paged(
      (await q.execute()).map((r) => this.datasetFrom(r)),
      page.limit,
    );
  }

  async addDatasetVersion(
    v: Omit<DatasetVersionRecord, 'seq' | 'createdAt'>,
    by: AuditBy,
  ): Promise<DatasetVersionRecord> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('dataset_versions')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .where('dataset_id', '=', v.datasetId)
        .executeTakeFirst();
      const row: DatasetVersionsTable = {
        dataset_id: v.datasetId,
        version: v.version,
        seq: Number(last?.seq ?? 0) + 1,
        snapshot_key: v.snapshotKey,
        rows: v.rows,
        bytes: v.bytes,
        source: v.source,
        profile: JSON.stringify(v.profile),
        created_at: now(),
        created_by: v.createdBy,
      };
      await trx.insertInto('dataset_versions').values(row).execute();
      await this.audit(trx, { ...by, details: { ...by.details, version: v.version } }, 'dataset', v.datasetId);
      return toVersion(row);
    });
  }

  async getDatasetVersion(datasetId: string, version: string): Promise<DatasetVersionRecord | undefined> {
    const r = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('version', '=', version)
      .executeTakeFirst();
    return r && toVersion(r);
  }

  async findDatasetVersions(datasetId: string, prefix: string): Promise<DatasetVersionRecord[]> {
    // Versions are hex hashes; anything else (including LIKE wildcards) cannot match.
    if (!/^[0-9a-f]+$/.test(prefix)) return [];
    const rows = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .where('version', 'like', `${prefix}%`)
      .limit(5)
      .execute();
    return rows.map(toVersion);
  }

  async latestDatasetVersion(datasetId: string): Promise<DatasetVersionRecord | undefined> {
    const r = await this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r && toVersion(r);
  }

  async listDatasetVersions(
    datasetId: string,
    page: { limit: number; beforeSeq?: number | undefined },
  ): Promise<DatasetVersionRecord[]> {
    let q = this.db
      .selectFrom('dataset_versions')
      .selectAll()
      .where('dataset_id', '=', datasetId)
      .orderBy('seq', 'desc')
      .limit(page.limit);
    if (page.beforeSeq !== undefined) q = q.where('seq', '<', page.beforeSeq);
    return (await q.execute()).map(toVersion);
  }

  // ── runs ──────────────────────────────────────────────────────────────────────────────────────────────────────

  async createRun(run: Parameters<MetadataStore['createRun']>[0], by: AuditBy): Promise<RunRecord> {
    const row: RunsTable = {
      id: run.id,
      project_id: run.projectId,
      name: run.name,
      status: 'queued',
      task: run.task,
      algorithm: run.algorithm,
      target: run.target,
      dataset_id: run.datasetId,
      dataset_version: run.datasetVersion,
      params: JSON.stringify(run.params),
      metrics: '{}',
      progress: 0,
      error: null,
      environment: null,
      artifact_key: null,
      created_at: now(),
      started_at: null,
      finished_at: null,
      duration_ms: null,
      created_by: run.createdBy,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('runs').values(row).execute();
      await this.audit(trx, { ...by, projectId: run.projectId }, 'run', row.id);
    });
    return toRun(row);
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const r = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toRun(r);
  }

  async listRuns(projectId: string, page: PageRequest): Promise<Paged<RunRecord>> {
    let q = this.db
      .selectFrom('runs')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (page.after) q = q.where('id', '<', page.after);
    return paged((await q.execute()).map(toRun), page.limit);
  }

  async updateRun(id: string, u: RunUpdate): Promise<void> {
    const set: Partial<RunsTable> = {};
    if (u.status !== undefined) set.status = u.status;
    if (u.metrics !== undefined) set.metrics = JSON.stringify(u.metrics);
    if (u.progress !== undefined) set.progress = u.progress;
    if (u.error !== undefined) set.error = u.error === null ? null : JSON.stringify(u.error);
    if (u.environment !== undefined) set.environment = u.environment === null ? null : JSON.stringify(u.environment);
    if (u.artifactKey !== undefined) set.artifact_key = u.artifactKey;
    if (u.startedAt !== undefined) set.started_at = u.startedAt;
    if (u.finishedAt !== undefined) set.finished_at = u.finishedAt;
    if (u.durationMs !== undefined) set.duration_ms = u.durationMs;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('runs').set(set).where('id', '=', id).execute();
  }

  async runsWithStatus(statuses: RunRecord['status'][]): Promise<RunRecord[]> {
    const rows = await this.db.selectFrom('runs').selectAll().where('status', 'in', statuses).orderBy('id').execute();
    return rows.map(toRun);
  }

  // ── models ────────────────────────────────────────────────────────────────────────────────────────────────────

  async createModel(
    m: { projectId: string; name: string; description: string; createdBy: string },
    by: AuditBy,
  ): Promise<ModelRecord> {
    const row: ModelsTable = {
      id: newId('mdl'),
      project_id: m.projectId,
      name: m.name,
      description: m.description,
      created_at: now(),
      created_by: m.createdBy,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('models').values(row).execute();
      await this.audit(trx, { ...by, projectId: m.projectId }, 'model', row.id);
    });
    return this.modelFrom(row);
  }

  private async modelFrom(r: ModelsTable): Promise<ModelRecord> {
    const aliases = await this.db.selectFrom('model_aliases').selectAll().where('model_id', '=', r.id).execute();
    const latest = await this.db
      .selectFrom('model_versions')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('model_id', '=', r.id)
      .executeTakeFirst();
    return {
      id: r.id,
      projectId: r.project_id,
      name: r.name,
      description: r.description,
      createdAt: r.created_at,
      createdBy: r.created_by,
      aliases: Object.fromEntries(aliases.map((a) => [a.alias, Number(a.version)])),
      latestVersion: latest?.v === null || latest?.v === undefined ? null : Number(latest.v),
    };
  }

  async getModel(id: string): Promise<ModelRecord | undefined> {
    const r = await this.db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.modelFrom(r);
  }

  async getModelByName(projectId: string, name: string): Promise<ModelRecord | undefined> {
    const r = await this.db
      .selectFrom('models')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return r && this.modelFrom(r);
  }

  async listModels(projectId: string, page: PageRequest): Promise<Paged<ModelRecord>> {
    let q = this.db
      .selectFrom('models')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('id')
      .limit(page.limit + 1);
    if (page.after) q = q.where('id', '>', page.after);
    const rows = await Promise.all((await q.execute()).map((r) => this.modelFrom(r)));
    return paged(rows, page.limit);
  }

  async addModelVersion(modelId: string, runId: string, createdBy: string, by: AuditBy): Promise<ModelVersionRecord> {
    return this.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('model_versions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('model_id', '=', modelId)
        .executeTakeFirst();
      const record: ModelVersionRecord = {
        modelId,
        version: Number(last?.v ?? 0) + 1,
        runId,
        createdAt: now(),
        createdBy,
      };
      await trx
        .insertInto('model_versions')
        .values({
          model_id: modelId,
          version: record.version,
          run_id: runId,
          created_at: record.createdAt,
          created_by: createdBy,
        })
        .execute();
      await this.audit(
        trx,
        { ...by, details: { ...by.details, version: record.version, run: runId } },
        'model',
        modelId,
      );
      return record;
    });
  }

  async getModelVersion(modelId: string, version: number): Promise<ModelVersionRecord | undefined> {
    const r = await this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .where('version', '=', version)
      .executeTakeFirst();
    return (
      r && {
        modelId: r.model_id,
        version: Number(r.version),
        runId: r.run_id,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }
    );
  }

  async listModelVersions(
    modelId: string,
    page: { limit: number; below?: number | undefined },
  ): Promise<ModelVersionRecord[]> {
    let q = this.db
      .selectFrom('model_versions')
      .selectAll()
      .where('model_id', '=', modelId)
      .orderBy('version', 'desc')
      .limit(page.limit);
    if (page.below !== undefined) q = q.where('version', '<', page.below);
    return (await q.execute()).map((r) => ({
      modelId: r.model_id,
      version: Number(r.version),
      runId: r.run_id,
      createdAt: r.created_at,
      createdBy: r.created_by,
    }));
  }

  async setAlias(modelId: string, alias: string, version: number, by: AuditBy): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('model_aliases')
        .values({ model_id: modelId, alias, version })
        .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ version }))
        .execute();
      await this.audit(trx, { ...by, details: { ...by.details, alias, version } }, 'model', modelId);
    });
  }

  async deleteAlias(modelId: string, alias: string, by: AuditBy): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx
        .deleteFrom('model_aliases')
        .where('model_id', '=', modelId)
        .where('alias', '=', alias)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) return false;
      await this.audit(trx, { ...by, details: { ...by.details, alias } }, 'model', modelId);
      return true;
    });
  }

  // ── endpoints and the inference log ───────────────────────────────────────────────────────────────────────────

  async createEndpoint(
    e: { projectId: string; name: string; modelRef: string; createdBy: string },
    by: AuditBy,
  ): Promise<EndpointRecord> {
    const record: EndpointRecord = { id: newId('ep'), ...e, createdAt: now() };
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('endpoints')
        .values({
          id: record.id,
          project_id: e.projectId,
          name: e.name,
          model_ref: e.modelRef,
          created_at: record.createdAt,
          created_by: e.createdBy,
        })
        .execute();
      await this.audit(trx, { ...by, projectId: e.projectId }, 'endpoint', record.id);
    });
    return record;
  }

  private endpointFrom(r: Database['endpoints']): EndpointRecord {
    return {
      id: r.id,
      projectId: r.project_id,
      name: r.name,
      modelRef: r.model_ref,
      createdAt: r.created_at,
      createdBy: r.created_by,
    };
  }

  async getEndpoint(id: string): Promise<EndpointRecord | undefined> {
    const r = await this.db.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return r && this.endpointFrom(r);
  }

  async getEndpointByName(projectId: string, name: string): Promise<EndpointRecord | undefined> {
    const r = await this.db
      .selectFrom('endpoints')
      .selectAll()
      .where('project_id', '=', projectId)
      .where('name', '=', name)
      .executeTakeFirst();
    return r && this.endpointFrom(r);
  }

  async listEndpoints(projectId: string, page: PageRequest): Promise<Paged<EndpointRecord>> {
    let q = this.db
      .selectFrom('endpoints')
      .selectAll()
      .where('project_id', '=', projectId)
      .orderBy('id')
      .limit(page.limit + 1);
    if (page.after) q = q.where('id', '>', page.after);
    return paged(
      (await q.execute()).map((r) => this.endpointFrom(r)),
      page.limit,
    );
  }

  async logInference(entry: NewInference): Promise<InferenceRecord> {
    const record: InferenceRecord = { id: newId('inf'), ...entry, createdAt: now() };
    await this.db
      .insertInto('inference_log')
      .values({
        id: record.id,
        endpoint_id: entry.endpointId,
        model_version: entry.modelVersion,
        inputs: JSON.stringify(entry.inputs),
        outputs: JSON.stringify(entry.outputs),
        latency_ms: entry.latencyMs,
        created_at: record.createdAt,
      })
      .execute();
    return record;
  }

  async listInferences(endpointId: string, page: PageRequest): Promise<Paged<InferenceRecord>> {
    let q = this.db
      .selectFrom('inference_log')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .orderBy('id', 'desc')
      .limit(page.limit + 1);
    if (page.after) q = q.where('id', '<', page.after);
    const rows = (await q.execute()).map((r): InferenceRecord => ({
      id: r.id,
      endpointId: r.endpoint_id,
      modelVersion: Number(r.model_version),
      inputs: JSON.parse(r.inputs) as InferenceRecord['inputs'],
      outputs: JSON.parse(r.outputs) as InferenceRecord['outputs'],
      latencyMs: Number(r.latency_ms),
      createdAt: r.created_at,
    }));
    return paged(rows, page.limit);
  }

  // ── audit ─────────────────────────────────────────────────────────────────────────────────────────────────────

  async appendAudit(event: NewAuditEvent): Promise<void> {
    await insertAudit(this.db, event);
  }

  async listAudit(
    filter: { projectId?: string | undefined },
    page: { limit: number; beforeId?: number | undefined },
  ): Promise<AuditEvent[]> {
    let q = this.db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(page.limit);
    if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
    if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
    return (await q.execute()).map((r) => ({
      id: Number(r.id),
      actor: r.actor,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id,
      projectId: r.project_id,
      details: JSON.parse(r.details) as Record<string, unknown>,
      at: r.at,
    }));
  }
}

async function insertAudit(db: Db, e: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor: e.actor,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      project_id: e.projectId,
      details: JSON.stringify(e.details ?? {}),
      at: now(),
    })
    .execute();
}
