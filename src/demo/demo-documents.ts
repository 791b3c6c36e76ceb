import { Readable } from 'node:stream';
import PDFDocument from 'pdfkit';
import type { DocumentKind } from '../documents/document.constants.js';
import { type SpooledFile, spool } from '../documents/document-upload.js';

/** The made-up deliverable of each kind: its file name and what its one page says. */
const DELIVERABLES: Record<DocumentKind, { file: string; heading: string }> = {
  assessment_report: {
    file: 'readiness-assessment-report.pdf',
    heading: 'Readiness assessment report',
  },
  design_document: { file: 'cirt-design-document.pdf', heading: 'National CIRT Design Document' },
  operational_acceptance: {
    file: 'operational-acceptance-signed.pdf',
    heading: 'Operational acceptance',
  },
  maturity_report: {
    file: 'maturity-assessment-report.pdf',
    heading: 'Maturity assessment report',
  },
  other: { file: 'project-agreement.pdf', heading: 'Project agreement' },
};

/** A one-page PDF that says it is a made-up deliverable of the demo, spooled as an upload is. */
export async function demoDeliverable(
  kind: DocumentKind,
  countryName: string,
): Promise<SpooledFile> {
  const { file, heading } = DELIVERABLES[kind];
  const doc = new PDFDocument({ size: 'A4', info: { Title: `${heading}: ${countryName}` } });
  const pieces: Buffer[] = [];
  doc.on('data', (piece: Buffer) => pieces.push(piece));
  const ended = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  doc.fontSize(20).text(heading).moveDown();
  doc.fontSize(12).text(countryName).moveDown();
  doc.text('A made-up document of the cirt-tracker demonstration portfolio.');
  doc.end();
  await ended;
  return spool(file, Readable.from([Buffer.concat(pieces)]));
}
