// Versioned schema migrations, applied in order by Kysely's Migrator on both dialects.

import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { automlMigration } from './migration-automl.js';
import { batchMigration } from './migration-batch.js';
import { batchOutputTableMigration } from './migration-batch-output.js';
import { runInputsMigration } from './migration-run-inputs.js';
import { deploymentMigration } from './migration-deployment.js';
import { feedbackMigration } from './migration-feedback.js';
import { monitoringMigration } from './migration-monitoring.js';
import { studiesMigration } from './migration-studies.js';
import { trackingMigration } from './migration-tracking.js';
import { registryMigration } from './migration-registry.js';
import { alertsMigration } from './migration-alerts.js';
import { probesMigration } from './migration-probes.js';
import { retrainingMigration } from './migration-retraining.js';
import { alertOptionsMigration } from './migration-alert-options.js';

export type Dialect = 'sqlite' | 'postgres';

type Db = Kysely<unknown>;

function initial(dialect: Dialect): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_used_at', 'text')
        .execute();
      await db.schema
        .createTable('projects')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('members')
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
        .addColumn('role', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('members_pk', ['project_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('datasets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('datasets_project_name', ['project_id', 'name'])
        .execute();
      await db.schema
        .createTable('dataset_versions')
        .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('snapshot_key', 'text', (c) => c.notNull())
        .addColumn('rows', 'bigint', (c) => c.notNull())
        .addColumn('bytes', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('profile', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_versions_pk', ['dataset_id', 'version'])
        .execute();
      await db.schema
        .createTable('runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
        .addColumn('dataset_version', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .addColumn('progress', 'double precision', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .addColumn('environment', 'text')
        .addColumn('artifact_key', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('duration_ms', 'double precision')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('runs_project').on('runs').columns(['project_id', 'id']).execute();
      await db.schema.createIndex('runs_status').on('runs').column('status').execute();
      await db.schema
        .createTable('models')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('models_project_name', ['project_id', 'name'])
        .execute();
      await db.schema
        .createTable('model_versions')
        .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull().references('runs.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_versions_pk', ['model_id', 'version'])
        .execute();
      await db.schema
        .createTable('model_aliases')
        .addColumn('model_id', 'text', (c) => c.notNull().references('models.id'))
        .addColumn('alias', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_aliases_pk', ['model_id', 'alias'])
        .execute();
      await db.schema
        .createTable('endpoints')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('model_ref', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('endpoints_project_name', ['project_id', 'name'])
        .execute();
      await db.schema
        .createTable('inference_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('endpoints.id'))
        .addColumn('model_version', 'integer', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .addColumn('outputs', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('inference_log_endpoint')
        .on('inference_log')
        .columns(['endpoint_id', 'id'])
        .execute();
      await db.schema
        .createTable('audit_events')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('object_type', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('project_id', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_project').on('audit_events').columns(['project_id', 'id']).execute();
      await makeAuditAppendOnly(db, dialect);
    },
  };
}

/** The audit trail is append-only in the database itself, not just by the absence of an API. */
async function makeAuditAppendOnly(db: Db, dialect: Dialect): Promise<void> {
  if (dialect === 'sqlite') {
    for (const op of ['UPDATE', 'DELETE']) {
      await sql
        .raw(
          `CREATE TRIGGER audit_events_no_${op.toLowerCase()} BEFORE ${op} ON audit_events ` +
            `BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`,
        )
        .execute(db);
    }
    return;
  }
  await sql
    .raw(
      `CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$ ` +
        `BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql`,
    )
    .execute(db);
  await sql
    .raw(
      `CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events ` +
        `FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
    )
    .execute(db);
}

/** Database connections of the data catalog; the password only as a sealed secret (see auth/secret-box.ts). */
function connections(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('connections')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('port', 'integer', (c) => c.notNull())
        .addColumn('database', 'text', (c) => c.notNull())
        .addColumn('user_name', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('sealed_secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('connections_project_name', ['project_id', 'name'])
        .execute();
    },
  };
}

/** Where a dataset's versions come from, for refresh: a server-side path, or SQL on a connection. */
function datasetSources(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('dataset_sources')
        .addColumn('dataset_id', 'text', (c) => c.primaryKey().references('datasets.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('path', 'text')
        .addColumn('connection_id', 'text')
        .addColumn('query', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

/** Lineage walks from a dataset version to its runs and from a run to its model versions. */
function lineageIndexes(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createIndex('runs_dataset_version')
        .on('runs')
        .columns(['dataset_id', 'dataset_version'])
        .execute();
      await db.schema.createIndex('model_versions_run').on('model_versions').columns(['run_id']).execute();
    },
  };
}

/** Which dataset versions a derived (workbench query) version was made from, for lineage. */
function datasetVersionParents(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('dataset_version_parents')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('parent_dataset_id', 'text', (c) => c.notNull())
        .addColumn('parent_version', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_version_parents_pk', [
          'dataset_id',
          'version',
          'parent_dataset_id',
          'parent_version',
        ])
        .execute();
      await db.schema
        .createIndex('dataset_version_children')
        .on('dataset_version_parents')
        .columns(['parent_dataset_id', 'parent_version'])
        .execute();
    },
  };
}

/**
 * Governing dataset versions: tags on datasets and versions, pins, a retention policy per dataset, the options a file
 * source is read with again, and snapshots waiting to be deleted once nothing refers to them.
 */
function datasetGovernance(): Migration {
  return {
    async up(db: Db) {
      await db.schema
        .createTable('dataset_tags')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_tags_pk', ['dataset_id', 'key'])
        .execute();
      await db.schema
        .createTable('dataset_version_tags')
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('dataset_version_tags_pk', ['dataset_id', 'version', 'key'])
        .execute();
      await db.schema
        .alterTable('dataset_versions')
        .addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('datasets').addColumn('retention', 'text').execute();
      await db.schema.alterTable('dataset_sources').addColumn('options', 'text').execute();
      await db.schema.createIndex('dataset_versions_snapshot').on('dataset_versions').column('snapshot_key').execute();
      await db.schema
        .createTable('snapshot_trash')
        .addColumn('snapshot_key', 'text', (c) => c.primaryKey())
        .addColumn('orphaned_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      return {
        '0001_initial': initial(dialect),
        '0002_connections': connections(),
        '0003_dataset_sources': datasetSources(),
        '0004_lineage_indexes': lineageIndexes(),
        '0005_dataset_version_parents': datasetVersionParents(),
        '0006_dataset_governance': datasetGovernance(),
        '0007_tracking': trackingMigration(dialect),
        '0008_registry': registryMigration(),
        '0009_studies': studiesMigration(),
        '0010_automl': automlMigration(),
        '0011_run_inputs': runInputsMigration(),
        '0012_deployment': deploymentMigration(),
        '0013_batch_scoring': batchMigration(),
        '0014_batch_output_table': batchOutputTableMigration(),
        '0015_feedback': feedbackMigration(),
        '0016_monitoring': monitoringMigration(),
        '0017_alerts': alertsMigration(),
        '0018_probes': probesMigration(),
        '0019_retraining': retrainingMigration(),
        '0020_alert_options': alertOptionsMigration(),
      };
    },
  };
}
