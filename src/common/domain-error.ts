export interface FieldError {
  field: string;
  message: string;
}

/**
 * A refusal the caller can act on. `code` is stable and machine-readable; the problem+json
 * filter turns it into the HTTP answer.
 */
export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(404, 'not_found', `${what} was not found`);
  }
}

export class ValidationFailedError extends DomainError {
  constructor(errors: FieldError[]) {
    super(400, 'validation_failed', 'The request is not valid: see errors', errors);
  }
}
