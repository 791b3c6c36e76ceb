import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { CountriesService } from '../countries/countries.service.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { AuditService } from '../audit/audit.service.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import type { Actor, Principal, Role } from '../auth/roles.js';
import { ValidationFieldErrors } from '../common/common.errors.js';
import {
  DomainError,
  FieldError,
  fieldError,
  notFound,
  validationFailed,
} from '../common/domain-error.js';
import { UserErrors, UserFieldErrors } from './user.errors.js';
import type { Page } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import {
  CreateUserDto,
  InvitationSentResponse,
  UpdateOwnSettingsDto,
  UpdateUserDto,
  UserResponse,
  UsersQuery,
} from './dto/user.dto.js';
import { InvitationsService } from './invitations.service.js';
import { UserChanges } from './user-changes.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';

interface Scope {
  role: Role;
  countryCode: string | null;
  regionCode: string | null;
}

/**
 * The roles an itu_pm may create and manage. Admin and itu_pm accounts are an administrator's
 * alone: one itu_pm taking over another would defeat the two-person rule on approvals.
 */
const MANAGED_BY_ITU_PM: readonly Role[] = ['regional_coordinator', 'national_team', 'observer'];

/** An initial password (which the user will replace) or an invitation to choose one: not both. */
function initialPasswordProblems(dto: CreateUserDto): FieldError[] {
  if (dto.invite === true) {
    return dto.password === undefined
      ? []
      : [fieldError('password', UserFieldErrors.password_and_invitation)];
  }
  if (dto.password === undefined) {
    return [fieldError('password', UserFieldErrors.password_or_invitation)];
  }
  return passwordProblems(dto.password, dto.email, 'password');
}

/** A national team works for one country, a coordinator for one region, the others for all. */
function scopeProblems(scope: Scope): FieldError[] {
  const problems: FieldError[] = [];
  if (scope.role === 'national_team' && !scope.countryCode) {
    problems.push(
      fieldError('countryCode', UserFieldErrors.country_code_required, { role: scope.role }),
    );
  }
  if (scope.role !== 'national_team' && scope.countryCode) {
    problems.push(
      fieldError('countryCode', UserFieldErrors.country_code_not_allowed, { role: scope.role }),
    );
  }
  if (scope.role === 'regional_coordinator' && !scope.regionCode) {
    problems.push(
      fieldError('regionCode', UserFieldErrors.region_code_required, { role: scope.role }),
    );
  }
  if (scope.role !== 'regional_coordinator' && scope.regionCode) {
    problems.push(
      fieldError('regionCode', UserFieldErrors.region_code_not_allowed, { role: scope.role }),
    );
  }
  return problems;
}

function toResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    countryCode: user.countryCode,
    regionCode: user.regionCode,
    locale: user.locale,
    timezone: user.timezone,
    passwordChangeRequired: user.passwordChangeRequired,
    disabled: user.disabled,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: UsersRepository,
    private readonly countries: CountriesService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly changes: UserChanges,
    private readonly invitations: InvitationsService,
  ) {}

  list(query: UsersQuery): Promise<Page<UserResponse>> {
    return this.repository.listPage(query);
  }

  /** Whether the user (an admin or itu_pm) may give this role and change those who have it. */
  mayManage(user: Principal, role: Role): boolean {
    return user.role === 'admin' || MANAGED_BY_ITU_PM.includes(role);
  }

  async get(id: string): Promise<UserResponse> {
    return toResponse(await this.find(this.dataSource.manager, id));
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<UserResponse> {
    this.assertMayManage(actor.user, dto.role);
    return this.insert(dto, actor.user.id, actor.requestId);
  }

  /** For an operator at the server's shell (`npm run cli`), who may create any user. */
  createByOperator(dto: CreateUserDto): Promise<UserResponse> {
    return this.insert(dto, null, 'cli');
  }

  /** The caller's own language and time zone (null: the browser's). */
  async updateOwnSettings(actor: Actor, dto: UpdateOwnSettingsDto): Promise<UserResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, actor.user.id, true);
      const before = toResponse(user);
      if (dto.locale !== undefined) user.locale = dto.locale;
      if (dto.timezone !== undefined) user.timezone = dto.timezone;
      const saved = toResponse(await this.repository.save(user, manager));
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'user.updated',
        entityType: 'user',
        entityId: user.id,
        before,
        after: saved,
        requestId: actor.requestId,
      });
      return saved;
    });
  }

  /**
   * A change by an administrator or itu_pm. A new password, role or scope, or disabling, is
   * published to the modules that hold what the user may do (UserChanges), in this transaction.
   */
  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<UserResponse> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    return this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, id, true);
      const before = toResponse(user);
      const role = dto.role ?? user.role;
      // A new role drops the scope of the old one unless the change names one.
      const roleChanged = role !== user.role;
      const scope = {
        role,
        countryCode:
          dto.countryCode !== undefined ? dto.countryCode : roleChanged ? null : user.countryCode,
        regionCode:
          dto.regionCode !== undefined ? dto.regionCode : roleChanged ? null : user.regionCode,
      };
      this.assertMayManage(actor.user, user.role);
      this.assertMayManage(actor.user, role);
      const problems = dto.password ? passwordProblems(dto.password, user.email, 'password') : [];
      if (problems.length > 0) throw validationFailed(problems);
      await this.assertValidScope(scope, manager);

      const accessChanged =
        roleChanged ||
        scope.countryCode !== user.countryCode ||
        scope.regionCode !== user.regionCode ||
        (dto.disabled === true && !user.disabled);
      Object.assign(user, scope, {
        displayName: dto.displayName ?? user.displayName,
        locale: dto.locale ?? user.locale,
        disabled: dto.disabled ?? user.disabled,
        // A password chosen by someone else is the user's to replace at the next sign-in.
        ...(passwordHash
          ? { passwordHash, passwordChangeRequired: user.id !== actor.user.id }
          : {}),
      });
      const saved = toResponse(await this.repository.save(user, manager));
      if (passwordHash) await this.invitations.revokeOpen(manager, user.id);
      await this.changes.publish(manager, {
        user: saved,
        passwordChanged: passwordHash !== undefined,
        accessChanged,
        keepSession: null,
        actorId: actor.user.id,
        requestId: actor.requestId,
      });
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'user.updated',
        entityType: 'user',
        entityId: id,
        before,
        after: { ...saved, passwordChanged: passwordHash !== undefined },
        requestId: actor.requestId,
      });
      return saved;
    });
  }

  /**
   * The caller's own new password (checked by AuthService), published like any new password but
   * keeping the calling session.
   */
  async setOwnPassword(actor: Actor, passwordHash: string, keepSession: string | null) {
    await this.dataSource.transaction(async (manager) => {
      await this.repository.updatePasswordHash(actor.user.id, passwordHash, manager);
      await this.changes.publish(manager, {
        user: { ...actor.user, disabled: false },
        passwordChanged: true,
        accessChanged: false,
        keepSession,
        actorId: actor.user.id,
        requestId: actor.requestId,
      });
      await this.audit.record(manager, {
        actorId: actor.user.id,
        action: 'user.password_changed',
        entityType: 'user',
        entityId: actor.user.id,
        requestId: actor.requestId,
      });
    });
  }

  private async insert(
    dto: CreateUserDto,
    actorId: string | null,
    requestId: string,
  ): Promise<UserResponse> {
    const scope = {
      role: dto.role,
      countryCode: dto.countryCode ?? null,
      regionCode: dto.regionCode ?? null,
    };
    const problems = initialPasswordProblems(dto);
    if (problems.length > 0) throw validationFailed(problems);
    await this.assertValidScope(scope);
    // An invited user's password is one nobody knows, until they choose theirs through the link.
    const passwordHash = await hashPassword(dto.password ?? randomBytes(32).toString('base64url'));
    try {
      return await this.dataSource.transaction(async (manager) => {
        const user = await this.repository.insert(
          {
            email: dto.email,
            displayName: dto.displayName,
            ...scope,
            locale: dto.locale ?? 'en',
            passwordHash,
            // Someone else chose it; an operator at the shell sets up their own first account.
            passwordChangeRequired: actorId !== null || dto.invite === true,
          },
          manager,
        );
        const created = toResponse(user);
        await this.audit.record(manager, {
          actorId,
          action: 'user.created',
          entityType: 'user',
          entityId: user.id,
          after: created,
          requestId,
        });
        if (dto.invite) await this.invitations.send(manager, user, actorId, requestId);
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(UserErrors.email_taken, { email: dto.email });
      }
      throw error;
    }
  }

  /**
   * A new invitation for a user who has never chosen their own password; the links sent before
   * stop working. Anyone else (or a disabled user): 409.
   */
  async resendInvitation(actor: Actor, id: string): Promise<InvitationSentResponse> {
    return this.dataSource.transaction(async (manager) => {
      const user = await this.find(manager, id, true);
      this.assertMayManage(actor.user, user.role);
      if (user.disabled || !(await this.invitations.isPending(user, manager))) {
        throw new DomainError(UserErrors.invitation_not_needed);
      }
      return this.invitations.send(manager, user, actor.user.id, actor.requestId);
    });
  }

  /** The signed-in user behind a token, or null when there is none or they are disabled. */
  async findActive(id: string): Promise<Principal | null> {
    const user = await this.repository.findActiveById(id);
    return user
      ? {
          id: user.id,
          email: user.email,
          displayName: user.displayName,
          role: user.role,
          countryCode: user.countryCode,
          regionCode: user.regionCode,
          locale: user.locale,
          timezone: user.timezone,
          passwordChangeRequired: user.passwordChangeRequired,
        }
      : null;
  }

  /** What login needs to check a password: nothing for an unknown e-mail. */
  async findCredentials(
    email: string,
  ): Promise<{ id: string; passwordHash: string; disabled: boolean } | null> {
    return this.repository.findCredentialsByEmail(email);
  }

  /** With ADMIN_EMAIL and ADMIN_PASSWORD set, the first start creates the first administrator. */
  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password } = this.config;
    if (!email || !password) return;
    if ((await this.repository.count()) > 0) return;
    const passwordHash = await hashPassword(password);
    const created = await this.repository.insertFirstAdministrator(
      email.trim().toLowerCase(),
      passwordHash,
    );
    if (created) this.logger.log(`Created the first administrator, ${email}`);
  }

  private async find(manager: EntityManager, id: string, forUpdate = false): Promise<User> {
    const user = await this.repository.findById(id, manager, forUpdate);
    if (!user) throw notFound(`User ${id}`);
    return user;
  }

  private assertMayManage(user: Principal, role: Role): void {
    if (!this.mayManage(user, role)) throw new DomainError(UserErrors.admin_only);
  }

  private async assertValidScope(scope: Scope, manager: EntityManager = this.dataSource.manager) {
    const problems = scopeProblems(scope);
    if (problems.length === 0 && scope.countryCode) {
      if (!(await this.countries.isTracked(scope.countryCode, manager))) {
        problems.push(
          fieldError('countryCode', ValidationFieldErrors.country_not_tracked, {
            country: scope.countryCode,
          }),
        );
      }
    }
    if (problems.length > 0) throw validationFailed(problems);
  }
}
