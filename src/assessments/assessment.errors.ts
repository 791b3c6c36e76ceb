import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const AssessmentErrors = defineErrors({
  assessment_open: { status: 409 },
  assessment_incomplete: { status: 422 },
  assessment_not_editable: { status: 422 },
  assessment_not_submittable: { status: 422, code: 'assessment_not_editable' },
  assessment_not_submitted: { status: 422 },
});

export const AssessmentFieldErrors = defineFieldErrors([
  'template_not_published',
  'template_key',
  'template_version',
  'not_a_key',
  'is_level',
  'na_reason_fits_level',
  'indicator_unanswered',
  'indicator_needs_evidence',
]);
