import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { hashPassword, passwordProblems } from '../auth/passwords.js';
import { Clock } from '../common/clock.js';
import { DomainError, validationFailed } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { Links } from '../messages/links.js';
import { renderInvitation } from '../messages/message-renderer.js';
import { OutboxWriter } from '../notifications/outbox-writer.js';
import { UserChanges } from './user-changes.js';
import { UserErrors } from './user.errors.js';
import { type InvitationOfUser, UsersRepository } from './users.repository.js';

/** How long an invitation's link works. */
export const INVITATION_DAYS = 7;

/** The notification kind (and message kind) of the invitation e-mail. */
export const INVITATION_KIND = 'invitation';

/** 32 random bytes in base64url: what `send` makes, and so all a real token can look like. */
const TOKEN_FORMAT = /^[\w-]{43}$/;

/** Only this digest is stored: whoever reads the table cannot use a link from it. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Who an open invitation is for, as its page greets them. */
export interface InvitationView {
  displayName: string;
  email: string;
  locale: string;
}

export interface AcceptedInvitation {
  userId: string;
}

/**
 * Invitations: instead of being given a password, a new user is e-mailed a link where they choose
 * their own. The link's token is 256 random bits, so guessing one is hopeless and needs no limiter;
 * it is kept only as its SHA-256, works once, and expires after INVITATION_DAYS. Sending another
 * revokes the ones before it.
 */
@Injectable()
export class InvitationsService {
  private readonly links: Links;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: UsersRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxWriter,
    private readonly changes: UserChanges,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.links = new Links(config);
  }

  /**
   * A new invitation for the user, in the caller's transaction: the e-mail (in the user's language)
   * goes into the outbox and the audit trail records it with the change that caused it.
   */
  async send(
    manager: EntityManager,
    user: { id: string; email: string; displayName: string; locale: string },
    actorId: string | null,
    requestId: string,
  ): Promise<{ expiresAt: Date }> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 24 * 3600 * 1000);
    await this.repository.revokeOpenInvitations(user.id, now, manager);
    const invitationId = await this.repository.insertInvitation(
      { userId: user.id, tokenHash: tokenHash(token), expiresAt, createdBy: actorId },
      manager,
    );
    const inviter = actorId ? await this.repository.findById(actorId, manager) : null;
    const message = renderInvitation(user.locale, {
      recipientName: user.displayName,
      email: user.email,
      inviterName: inviter?.displayName ?? null,
      url: this.links.invitationPage(token),
      expiresAt,
    });
    await this.outbox.add(manager, [
      {
        kind: INVITATION_KIND,
        channel: 'email',
        dedupeKey: `invitation:${invitationId}`,
        recipient: user.email,
        locale: user.locale,
        subject: message.subject,
        bodyText: message.text,
        bodyHtml: message.html,
        notBefore: now,
      },
    ]);
    await this.audit.record(manager, {
      actorId,
      action: 'user.invited',
      entityType: 'user',
      entityId: user.id,
      after: { invitationId, email: user.email, expiresAt },
      requestId,
    });
    return { expiresAt };
  }

  /** A password set another way (a reset) ends the links not yet used: one way in at a time. */
  async revokeOpen(manager: EntityManager, userId: string): Promise<void> {
    await this.repository.revokeOpenInvitations(userId, this.clock.now(), manager);
  }

  /** Whether the user may be sent an invitation: they have never chosen their own password. */
  async isPending(
    user: { id: string; passwordChangeRequired: boolean },
    manager: EntityManager,
  ): Promise<boolean> {
    return user.passwordChangeRequired || this.repository.hasOpenInvitation(user.id, manager);
  }

  /** Who the token's invitation is for; refused as `accept` would refuse it. */
  async view(token: string): Promise<InvitationView> {
    const invitation = this.usable(
      TOKEN_FORMAT.test(token) ? await this.repository.findInvitation(tokenHash(token)) : null,
    );
    return {
      displayName: invitation.displayName,
      email: invitation.email,
      locale: invitation.locale,
    };
  }

  /**
   * Sets the password the invited user chose, with the same rules as every password, and spends
   * the invitation: the account's other sessions and API tokens end as with any new password.
   */
  async accept(
    dto: { token: string; newPassword: string },
    requestId: string,
  ): Promise<AcceptedInvitation> {
    return this.dataSource.transaction(async (manager) => {
      const invitation = this.usable(
        TOKEN_FORMAT.test(dto.token)
          ? await this.repository.findInvitation(tokenHash(dto.token), manager, true)
          : null,
      );
      const problems = passwordProblems(dto.newPassword, invitation.email, 'newPassword');
      if (problems.length > 0) throw validationFailed(problems);
      const passwordHash = await hashPassword(dto.newPassword);
      await this.repository.updatePasswordHash(invitation.userId, passwordHash, manager);
      await this.repository.markInvitationUsed(invitation.id, this.clock.now(), manager);
      await this.changes.publish(manager, {
        user: {
          id: invitation.userId,
          role: invitation.role,
          countryCode: invitation.countryCode,
          regionCode: invitation.regionCode,
          disabled: false,
        },
        passwordChanged: true,
        accessChanged: false,
        keepSession: null,
        actorId: invitation.userId,
        requestId,
      });
      await this.audit.record(manager, {
        actorId: invitation.userId,
        action: 'user.invitation_accepted',
        entityType: 'user',
        entityId: invitation.userId,
        after: { invitationId: invitation.id },
        requestId,
      });
      return { userId: invitation.userId };
    });
  }

  /**
   * The invitation if it can still be accepted. An unknown token, a used (or revoked) one and a
   * disabled user's get the same answer; only an expired one says so.
   */
  private usable(invitation: InvitationOfUser | null): InvitationOfUser {
    if (!invitation || invitation.usedAt !== null || invitation.disabled) {
      throw new DomainError(UserErrors.invitation_invalid);
    }
    if (invitation.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw new DomainError(UserErrors.invitation_expired);
    }
    return invitation;
  }
}
