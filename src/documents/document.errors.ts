import { defineErrors, defineFieldErrors } from '../common/error-catalog.js';

export const DocumentErrors = defineErrors({
  document_too_large: { status: 413, code: 'payload_too_large' },
  document_type_not_allowed: { status: 415, code: 'unsupported_media_type' },
  document_not_multipart: { status: 415, code: 'unsupported_media_type' },
});

export const DocumentFieldErrors = defineFieldErrors([
  'document_file_missing',
  'document_file_empty',
  'document_file_name_unsafe',
  'document_not_of_programme',
]);
