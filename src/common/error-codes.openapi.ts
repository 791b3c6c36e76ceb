import type { OpenAPIObject } from '@nestjs/swagger';
import { fieldErrorCodes, problemCodes } from './error-catalog.js';

type Schema = {
  type?: string;
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
  [key: string]: unknown;
};

const FIELD_ERROR_SCHEMA = 'FieldProblem';
const PROBLEM_SCHEMA = 'Problem';

function withCodeEnum(schema: Schema, codes: string[], description: string): Schema {
  return {
    ...schema,
    properties: {
      ...schema.properties,
      code: { type: 'string', description, enum: codes },
    },
    required: [...new Set([...(schema.required ?? []), 'code'])],
  };
}

/**
 * Lists every code of the error catalog in the document: `Problem.code` and
 * `FieldProblem.code` (the items of `errors[]`) are enums of the registered codes. Runs on the
 * built document because the registry is complete only once every module is loaded, after the
 * decorators of the schemas ran.
 */
export function withErrorCodes(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const fieldProblem = withCodeEnum(
    schemas[FIELD_ERROR_SCHEMA] ?? {
      type: 'object',
      properties: { field: { type: 'string' }, message: { type: 'string' } },
      required: ['field', 'message'],
    },
    fieldErrorCodes(),
    'stable, machine-readable: which rule the field broke',
  );
  const problem = withCodeEnum(
    schemas[PROBLEM_SCHEMA] ?? {
      type: 'object',
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: { type: 'array', items: { $ref: `#/components/schemas/${FIELD_ERROR_SCHEMA}` } },
        requestId: { type: 'string' },
      },
      required: ['type', 'title', 'status'],
    },
    problemCodes(),
    'stable, machine-readable: what went wrong',
  );
  return {
    ...document,
    components: {
      ...document.components,
      schemas: { ...schemas, [FIELD_ERROR_SCHEMA]: fieldProblem, [PROBLEM_SCHEMA]: problem },
    },
  };
}
