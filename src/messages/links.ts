/**
 * The absolute addresses of the pages that messages link to, one method per page, all from
 * PUBLIC_URL. Messages link to pages, never to the API: a reader who follows a link from an
 * e-mail is often signed out, and a page sends them to sign in and back where an API route only
 * answers 401.
 */
export class Links {
  private readonly base: string;

  /** From AppConfig: `new Links(config)`. */
  constructor(config: { PUBLIC_URL: string }) {
    this.base = config.PUBLIC_URL.replace(/\/+$/, '');
  }

  /** A country's workspace: its programmes, milestones, status updates and stakeholders. */
  countryPage(countryCode: string): string {
    return `${this.base}/app/countries/${encodeURIComponent(countryCode)}`;
  }

  /** An assessment's questionnaire: its answers, progress and submission. */
  assessmentPage(assessmentId: string): string {
    return `${this.base}/app/assessments/${encodeURIComponent(assessmentId)}`;
  }

  /** The reports the reader may see, each with its files. */
  reportsPage(): string {
    return `${this.base}/app/reports`;
  }

  /** Where an invited user chooses their password: outside /app, as they cannot sign in yet. */
  invitationPage(token: string): string {
    return `${this.base}/invitation/${encodeURIComponent(token)}`;
  }
}
