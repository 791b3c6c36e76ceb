import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../auth/roles.js';

/** A change to a user's credentials or access, as the modules that depend on them see it. */
export interface UserChange {
  user: {
    id: string;
    role: Role;
    countryCode: string | null;
    regionCode: string | null;
    disabled: boolean;
  };
  /** A new password was set. */
  passwordChanged: boolean;
  /** The role or scope changed, or the user was disabled. */
  accessChanged: boolean;
  /** The session that made the change, kept when users change their own password. */
  keepSession: string | null;
  actorId: string | null;
  requestId: string;
}

export type UserChangeListener = (manager: EntityManager, change: UserChange) => Promise<void>;

/**
 * Tells the modules that hold what a user may do (sessions and API tokens, report schedules) of a
 * change to that user, inside the change's transaction: what they end or pause commits or rolls
 * back with it. The users module thus depends on none of them.
 */
@Injectable()
export class UserChanges {
  private readonly listeners: UserChangeListener[] = [];

  subscribe(listener: UserChangeListener): void {
    this.listeners.push(listener);
  }

  async publish(manager: EntityManager, change: UserChange): Promise<void> {
    for (const listener of this.listeners) await listener(manager, change);
  }
}
