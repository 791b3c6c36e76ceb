import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';

/** The secrets the service signs with: never constants of the source code. */
export class ServerSecrets {
  constructor(
    /** Signs access tokens (JWT, HS256). */
    readonly jwt: Buffer,
    /** Derives each session's CSRF token: a separate key, so one leak does not give the other. */
    readonly csrf: Buffer,
  ) {}
}

/**
 * The secret of that name from the database, made at random the first time it is asked for.
 * Concurrent first starts of several replicas agree: the insert that loses keeps the winner's.
 */
async function storedSecret(dataSource: DataSource, name: string): Promise<Buffer> {
  const [row] = await dataSource.query(
    `WITH made AS (
       INSERT INTO server_secrets (name, value) VALUES ($1, $2)
       ON CONFLICT (name) DO NOTHING RETURNING value
     )
     SELECT value FROM made UNION ALL SELECT value FROM server_secrets WHERE name = $1`,
    [name, randomBytes(48).toString('base64')],
  );
  if (!row) return storedSecret(dataSource, name);
  return Buffer.from(row.value, 'base64');
}

export async function loadServerSecrets(
  dataSource: DataSource,
  config: AppConfig,
): Promise<ServerSecrets> {
  return new ServerSecrets(
    config.JWT_SECRET ? Buffer.from(config.JWT_SECRET) : await storedSecret(dataSource, 'jwt'),
    await storedSecret(dataSource, 'csrf'),
  );
}
