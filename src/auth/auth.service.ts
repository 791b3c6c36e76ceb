import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, fieldError, unauthorized, validationFailed } from '../common/domain-error.js';
import { UserChanges } from '../users/user-changes.js';
import { InvitationsService } from '../users/invitations.service.js';
import { UsersService } from '../users/users.service.js';
import { API_TOKEN_PREFIX, ApiTokensService } from './api-tokens.service.js';
import type { ClientInfo, Credential } from './actor.decorator.js';
import type {
  AcceptInvitationDto,
  ChangePasswordDto,
  LoginDto,
  LoginResponse,
} from './dto/auth.dto.js';
import { LoginLimiter } from './login-limiter.js';
import { hashPassword, passwordProblems, verifyAgainstDummy, verifyPassword } from './passwords.js';
import type { Actor, Principal } from './roles.js';
import { type IssuedSession, type SessionKind, SessionsService } from './sessions.service.js';
import { AuthErrors, AuthFieldErrors } from './auth.errors.js';

const INVALID_CREDENTIALS = new DomainError(AuthErrors.invalid_credentials);

@Injectable()
export class AuthService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
    private readonly sessions: SessionsService,
    private readonly limiter: LoginLimiter,
    private readonly audit: AuditService,
    private readonly userChanges: UserChanges,
    private readonly invitations: InvitationsService,
  ) {}

  /**
   * A new password, role or scope, or disabling, ends every session of the user issued before it
   * (but the one that changed its own password); a new password also revokes their API tokens, so
   * whoever knew the old one keeps nothing.
   */
  onModuleInit(): void {
    this.userChanges.subscribe(async (manager, change) => {
      if (change.passwordChanged || change.accessChanged) {
        await this.sessions.endAll(manager, change.user.id, change.keepSession);
      }
      if (change.passwordChanged) await this.apiTokens.revokeAll(manager, change.user.id);
    });
  }

  /**
   * Unknown e-mail, wrong password and disabled account get the same answer after the same work,
   * so that an answer does not tell which e-mails have accounts.
   */
  async login(
    dto: LoginDto,
    client: ClientInfo,
    kind: SessionKind = 'api',
  ): Promise<LoginResponse> {
    await this.limiter.begin(dto.email, client.ip);
    const credentials = await this.users.findCredentials(dto.email);
    const valid = credentials
      ? await verifyPassword(credentials.passwordHash, dto.password)
      : await verifyAgainstDummy(dto.password);

    if (!credentials || !valid || credentials.disabled) {
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

    await this.limiter.succeeded(dto.email, client.ip);
    await this.audit.record(this.dataSource.manager, {
      actorId: credentials.id,
      action: 'auth.login_succeeded',
      entityType: 'user',
      entityId: credentials.id,
      after: { ip: client.ip, kind },
      requestId: client.requestId,
    });
    const session = await this.sessions.start(credentials.id, kind);
    return {
      accessToken: session.accessToken,
      tokenType: 'Bearer',
      expiresIn: session.expiresIn,
      user: await this.users.get(credentials.id),
    };
  }

  /**
   * The user behind an `Authorization: Bearer` header, and the session or API token it names.
   * Both are read on every request, so sign-out, revocation, disabling and role changes take
   * effect at once.
   */
  async authenticate(
    authorization: string | undefined,
  ): Promise<{ principal: Principal; credential: Credential }> {
    const match = /^Bearer ([\w.~+/=-]{1,4096})$/.exec(authorization ?? '');
    if (!match) throw unauthorized();
    if (match[1].startsWith(API_TOKEN_PREFIX)) {
      const token = await this.apiTokens.find(match[1]);
      const principal = token ? await this.users.findActive(token.userId) : null;
      if (!token || !principal) throw unauthorized(AuthErrors.token_revoked);
      return { principal, credential: { kind: 'api_token', id: token.id } };
    }
    const session = await this.sessions.sessionOf(match[1]);
    const principal = session
      ? await this.sessions.principal(session.sessionId, session.userId)
      : null;
    if (!session || !principal) throw unauthorized(AuthErrors.token_revoked);
    return { principal, credential: { kind: 'session', id: session.sessionId } };
  }

  /**
   * An invited user's own first password (InvitationsService). The invitation's page then signs
   * them in (`kind` 'page'), as sign-in would; the API answers only that it is done.
   */
  async acceptInvitation(
    dto: AcceptInvitationDto,
    client: ClientInfo,
    kind: SessionKind | null = null,
  ): Promise<IssuedSession | null> {
    const { userId } = await this.invitations.accept(dto, client.requestId);
    if (kind === null) return null;
    await this.audit.record(this.dataSource.manager, {
      actorId: userId,
      action: 'auth.login_succeeded',
      entityType: 'user',
      entityId: userId,
      after: { ip: client.ip, kind, invitation: true },
      requestId: client.requestId,
    });
    return this.sessions.start(userId, kind);
  }

  /** Ends the session or revokes the API token that made the request. */
  async logout(actor: Actor, credential: Credential): Promise<void> {
    if (credential.kind === 'session') await this.sessions.end(credential.id);
    else await this.apiTokens.revoke(actor, credential.id);
  }

  /**
   * A user's own new password. It ends every other session and revokes the user's API tokens,
   * so whoever knew the old password keeps nothing.
   */
  async changePassword(actor: Actor, credential: Credential, dto: ChangePasswordDto) {
    const stored = await this.users.findCredentials(actor.user.email);
    if (!stored || !(await verifyPassword(stored.passwordHash, dto.currentPassword))) {
      throw new DomainError(
        AuthErrors.current_password_invalid,
        {},
        { errors: [fieldError('currentPassword', AuthFieldErrors.current_password_wrong)] },
      );
    }
    const problems = passwordProblems(dto.newPassword, actor.user.email, 'newPassword');
    if (problems.length > 0) throw validationFailed(problems);
    const passwordHash = await hashPassword(dto.newPassword);
    await this.users.setOwnPassword(
      actor,
      passwordHash,
      credential.kind === 'session' ? credential.id : null,
    );
  }
}
