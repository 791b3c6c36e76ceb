import { Injectable } from '@nestjs/common';
import type { AuditAction } from '../audit/audit-actions.js';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles.js';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { DomainError, fieldError, notFound } from '../common/domain-error.js';
import { GateCheckErrors, ProgrammeErrors } from './programme.errors.js';
import { isUniqueViolation } from '../database/pg-errors.js';
import { EventNotifier } from '../events/event-notifier.service.js';
import { MilestonesService } from '../milestones/milestones.service.js';
import type {
  ApproveTransitionDto,
  RequestTransitionDto,
  TransitionResponse,
} from './dto/transition.dto.js';
import { GateChecks, type GateResult } from './gates.js';
import { planMove } from './lifecycle.js';
import type { PhaseTransition } from './phase-transition.entity.js';
import { PhaseMediansQuery } from './phase-medians.query.js';
import { ProgrammeAccess, type ProgrammeRef } from './programme-access.service.js';
import type { Programme } from './programme.entity.js';
import { ProgrammesRepository } from './programmes.repository.js';

export function toResponse(transition: PhaseTransition): TransitionResponse {
  const { gateAtRequest, fromPhaseEnteredAt: _entered, ...fields } = transition;
  return { ...fields, gate: gateAtRequest };
}

function gateRefusal(gate: GateResult): DomainError {
  const failed = gate.checks.filter((check) => !check.passed);
  return new DomainError(
    ProgrammeErrors.gate_failed,
    { count: failed.length },
    {
      errors: failed.map((check) =>
        fieldError(check.key, GateCheckErrors[check.key], check.params),
      ),
    },
  );
}

/**
 * Phase changes. A forward move is requested, checked against the gate, and approved by someone
 * else, who sees the gate checked again; the approval, the phase change, the next phase's default
 * milestones and the audit events commit together. A move back is applied at once.
 */
