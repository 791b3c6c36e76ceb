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
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = 'Sign in first: send a valid Bearer token') {
    super(401, 'unauthorized', message, undefined, { 'www-authenticate': 'Bearer' });
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_requests', message, undefined, {
      'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
    });
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

  static of(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}
