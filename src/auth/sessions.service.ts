import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { AuthRepository } from './auth.repository.js';
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
    private readonly repository: AuthRepository,
    private readonly jwt: JwtService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async start(userId: string, kind: SessionKind): Promise<IssuedSession> {
    const expiresIn = this.config.ACCESS_TOKEN_TTL_SECONDS;
    const now = this.clock.now();
    const id = await this.repository.insertSession(
      userId,
      kind,
      now,
      new Date(now.getTime() + expiresIn * 1000),
    );
    const accessToken = await this.jwt.signAsync({ sub: userId, sid: id }, { expiresIn });
    return { id, accessToken, expiresIn };
  }

  /**
   * The active user of a live session, or null. One statement, since it runs on every request:
   * for a page session it also notes the use (at most once a minute), which keeps it from idling
   * out; API sessions do not idle, so they are never written to.
   */
  async principal(sessionId: string, userId: string): Promise<Principal | null> {
    return this.repository.findLiveSessionPrincipalNotingUse(
      sessionId,
      userId,
      this.clock.now(),
      this.config.SESSION_IDLE_MINUTES,
    );
  }

  async end(sessionId: string): Promise<void> {
    await this.repository.revokeSession(sessionId, this.clock.now());
  }

  /** Ends every session of the user but `keep` (the caller's own, after changing their password). */
  async endAll(manager: EntityManager, userId: string, keep: string | null = null): Promise<void> {
    await this.repository.revokeAllSessions(userId, keep, this.clock.now(), manager);
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
