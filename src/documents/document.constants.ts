import type { Phase } from '../programmes/programme.constants.js';

/** What a programme's documents are (docs/domain.md §"Deliverables"): each phase ends in one. */
export const DOCUMENT_KINDS = [
  'assessment_report',
  'design_document',
  'operational_acceptance',
  'maturity_report',
  'other',
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The deliverable that ends each phase (the ITU framework's); its gate asks for the first three. */
export const PHASE_DELIVERABLES: Partial<Record<Phase, DocumentKind>> = {
  readiness_assessment: 'assessment_report',
  planning: 'design_document',
  implementation: 'operational_acceptance',
  operation: 'maturity_report',
};

/** The largest file a programme keeps: a signed scan or a long report, not a video. */
export const MAX_DOCUMENT_BYTES = 25 * 1024 * 1024;

/** The size of a stored piece of a file: what a download or an upload holds in memory at once. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * The types a document may be, told from its first bytes (never its name or the client's word):
 * office documents, PDFs and images of signed pages.
 */
export const DOCUMENT_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
};
