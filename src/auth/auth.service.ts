import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, UnauthorizedError } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { UsersService } from '../users/users.service.js';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service.js';
import type { ClientInfo } from './actor.decorator.js';
import type { LoginDto, LoginResponse } from './dto/auth.dto.js';
import { LoginLimiter } from './login-limiter.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { Principal } from './roles.js';

const INVALID_CREDENTIALS = new DomainError(
  401,
  'invalid_credentials',
  'E-mail or password is wrong',
);

@Injectable()
export class AuthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
    private readonly jwt: JwtService,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Unknown e-mail, wrong password and disabled account get the same answer after the same work,
   * so that an answer does not tell which e-mails have accounts.
   */
  async login(dto: LoginDto, client: ClientInfo): Promise<LoginResponse> {
    await this.limiter.assertAllowed(dto.email, client.ip);
    const credentials = await this.users.findCredentials(dto.email);
    const valid = credentials
      ? await verifyPassword(credentials.passwordHash, dto.password)
      : await verifyAgainstDummy(dto.password);

    if (!credentials || !valid || credentials.disabled) {
      await this.limiter.recordFailure(dto.email, client.ip);
      await this.audit.record(this.dataSource.manager, {
        actorId: null,
        action: 'auth.login_failed',
        entityType: 'user',
        entityId: credentials?.id ?? null,
        after: { email: dto.email.slice(0, 254), ip: client.ip },
        requestId: client.requestId,
      });
      throw INVALID_CREDENTIALS;
    }

    await this.limiter.reset(dto.email);
    await this.audit.record(this.dataSource.manager, {
      actorId: credentials.id,
      action: 'auth.login_succeeded',
      entityType: 'user',
      entityId: credentials.id,
      after: { ip: client.ip },
      requestId: client.requestId,
    });
    return {
      accessToken: await this.jwt.signAsync({ sub: credentials.id }),
      tokenType: 'Bearer',
      expiresIn: this.config.ACCESS_TOKEN_TTL_SECONDS,
      user: await this.users.get(credentials.id),
    };
  }

  /**
   * The user behind an `Authorization: Bearer` header: an access token from login or an API
   * token. The user is read on every request, so disabling them or changing their role takes
   * effect at once.
   */
  async authenticate(authorization: string | undefined): Promise<Principal> {
    const match = /^Bearer ([\w.~+/=-]{1,4096})$/.exec(authorization ?? '');
    if (!match) throw new UnauthorizedError();
    const userId = match[1].startsWith(API_TOKEN_PREFIX)
      ? await this.apiTokens.ownerOf(match[1])
      : await this.accessTokenSubject(match[1]);
    const user = userId ? await this.users.findActive(userId) : null;
    if (!user) throw new UnauthorizedError('The token is not valid, has expired or was revoked');
    return user;
  }

  private async accessTokenSubject(token: string): Promise<string | null> {
    try {
      const payload = await this.jwt.verifyAsync<{ sub?: unknown }>(token);
      return typeof payload.sub === 'string' ? payload.sub : null;
    } catch {
      return null;
    }
  }
}
