import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config.js';
import type { AuthRepository } from './auth.repository.js';

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
async function storedSecret(repository: AuthRepository, name: string): Promise<Buffer> {
  const value = await repository.insertOrReadSecret(name, randomBytes(48).toString('base64'));
  if (value === null) return storedSecret(repository, name);
  return Buffer.from(value, 'base64');
}

/** Read before the rest of the application starts, so with a repository made by hand. */
export async function loadServerSecrets(
  repository: AuthRepository,
  config: AppConfig,
): Promise<ServerSecrets> {
  return new ServerSecrets(
    config.JWT_SECRET ? Buffer.from(config.JWT_SECRET) : await storedSecret(repository, 'jwt'),
    await storedSecret(repository, 'csrf'),
  );
}