@Injectable()
export class TransitionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly repository: ProgrammesRepository,
    private readonly programmes: ProgrammeAccess,
    private readonly gates: GateChecks,
    private readonly milestones: MilestonesService,
    private readonly audit: AuditService,
    private readonly events: EventNotifier,
    private readonly clock: Clock,
    private readonly phaseMedians: PhaseMediansQuery,
  ) {}

  async request(
    actor: Actor,
    programmeId: string,
    dto: RequestTransitionDto,
  ): Promise<TransitionResponse> {
    try {
      const response = await this.dataSource.transaction(async (manager) => {
        const ref = await this.programmes.forWrite(actor.user, programmeId, manager);
        const programme = await this.repository.findOrFail(programmeId, manager);
        const direction = planMove({
          from: programme.phase,
          to: dto.toPhase,
          status: programme.status,
          role: actor.user.role,
          note: dto.note,
        });
        const now = this.clock.now();

        if (direction === 'backward') {
          const superseded = await this.repository.findPendingTransition(programmeId, manager);
          if (superseded) {
            Object.assign(superseded, {
              status: 'withdrawn',
              decidedBy: actor.user.id,
              decidedAt: now,
              decisionNote: 'Superseded by a move back',
            });
            await this.repository.saveTransition(superseded, manager);
            await this.record(manager, actor, 'transition.withdrawn', superseded, ref);
          }
          const transition = await this.repository.insertTransition(
            {
              programmeId,
              fromPhase: programme.phase,
              toPhase: dto.toPhase,
              direction,
              status: 'approved',
              requestedBy: actor.user.id,
              requestedAt: now,
              note: dto.note ?? null,
              decidedBy: actor.user.id,
              decidedAt: now,
              decisionNote: dto.note ?? null,
              fromPhaseEnteredAt: programme.phaseEnteredAt,
            },
            manager,
          );
          await this.enterPhase(manager, actor, programme, transition, ref, false);
          return toResponse(transition);
        }

        if (await this.repository.hasPendingTransition(programmeId, manager))
          throw this.alreadyPending();
        const gate = await this.gates.evaluate(manager, programme);
        if (!gate.passed) throw gateRefusal(gate);
        const transition = await this.repository.insertTransition(
          {
            programmeId,
            fromPhase: programme.phase,
            toPhase: dto.toPhase,
            direction,
            status: 'pending',
            requestedBy: actor.user.id,
            requestedAt: now,
            note: dto.note ?? null,
            gateAtRequest: gate,
          },
          manager,
        );
        await this.record(manager, actor, 'transition.requested', transition, ref);
        await this.tell(manager, actor, 'transition_requested', transition);
        return toResponse(transition);
      });
      // A move back ends a phase at once.
      if (response.status === 'approved') this.phaseMedians.forget();
      return response;
    } catch (error) {
      if (isUniqueViolation(error)) throw this.alreadyPending();
      throw error;
    }
  }

  async approve(actor: Actor, id: string, dto: ApproveTransitionDto): Promise<TransitionResponse> {
    const response = await this.dataSource.transaction(async (manager) => {
      const { transition, programme, ref } = await this.lockForDecision(actor, id, manager);
      const gate = await this.gates.evaluate(manager, programme);
      if (!gate.passed) throw gateRefusal(gate);
      Object.assign(transition, {
        status: 'approved',
        decidedBy: actor.user.id,
        decidedAt: this.clock.now(),
        decisionNote: dto.note ?? null,
        gateAtDecision: gate,
        fromPhaseEnteredAt: programme.phaseEnteredAt,
      });
      await this.repository.saveTransition(transition, manager);
      await this.enterPhase(manager, actor, programme, transition, ref, true);
      await this.tell(manager, actor, 'transition_approved', transition);
      return toResponse(transition);
    });
    this.phaseMedians.forget();
    return response;
  }

  async reject(actor: Actor, id: string, note: string): Promise<TransitionResponse> {
    return this.dataSource.transaction(async (manager) => {
      const { transition, ref } = await this.lockForDecision(actor, id, manager);
      Object.assign(transition, {
        status: 'rejected',
        decidedBy: actor.user.id,
        decidedAt: this.clock.now(),
        decisionNote: note,
      });
      await this.repository.saveTransition(transition, manager);
      await this.record(manager, actor, 'transition.rejected', transition, ref);
      await this.tell(manager, actor, 'transition_rejected', transition);
      return toResponse(transition);
    });
  }

  /**
   * The gate of the programme's current phase as it stands now: what a request to move forward
   * would be checked against, for the team to see before they ask.
   */
  async currentGate(actor: Actor, programmeId: string): Promise<GateResult> {
    await this.programmes.forRead(actor.user, programmeId);
    return this.dataSource.transaction(async (manager) => {
      const programme = await this.repository.findOrFail(programmeId, manager);
      return this.gates.evaluate(manager, programme);
    });
  }

  async list(actor: Actor, programmeId: string): Promise<TransitionResponse[]> {
    await this.programmes.forRead(actor.user, programmeId);
    const transitions = await this.repository.listTransitions(programmeId);
    return transitions.map(toResponse);
  }

  /**
   * Locks a pending transition and its programme for a decision by someone entitled to make it.
   * The programme is locked first, as every other write to it does, so that locks never cross.
   */
  private async lockForDecision(actor: Actor, id: string, manager: EntityManager) {
    const found = await this.repository.findTransition(id, manager);
    if (!found) throw notFound(`Transition ${id}`);
    const ref = await this.programmes.forRead(
      actor.user,
      found.programmeId,
      manager,
      `Transition ${id}`,
    );
    const programme = await this.repository.findAndLockOrFail(found.programmeId, manager);
    const transition = await this.repository.findAndLockTransitionOrFail(id, manager);
    if (transition.requestedBy === actor.user.id) {
      throw new DomainError(ProgrammeErrors.own_request);
    }
    if (transition.status !== 'pending') {
      throw new DomainError(ProgrammeErrors.transition_decided, {
        id,
        status: transition.status,
      });
    }
    if (programme.phase !== transition.fromPhase || programme.status !== 'active') {
      throw new DomainError(ProgrammeErrors.programme_changed);
    }
    return { transition, programme, ref };
  }

  private async enterPhase(
    manager: EntityManager,
    actor: Actor,
    programme: Programme,
    transition: PhaseTransition,
    ref: ProgrammeRef,
    withDefaultMilestones: boolean,
  ): Promise<void> {
    const before = {
      phase: programme.phase,
      phaseEnteredAt: programme.phaseEnteredAt,
      version: programme.version,
    };
    programme.phase = transition.toPhase;
    programme.phaseEnteredAt = transition.decidedAt!;
    await this.repository.save(programme, manager);
    if (withDefaultMilestones) {
      await this.milestones.createDefaults(
        manager,
        { id: programme.id, timezone: ref.timezone },
        programme.phase,
        programme.phaseEnteredAt,
      );
    }
    await this.record(
      manager,
      actor,
      transition.direction === 'forward' ? 'transition.approved' : 'transition.applied',
      transition,
      ref,
    );
    await this.audit.record(manager, {
      actorId: actor.user.id,
      action: 'programme.phase_changed',
      entityType: 'programme',
      entityId: programme.id,
      countryCode: programme.countryCode,
      before,
      after: {
        phase: programme.phase,
        phaseEnteredAt: programme.phaseEnteredAt,
        version: programme.version,
        transitionId: transition.id,
      },
      requestId: actor.requestId,
    });
  }

  private async record(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    transition: PhaseTransition,
    ref: ProgrammeRef,
  ) {
    await this.audit.record(manager, {
      actorId: actor.user.id,
      action,
      entityType: 'phase_transition',
      entityId: transition.id,
      countryCode: ref.countryCode,
      after: toResponse(transition),
      requestId: actor.requestId,
    });
  }

  /** A request reaches those who may decide it; a decision, the requester and the country's team. */
  private async tell(
    manager: EntityManager,
    actor: Actor,
    kind: 'transition_requested' | 'transition_approved' | 'transition_rejected',
    transition: PhaseTransition,
  ): Promise<void> {
    const note = kind === 'transition_requested' ? transition.note : transition.decisionNote;
    await this.events.notify(manager, {
      kind,
      subject: transition.id,
      actor: actor.user,
      programmeId: transition.programmeId,
      concernedUserId: transition.requestedBy,
      params: { phase: transition.toPhase, note: note ?? undefined },
    });
  }

  private alreadyPending(): DomainError {
    return new DomainError(ProgrammeErrors.transition_pending);
  }
}
