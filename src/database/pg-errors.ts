import { QueryRunnerAlreadyReleasedError, QueryRunnerProviderAlreadyReleasedError } from 'typeorm';

/** True when PostgreSQL refused a write for breaking a unique constraint or index. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '23505';
}

/** SQLSTATEs of a server that cannot be reached, is shutting down or is starting up. */
const UNAVAILABLE_STATE = /^(08...|57P0[123])$/;
/** Failures of the connection itself, which come from the socket or the driver without a SQLSTATE. */
const SOCKET_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'];
const LOST_CONNECTION = /^(Connection terminated|timeout exceeded when trying to connect)/;

/** True when PostgreSQL could not be reached or went away mid-query: trying later may succeed. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNAVAILABLE_STATE.test(code) || SOCKET_CODES.includes(code))) {
    return true;
  }
  // TypeORM lets go of a transaction's connection when the connection fails, and says so at the
  // transaction's next query.
  return (
    error instanceof QueryRunnerAlreadyReleasedError ||
    error instanceof QueryRunnerProviderAlreadyReleasedError ||
    (typeof message === 'string' && LOST_CONNECTION.test(message))
  );
}
