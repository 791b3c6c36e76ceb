import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Page, paginate } from '../common/pagination.js';
import type { Role } from '../auth/roles.js';
import type { Locale } from '../messages/locales.js';
import type { UserResponse, UsersQuery } from './dto/user.dto.js';
import { User } from './user.entity.js';

/** The fields of a new user; the database fills in the rest. */
export type NewUser = Pick<
  User,
  | 'email'
  | 'displayName'
  | 'role'
  | 'countryCode'
  | 'regionCode'
  | 'locale'
  | 'passwordHash'
  | 'passwordChangeRequired'
>;

/** An invitation as accepting it needs it: its state, and who it is for. */
export interface InvitationOfUser {
  id: string;
  expiresAt: Date;
  usedAt: Date | null;
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  countryCode: string | null;
  regionCode: string | null;
  locale: Locale;
  disabled: boolean;
}

/** The SQL of the users table, and of user_invitations (links to choose a first password). */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of users, filtered by role, region, country, state and a text in the e-mail or the name. */
  listPage(query: UsersQuery): Promise<Page<UserResponse>> {
    const params: unknown[] = [];
    const where = ['TRUE'];
    if (query.role) where.push(`u.role = $${params.push(query.role)}`);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
      const at = params.push(pattern);
      where.push(`(u.email ILIKE $${at} OR u.display_name ILIKE $${at})`);
    }
    if (query.regionCode) {
      // A region's people: its coordinators, and the national teams of its countries.
      const at = params.push(query.regionCode);
      where.push(
        `(u.region_code = $${at} OR u.country_code IN (SELECT c.code FROM countries c WHERE c.region_code = $${at}))`,
      );
    }
    if (query.countryCode) where.push(`u.country_code = $${params.push(query.countryCode)}`);
    if (query.disabled) where.push(`u.disabled = $${params.push(query.disabled === 'true')}`);
    return paginate<UserResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.country_code AS "countryCode",
                u.region_code AS "regionCode", u.locale, u.timezone,
                u.password_change_required AS "passwordChangeRequired", u.disabled, u.created_at AS "createdAt",
                u.updated_at AS "updatedAt"
         FROM users u WHERE ${where.join(' AND ')}`,
        orderBy: 'u.email, u.id',
      },
      params,
    );
  }

  /** The user, locked until the caller's transaction ends when `forUpdate`. */
  findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
    forUpdate = false,
  ): Promise<User | null> {
    return manager.getRepository(User).findOne({
      where: { id },
      ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** A user who is not disabled, or null. */
  findActiveById(id: string): Promise<User | null> {
    return this.dataSource.getRepository(User).findOne({ where: { id, disabled: false } });
  }

  /** Id, state and password hash of the user with that e-mail, whatever its letter case. */
  findCredentialsByEmail(
    email: string,
  ): Promise<{ id: string; passwordHash: string; disabled: boolean } | null> {
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('u')
      .select(['u.id', 'u.disabled'])
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: email.trim() })
      .getOne();
  }

  insert(user: NewUser, manager: EntityManager = this.dataSource.manager): Promise<User> {
    return manager.save(manager.create(User, user));
  }

  /** Writes the changes made to a loaded user. */
  save(user: User, manager: EntityManager = this.dataSource.manager): Promise<User> {
    return manager.save(user);
  }

  async updatePasswordHash(
    id: string,
    passwordHash: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
    await manager.update(User, { id }, { passwordHash, passwordChangeRequired: false });
  }

  count(): Promise<number> {
    return this.dataSource.getRepository(User).count();
  }

  /**
   * Inserts an administrator while the table is empty, once however many processes start
   * together; true when this call inserted it.
   */
  async insertFirstAdministrator(email: string, passwordHash: string): Promise<boolean> {
    const [created] = await this.dataSource.query(
      `INSERT INTO users (email, display_name, role, password_hash)
       SELECT $1, 'Administrator', 'admin', $2 WHERE NOT EXISTS (SELECT 1 FROM users)
       ON CONFLICT DO NOTHING RETURNING id`,
      [email, passwordHash],
    );
    return created !== undefined;
  }

  // Invitations (user_invitations): a link by which a new user chooses their own password.

  async insertInvitation(
    invitation: { userId: string; tokenHash: string; expiresAt: Date; createdBy: string | null },
    manager: EntityManager,
  ): Promise<string> {
    const [row] = await manager.query(
      `INSERT INTO user_invitations (user_id, token_hash, expires_at, created_by)
       VALUES ($1, $2, $3, $4) RETURNING id`,
      [invitation.userId, invitation.tokenHash, invitation.expiresAt, invitation.createdBy],
    );
    return row.id;
  }

  /** Ends the user's invitations not yet used, so that only the newest link works. */
  async revokeOpenInvitations(userId: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE user_invitations SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`,
      [userId, now],
    );
  }

  /** Whether the user has an invitation not yet used (expired or not). */
  async hasOpenInvitation(userId: string, manager: EntityManager): Promise<boolean> {
    const [row] = await manager.query(
      `SELECT 1 FROM user_invitations WHERE user_id = $1 AND used_at IS NULL LIMIT 1`,
      [userId],
    );
    return row !== undefined;
  }

  /** The invitation with this token hash and its user; locked until the transaction ends when `forUpdate`. */
  async findInvitation(
    tokenHash: string,
    manager: EntityManager = this.dataSource.manager,
    forUpdate = false,
  ): Promise<InvitationOfUser | null> {
    const [row] = await manager.query(
      `SELECT i.id, i.expires_at AS "expiresAt", i.used_at AS "usedAt", u.id AS "userId",
              u.email, u.display_name AS "displayName", u.role, u.country_code AS "countryCode",
              u.region_code AS "regionCode", u.locale, u.disabled
       FROM user_invitations i JOIN users u ON u.id = i.user_id
       WHERE i.token_hash = $1${forUpdate ? ' FOR UPDATE OF i' : ''}`,
      [tokenHash],
    );
    return row ?? null;
  }

  async markInvitationUsed(id: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE user_invitations SET used_at = $2 WHERE id = $1`, [id, now]);
  }
}
