import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { type FieldError, fieldError } from '../common/domain-error.js';
import { AuthFieldErrors } from './auth.errors.js';

/** argon2id with OWASP's minimum: 19 MiB of memory, two passes, one lane. */
const HASH_OPTIONS = {
  type: argon2.argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of a real verification and answers false, so that an unknown e-mail takes as
 * long to refuse as a wrong password.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  await verifyPassword(await dummyHash, password);
  return false;
}

/**
 * What is wrong with a new password: the one rule for every way a password is set (created by an
 * administrator, reset by one, changed by its owner). Length is also checked by the DTOs.
 */
export function passwordProblems(password: string, email: string, field: string): FieldError[] {
  const problems: FieldError[] = [];
  if ([...password].length < 12)
    problems.push(fieldError(field, AuthFieldErrors.password_too_short));
  if (password.trim().toLowerCase() === email.trim().toLowerCase()) {
    problems.push(fieldError(field, AuthFieldErrors.password_is_email));
  }
  return problems;
}
