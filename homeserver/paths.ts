import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The kit's own folder (`homeserver/`), wherever the repository is checked out. */
export const KIT_DIR = path.dirname(fileURLToPath(import.meta.url));

/** The project-local virtual environment holding the pinned Synapse. */
export const VENV_DIR = path.join(KIT_DIR, '.venv');

/** The committed, pinned Python requirements. */
export const REQUIREMENTS_FILE = path.join(KIT_DIR, 'requirements.txt');
/** Every package of the venv pinned with its wheel's hash (`pip install --require-hashes`). */
export const REQUIREMENTS_LOCK = path.join(KIT_DIR, 'requirements.lock');

/** Default instance data directory of the CLI. */
export const DEFAULT_DATA_DIR = path.join(KIT_DIR, 'data');

/** Files of one instance, all inside its data directory. */
export interface InstancePaths {
  /** The instance data directory itself. */
  dataDir: string;
  /** The kit's own settings for this instance (server name, port, ...), `kit.yaml`. */
  kitConfig: string;
  /** Synapse config generated from the kit settings on every start. */
  homeserverYaml: string;
  /** Optional operator overrides: every `*.yaml` here is passed to Synapse after `homeserver.yaml`. */
  confDir: string;
  /** Owner-only folder with the generated secrets and the admin credentials. */
  secretsDir: string;
  signingKey: string;
  registrationSharedSecret: string;
  macaroonSecret: string;
  formSecret: string;
  /** libpq password file, written only when the database URL carries a password. */
  pgpass: string;
  /** Credentials of the kit's server-admin user. */
  adminCredentials: string;
  /** SQLite database (unused on PostgreSQL). */
  sqliteDatabase: string;
  mediaStore: string;
  /** Pid of the running Synapse. */
  pidFile: string;
  /** Synapse's stdout and stderr. */
  logFile: string;
}

/** Resolves every file of the instance living in `dataDir`. */
export function instancePaths(dataDir: string): InstancePaths {
  const dir = path.resolve(dataDir);
  const secrets = path.join(dir, 'secrets');
  return {
    dataDir: dir,
    kitConfig: path.join(dir, 'kit.yaml'),
    homeserverYaml: path.join(dir, 'homeserver.yaml'),
    confDir: path.join(dir, 'conf.d'),
    secretsDir: secrets,
    signingKey: path.join(secrets, 'signing.key'),
    registrationSharedSecret: path.join(secrets, 'registration_shared_secret'),
    macaroonSecret: path.join(secrets, 'macaroon_secret_key'),
    formSecret: path.join(secrets, 'form_secret'),
    pgpass: path.join(secrets, 'pgpass'),
    adminCredentials: path.join(secrets, 'admin.json'),
    sqliteDatabase: path.join(dir, 'homeserver.db'),
    mediaStore: path.join(dir, 'media_store'),
    pidFile: path.join(dir, 'synapse.pid'),
    logFile: path.join(dir, 'homeserver.log'),
  };
}
