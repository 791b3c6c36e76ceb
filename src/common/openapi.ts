import { type Type, applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Page } from './pagination.js';

/** The name of the bearer security scheme in the OpenAPI document (DocumentBuilder.addBearerAuth). */
export const BEARER_SCHEME = 'bearer';

/** One field's problem, an item of a problem's `errors[]`. */
export class FieldProblem {
  @ApiProperty({ example: 'dueDate' }) field: string;
  @ApiPropertyOptional({ description: 'stable, machine-readable' }) code?: string;
  @ApiProperty({ description: "in the reader's language (Accept-Language)" }) message: string;
}

/**
 * An error answer, application/problem+json (RFC 9457). Every 4xx and 5xx of the API has this
 * shape; `code` is the stable string a client branches on.
 */
export class Problem {
  @ApiProperty({ example: 'about:blank' }) type: string;
  @ApiProperty({ example: 'Not Found' }) title: string;
  @ApiProperty({ example: 404 }) status: number;
  @ApiPropertyOptional() detail?: string;
  @ApiProperty({ example: 'not_found', description: 'stable, machine-readable' }) code: string;
  @ApiPropertyOptional({ type: [FieldProblem] }) errors?: FieldProblem[];
  @ApiPropertyOptional({ description: 'the X-Request-Id of the request, for support' })
  requestId?: string;
}

/** What each status means in this API, for the 4xx and 5xx answers an operation declares. */
const PROBLEM_DESCRIPTIONS = {
  400: 'Bad input: a malformed body or query, an unknown field, a value out of bounds',
  401: 'No valid bearer token (or, for sign-in, unknown user or wrong password)',
  403: 'The caller’s role may not do this',
  404: 'Not found, or outside the caller’s scope',
  409: 'Conflict: a stale version, a duplicate, or a state that does not allow it',
  410: 'Gone: it was valid once and no longer is (an expired link)',
  413: 'The body is too large',
  415: 'The content type is not accepted',
  422: 'A rule refused it (gate, submission, state)',
  429: 'Too many requests; retry after the Retry-After header',
  503: 'A dependency (PostgreSQL, Redis, the queue) is unavailable; retry shortly',
} as const;

export type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;

/** The error answers an operation may give, each a `Problem` as application/problem+json. */
export function ApiProblems(...statuses: ProblemStatus[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(Problem),
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_DESCRIPTIONS[status],
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(Problem) } } },
      }),
    ),
  ) as MethodDecorator & ClassDecorator;
}

/** An operation anyone may call: it declares no security requirement (the document's is bearer). */
export function ApiPublicOperation(summary: string): MethodDecorator {
  return ApiOperation({ summary, security: [] });
}

const pages = new Map<Type<unknown>, Type<Page<unknown>>>();

/**
 * The schema of a page of `item`s, as every list answers: `{items, total, page, pageSize}`.
 * One class per item type, named `<Item>Page`, so the document and generated clients share it.
 */
export function pageOf<T>(item: Type<T>): Type<Page<T>> {
  let page = pages.get(item);
  if (!page) {
    class PageOf implements Page<T> {
      @ApiProperty({ type: [item] }) items: T[];
      @ApiProperty({ description: 'every item that matches, on every page' }) total: number;
      @ApiProperty({ minimum: 1 }) page: number;
      @ApiProperty({ minimum: 1, maximum: 200 }) pageSize: number;
    }
    Object.defineProperty(PageOf, 'name', { value: `${item.name}Page` });
    page = PageOf as Type<Page<unknown>>;
    pages.set(item, page);
  }
  return page as Type<Page<T>>;
}

/** A file answered as its bytes, in one of these content types. */
export function ApiFileResponse(description: string, contentTypes: string[]): MethodDecorator {
  return ApiResponse({
    status: 200,
    description,
    content: Object.fromEntries(
      contentTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
    headers: {
      'Content-Disposition': {
        description: 'attachment; filename="…"',
        schema: { type: 'string' },
      },
    },
  });
}
