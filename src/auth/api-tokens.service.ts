import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { notFound } from '../common/domain-error.js';
import { ApiToken } from './api-token.entity.js';
import type { Actor } from './roles.js';
import type {
  ApiTokenResponse,
  CreateApiTokenDto,
  CreatedApiTokenResponse,
} from './dto/auth.dto.js';

export const API_TOKEN_PREFIX = 'cirt_';
const DEFAULT_LIFETIME_DAYS = 90;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function toResponse(token: ApiToken): ApiTokenResponse {
  return {
    id: token.id,
    name: token.name,
    expiresAt: token.expiresAt,
    lastUsedAt: token.lastUsedAt,
    revokedAt: token.revokedAt,
    createdAt: token.createdAt,
  };
}

@Injectable()
export class ApiTokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** The token itself is in the answer only: the database keeps its SHA-256. */
  async create(actor: Actor, dto: CreateApiTokenDto): Promise<CreatedApiTokenResponse> {
    const token = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const days = dto.expiresInDays ?? DEFAULT_LIFETIME_DAYS;
    const expiresAt = new Date(this.clock.now().getTime() + days * 86_400_000);
    return this.dataSource.transaction(async (manager) => {
      const saved = await manager.save(
        manager.create(ApiToken, {
          userId: actor.user.id,
          name: dto.name,
          tokenHash: digest(token),
          expiresAt,
        }),
      );
      const created = toResponse(saved);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'api_token.created',
        entityType: 'api_token',
        entityId: saved.id,
        after: created,
        requestId: actor.requestId,
      });
      return { ...created, token };
    });
  }

  /** The tokens of a user: the caller's own, or anyone's for an administrator (admin routes). */
  async list(userId: string): Promise<ApiTokenResponse[]> {
    const tokens = await this.dataSource
      .getRepository(ApiToken)
      .find({ where: { userId }, order: { createdAt: 'DESC' } });
    return tokens.map(toResponse);
  }

  /**
   * Revokes a live token of `ownerId`; any other token is answered as one that does not exist.
   * The caller revokes their own (ownerId = their id) or, as an administrator, anyone's.
   */
  async revoke(actor: Actor, id: string, ownerId: string = actor.user.id): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const token = await manager.getRepository(ApiToken).findOne({
        where: { id, userId: ownerId, revokedAt: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!token) throw notFound(`API token ${id}`);
      const before = toResponse(token);
      token.revokedAt = this.clock.now();
      await manager.save(token);
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'api_token.revoked',
        entityType: 'api_token',
        entityId: id,
        before,
        after: toResponse(token),
        requestId: actor.requestId,
      });
    });
  }

  /** Revokes every live token of the user, in the caller's transaction (a password change). */
  async revokeAll(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, this.clock.now()],
    );
  }

  /**
   * The live token, or null for an unknown, revoked or expired one. Notes the use, at most once a
   * minute so that a busy script does not write on every request.
   */
  async find(token: string): Promise<{ id: string; userId: string } | null> {
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
      [digest(token), this.clock.now()],
    );
    return row ?? null;
  }
}
