import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { FieldError, ValidationFailedError } from './domain-error.js';

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Far deeper than any DTO of the API, and shallow enough for the recursive walks that follow. */
const MAX_DEPTH = 16;

/**
 * Keys that name members of Object.prototype: class-transformer drops them without a word, so
 * whitelisting never sees them to refuse them.
 */
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The first part of an input that the validation below cannot judge: a string holding NUL, which
 * PostgreSQL cannot store; a key named after a prototype member; or nesting so deep that the
 * recursive class-transformer would overflow the stack. Iterative, so depth cannot break it.
 */
function unsafePart(value: unknown, root: string): FieldError | undefined {
  const pending: [unknown, string, number][] = [[value, root, 0]];
  while (pending.length > 0) {
    const [item, path, depth] = pending.pop()!;
    const field = path || 'body';
    if (typeof item === 'string' && item.includes('\u0000')) {
      return { field, message: `${field} must not contain NUL characters` };
    }
    if (item === null || typeof item !== 'object') continue;
    if (depth === MAX_DEPTH) return { field, message: `${field} is nested too deeply` };
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        return { field: childPath, message: `property ${childPath} should not exist` };
      }
      pending.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}

class AppValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Our own decorators' values (the actor, the client) are not input.
    if (metadata.type === 'custom') return super.transform(value, metadata);
    // Nest would read a JSON null as an empty body, and accept it where every field is optional.
    if (metadata.type === 'body' && value === null) {
      throw ValidationFailedError.of('body', 'The body must be a JSON object');
    }
    const unsafe = unsafePart(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
    if (unsafe) throw new ValidationFailedError([unsafe]);
    return super.transform(value, metadata);
  }
}

/** The one validation pipe: unknown fields are refused, every problem is listed. */
export function createValidationPipe(): ValidationPipe {
  return new AppValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
  });
}
