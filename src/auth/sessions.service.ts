import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { Principal } from './roles.js';

/** 'page': the pages' cookie, which also ends when idle; 'api': an access token from login. */
export type SessionKind = 'page' | 'api';

export interface IssuedSession {
  id: string;
  accessToken: string;
  expiresIn: number;
}

/**
 * Sign-in sessions. Each access token names its session (`sid`), and a token is good only while
 * its session row is: so sign-out, a password change, a role or scope change and disabling end
 * tokens at once, which a signature alone cannot do.
 */
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async start(userId: string, kind: SessionKind): Promise<IssuedSession> {
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const now = this.clock.now();
    const [session] = await this.dataSource.query(
      `INSERT INTO auth_sessions (user_id, kind, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $3, $4) RETURNING id`,
      [userId, kind, now, new Date(now.getTime() + expiresIn * 1000)],
    );
    const accessToken = await this.jwt.signAsync({ sub: userId, sid: session.id }, { expiresIn });
    return { id: session.id, accessToken, expiresIn };
  }

  /**
   * The active user of a live session, or null. One statement, since it runs on every request:
   * for a page session it also notes the use (at most once a minute), which keeps it from idling
   * out; API sessions do not idle, so they are never written to.
   */
  async principal(sessionId: string, userId: string): Promise<Principal | null> {
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
              u.country_code AS "countryCode", u.region_code AS "regionCode", u.locale
       FROM live JOIN users u ON u.id = $2 AND NOT u.disabled`,
      [sessionId, userId, this.clock.now(), this.config.SESSION_IDLE_MINUTES],
    );
    return row ?? null;
  }

  async end(sessionId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE auth_sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL`,
      [sessionId, this.clock.now()],
    );
  }

  /** Ends every session of the user but `keep` (the caller's own, after changing their password). */
  async endAll(manager: EntityManager, userId: string, keep: string | null = null): Promise<void> {
    await manager.query(
      `UPDATE auth_sessions SET revoked_at = $2
       WHERE user_id = $1 AND revoked_at IS NULL AND id IS DISTINCT FROM $3`,
      [userId, this.clock.now(), keep],
    );
  }

  /** The session a token names, if its signature and lifetime hold. */
  async sessionOf(token: string): Promise<{ userId: string; sessionId: string } | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown; sid?: unknown }>(token);
      return typeof payload.sub === 'string' && typeof payload.sid === 'string'
        ? { userId: payload.sub, sessionId: payload.sid }
        : null;
    } catch {
      return null;
    }
  }
}
