import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const ProgrammeErrors = defineErrors({
  programme_cancelled: { status: 422 },
  programme_cancelled_no_phase_change: { status: 422, code: 'programme_cancelled' },
  programme_on_hold: { status: 422 },
  same_phase: { status: 422 },
  last_phase: { status: 422 },
  skips_phases: { status: 422 },
  backward_move_not_allowed: { status: 403 },
  gate_failed: { status: 422 },
  own_request: { status: 403 },
  transition_decided: { status: 409 },
  transition_pending: { status: 409 },
  programme_changed: { status: 422 },
  programme_exists: { status: 409 },
  programme_exists_of_kind: { status: 409, code: 'programme_exists' },
});

export const ProgrammeFieldErrors = defineFieldErrors([
  'backward_move_needs_note',
  'sector_for_sectoral_only',
  'target_before_start',
  'hold_reason_required',
  'hold_reason_only_on_hold',
]);

/** A failed gate check: its key is the code of the item in `errors[]`. */
export const GateCheckErrors = defineFieldErrors([
  'readiness_assessment_validated',
  'maturity_assessment_validated',
  'phase_milestones_closed',
  'focal_point_present',
  'host_approver_present',
  'assessment_report_uploaded',
  'design_document_uploaded',
  'operational_acceptance_uploaded',
]);
