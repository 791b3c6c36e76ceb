import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Page, paginate } from '../common/pagination.js';
import type { UserResponse, UsersQuery } from './dto/user.dto.js';
import { User } from './user.entity.js';

/** The fields of a new user; the database fills in the rest. */
export type NewUser = Pick<
  User,
  'email' | 'displayName' | 'role' | 'countryCode' | 'regionCode' | 'locale' | 'passwordHash'
>;

/** The SQL of the users table. */
@Injectable()
export class UsersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** A page of users, filtered by role and by a text in the e-mail or the name. */
  listPage(query: UsersQuery): Promise<Page<UserResponse>> {
    const params: unknown[] = [];
    const where = ['TRUE'];
    if (query.role) where.push(`u.role = $${params.push(query.role)}`);
    if (query.q) {
      const pattern = `%${query.q.replace(/[\\%_]/g, '\\$&')}%`;
      const at = params.push(pattern);
      where.push(`(u.email ILIKE $${at} OR u.display_name ILIKE $${at})`);
    }
    return paginate<UserResponse>(
      this.dataSource,
      query,
      {
        rows: `SELECT u.id, u.email, u.display_name AS "displayName", u.role, u.country_code AS "countryCode",
                u.region_code AS "regionCode", u.locale, u.disabled, u.created_at AS "createdAt",
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
    await manager.update(User, { id }, { passwordHash });
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
}
