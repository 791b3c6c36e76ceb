import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { ApiToken } from './api-token.entity.js';
import type { Principal } from './roles.js';
import type { SessionKind } from './sessions.service.js';

/** The SQL of what signs a user in: sessions, API tokens and the service's own secrets. */
@Injectable()
export class AuthRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  // --- API tokens (api_tokens) ---

  insertApiToken(
    token: Pick<ApiToken, 'userId' | 'name' | 'tokenHash' | 'expiresAt'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ApiToken> {
    return manager.save(manager.create(ApiToken, token));
  }

  /** The tokens of a user, newest first. */
  listApiTokens(userId: string): Promise<ApiToken[]> {
    return this.dataSource
      .getRepository(ApiToken)
      .find({ where: { userId }, order: { createdAt: 'DESC' } });
  }

  /** A token of the user that is not revoked, locked until the caller's transaction ends. */
  findUnrevokedApiTokenForUpdate(
    id: string,
    userId: string,
    manager: EntityManager,
  ): Promise<ApiToken | null> {
    return manager.getRepository(ApiToken).findOne({
      where: { id, userId, revokedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Writes the changes made to a loaded token. */
  saveApiToken(
    token: ApiToken,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ApiToken> {
    return manager.save(token);
  }

  async revokeAllApiTokens(userId: string, at: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, at],
    );
  }

  /**
   * The live token of that hash at `now`, or null for an unknown, revoked or expired one. Notes
   * the use in the same statement, at most once a minute.
   */
  async findLiveApiTokenNotingUse(
    tokenHash: string,
    now: Date,
  ): Promise<{ id: string; userId: string } | null> {
    const [row] = await this.dataSource.query(
      `WITH live AS (
         SELECT id, user_id, last_used_at FROM api_tokens
         WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2)
       ), touched AS (
         UPDATE api_tokens t SET last_used_at = $2 FROM live
         WHERE t.id = live.id
           AND (live.last_used_at IS NULL OR live.last_used_at < $2 - interval '1 minute')
       )
       SELECT id, user_id AS "userId" FROM live`,
      [tokenHash, now],
    );
    return row ?? null;
  }

  // --- Sessions (auth_sessions) ---

  /** Inserts a session that starts at `now`; answers its id. */
  async insertSession(
    userId: string,
    kind: SessionKind,
    now: Date,
    expiresAt: Date,
  ): Promise<string> {
    const [session] = await this.dataSource.query(
      `INSERT INTO auth_sessions (user_id, kind, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $3, $4) RETURNING id`,
      [userId, kind, now, expiresAt],
    );
    return session.id;
  }

  /**
   * The active user of a live session at `now`, or null; a page session idles out after
   * `idleMinutes`, and its use is noted in the same statement (at most once a minute). It reads
   * the user in the same statement because it runs on every request.
   */
  async findLiveSessionPrincipalNotingUse(
    sessionId: string,
    userId: string,
    now: Date,
    idleMinutes: number,
  ): Promise<Principal | null> {
    const [row] = await this.dataSource.query(
      `WITH live AS (
         SELECT id, last_seen_at FROM auth_sessions
         WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL AND expires_at > $3
           AND (kind <> 'page' OR last_seen_at > $3 - make_interval(mins => $4))
       ), touched AS (
         UPDATE auth_sessions s SET last_seen_at = $3 FROM live
         WHERE s.id = live.id AND s.kind = 'page' AND live.last_seen_at < $3 - interval '1 minute'
       )
       SELECT u.id, u.email, u.display_name AS "displayName", u.role,
              u.country_code AS "countryCode", u.region_code AS "regionCode", u.locale,
              u.timezone, u.password_change_required AS "passwordChangeRequired"
       FROM live JOIN users u ON u.id = $2 AND NOT u.disabled`,
      [sessionId, userId, now, idleMinutes],
    );
    return row ?? null;
  }

  async revokeSession(sessionId: string, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, at],
    );
  }

  /** Revokes every live session of the user but `keep`. */
  async revokeAllSessions(
    userId: string,
    keep: string | null,
    at: Date,
    manager: EntityManager,
  ): Promise<void> {
    await manager.query(
      `UPDATE auth_sessions SET revoked_at = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3`,
      [userId, at, keep],
    );
  }

  // --- The service's secrets (server_secrets) ---

  /**
   * The stored value of the secret, inserting `candidate` when there is none. Null when another
   * process inserted it between this statement's insert and its read (ask again).
   */
  async insertOrReadSecret(name: string, candidate: string): Promise<string | null> {
    const [row] = await this.dataSource.query(
      `WITH made AS (
         INSERT INTO server_secrets (name, value) VALUES ($1, $2)
         ON CONFLICT (name) DO NOTHING RETURNING value
       )
       SELECT value FROM made UNION ALL SELECT value FROM server_secrets WHERE name = $1`,
      [name, candidate],
    );
    return row?.value ?? null;
  }
}
