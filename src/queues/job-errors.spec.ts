import { isTransientError } from './job-errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe(isTransientError.name, () => {
  it('should retry when PostgreSQL is away, busy or a transaction lost a race', () => {
    for (const code of ['08006', '40001', '40P01', '53300', '57P01', '57P03', '55P03']) {
      expect(isTransientError(withCode('server error', code))).toBe(true);
    }
  });

  it('should retry when a connection is refused, dropped or lost', () => {
    expect(isTransientError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe(
      true,
    );
    expect(isTransientError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientError(new Error('Connection is closed.'))).toBe(true);
  });

  it('should find the cause under a wrapping error when TypeORM wraps the driver error', () => {
    const wrapped = Object.assign(new Error('Query failed'), {
      driverError: withCode('deadlock detected', '40P01'),
    });
    expect(isTransientError(wrapped)).toBe(true);
    expect(isTransientError(new Error('outer', { cause: withCode('x', 'ECONNRESET') }))).toBe(true);
  });

  it('should not retry when the error would repeat on the same data', () => {
    expect(isTransientError(new TypeError("Cannot read properties of null (reading 'x')"))).toBe(
      false,
    );
    expect(isTransientError(withCode('invalid input syntax for type uuid', '22P02'))).toBe(false);
    expect(isTransientError(withCode('a custom error raised', 'P0001'))).toBe(false);
    expect(isTransientError(withCode('not a SQLSTATE', '400'))).toBe(false);
    expect(isTransientError('a string')).toBe(false);
  });
});
