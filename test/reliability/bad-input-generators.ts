import fc from 'fast-check';

/**
 * What the drill knows of one field of a request body, read from the OpenAPI document. `unknown`
 * is a field whose type the document cannot say (a union such as `string | null`).
 */
export interface FieldSpec {
  name: string;
  kind: 'string' | 'date' | 'enum' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';
  required: boolean;
  values?: string[];
  minimum?: number;
  maximum?: number;
  example?: unknown;
  items?: FieldSpec;
  fields?: FieldSpec[];
}

type Schema = {
  $ref?: string;
  allOf?: Schema[];
  type?: string;
  enum?: string[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  minimum?: number;
  maximum?: number;
  example?: unknown;
};

export type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
};

function resolve(document: OpenApiDocument, schema: Schema): Schema {
  const ref = schema.$ref ?? schema.allOf?.find((part) => part.$ref)?.$ref;
  if (!ref) return schema;
  return { ...schema, ...document.components.schemas[ref.split('/').pop()!], allOf: undefined };
}

/** The fields of a body schema, nested objects included. */
export function fieldsOf(document: OpenApiDocument, schema: Schema): FieldSpec[] {
  const resolved = resolve(document, schema);
  return Object.entries(resolved.properties ?? {}).map(([name, property]) =>
    fieldOf(document, name, property, (resolved.required ?? []).includes(name)),
  );
}

function fieldOf(
  document: OpenApiDocument,
  name: string,
  raw: Schema,
  required: boolean,
): FieldSpec {
  const schema = resolve(document, raw);
  const common = {
    name,
    required,
    minimum: schema.minimum,
    maximum: schema.maximum,
    example: schema.example,
  };
  if (schema.properties) return { ...common, kind: 'object', fields: fieldsOf(document, schema) };
  if (schema.enum) return { ...common, kind: 'enum', values: schema.enum };
  if (name.endsWith('Date')) return { ...common, kind: 'date' };
  switch (schema.type) {
    case 'string':
      return { ...common, kind: 'string' };
    case 'number':
    case 'integer':
      return { ...common, kind: 'number' };
    case 'boolean':
      return { ...common, kind: 'boolean' };
    case 'array':
      return {
        ...common,
        kind: 'array',
        items: fieldOf(document, `${name}[]`, schema.items ?? {}, true),
      };
    default:
      return { ...common, kind: 'unknown' };
  }
}

/** A plausible value for a field, so that the one bad value of a body is what gets refused. */
export function plausible(field: FieldSpec): unknown {
  switch (field.kind) {
    case 'enum':
      return field.values![0];
    case 'date':
      return '2027-06-30';
    case 'number':
    case 'unknown':
      return field.minimum ?? 1;
    case 'boolean':
      return true;
    case 'array':
      return field.example ?? [plausible(field.items!)];
    case 'object':
      return plausibleBody(field.fields!);
    default:
      return field.example ?? 'Drill value';
  }
}

export function plausibleBody(fields: FieldSpec[]): Record<string, unknown> {
  return Object.fromEntries(fields.map((field) => [field.name, plausible(field)]));
}

/** Odd text: any code point, right-to-left marks, zero-width joiners, combining marks, emoji. */
export const oddText = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    '\u202Eevil\u202C',
    'a\u200Db\u200Cc\uFEFF',
    'e\u0301\u0301\u0301\u0301',
    '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🏳️‍🌈👩‍👩‍👧‍👦',
    '\uFFFD\uFFFE\uFFFF',
    '\u0085\u2028\u2029',
    'ﷺ'.repeat(20),
    '\t\r\n\v\f',
  ),
);

/**
 * A string no field accepts: more than 4,000 characters (the longest bound of the API, counted in
 * code points as class-validator does), and not blank when trimmed.
 */
export const hugeText = fc
  .tuple(fc.integer({ min: 4_001, max: 30_000 }), fc.constantFrom('x', 'é', '字', '𝔘', '\u0301a'))
  .map(([length, unit]) => unit.repeat(length));

/** PostgreSQL cannot store NUL, and the API refuses it anywhere in a body. */
export const nulText = fc
  .tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
  .map(([before, after]) => `${before}\u0000${after}`);

/** Objects nested up to a thousand levels deep (JSON.stringify's own limit is near), under keys no DTO has. */
export const deepNesting = fc
  .tuple(fc.integer({ min: 2, max: 1_000 }), fc.constantFrom('a', 'deep', '$x'))
  .map(([depth, key]) => {
    let value: unknown = 1;
    for (let level = 0; level < depth; level++) value = { [key]: value };
    return value;
  });

/** Arrays longer than any of the API's bounds (250 at most). */
export const hugeArray = fc
  .tuple(fc.integer({ min: 300, max: 3_000 }), fc.constantFrom<unknown>(1, 'KE', 'json', null, {}))
  .map(([length, item]) => Array.from({ length }, () => item));

const junkObject = fc.dictionary(
  fc.string({ minLength: 1, maxLength: 8 }).map((key) => `x-${key}`),
  fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
  { minKeys: 1, maxKeys: 4 },
);

/** Values that no field of this API accepts, whatever its type. */
const universallyWrong = fc.oneof(hugeText, nulText, deepNesting, hugeArray, junkObject);

const notAString = fc.oneof(
  fc.integer(),
  // no infinities: JSON writes them as null, which an optional field takes
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  junkObject,
);

const invalidDate = fc.oneof(
  fc.constantFrom(
    '2026-02-30',
    '2026-02-29',
    '2026-13-01',
    '2026-00-10',
    '2026-04-31',
    '1899-12-31',
    '2200-01-01',
    '0000-01-01',
    '99999-01-01',
    '-2026-01-01',
    '2026-1-1',
    '2026/01/01',
    '01-01-2026',
    '2026-01-01T00:00:00Z',
    '2026-01-01 ',
    'yesterday',
    '',
    '２０２６-０１-０１',
  ),
  fc.integer().map(String),
  oddText,
);

function notIn(values: string[]) {
  return fc
    .oneof(
      fc
        .constantFrom(...values)
        .chain((value) =>
          fc.constantFrom(
            value.toUpperCase(),
            ` ${value}`,
            `${value}\u200B`,
            `${value}s`,
            value.slice(1),
            value.replace(/a/g, 'а'),
          ),
        ),
      oddText,
      fc.string({ maxLength: 30 }),
    )
    .filter((value) => !values.includes(value));
}

function outOfRange(field: FieldSpec) {
  const minimum = field.minimum ?? 1;
  return fc.oneof(
    fc.integer({ min: -2_147_483_648, max: minimum - 1 }),
    fc.constantFrom(
      minimum - 1,
      minimum - 0.5,
      (field.maximum ?? 2_147_483_647) + 1,
      2 ** 53 + 2,
      1e300,
      -1e300,
      5e-324,
      1.5,
    ),
  );
}

/** A value the field refuses, whatever else the body holds. */
export function wrongValue(field: FieldSpec): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'string':
      return fc.oneof(notAString, universallyWrong);
    case 'date':
      return fc.oneof(invalidDate, notAString, universallyWrong);
    case 'enum':
      return fc.oneof(notIn(field.values!), notAString, universallyWrong);
    case 'number':
      return fc.oneof(
        outOfRange(field),
        fc.constantFrom('abc', '', '1e', 'NaN', 'Infinity', '0x', '١', '1,5', '--1'),
        fc.constantFrom(true, false, '2', ' 3 ', [2], { value: 2 }),
        universallyWrong,
      );
    case 'boolean':
      return fc.oneof(
        fc.constantFrom('true', 'false', 'yes', 1, 0, [], {}, 'on'),
        universallyWrong,
      );
    case 'array':
      return fc.oneof(
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), junkObject),
        fc.array(wrongValue(field.items!), { minLength: 1, maxLength: 5 }),
        universallyWrong,
      );
    case 'object':
      return fc.oneof(
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant([])),
        malformedBody(field.fields!).filter(
          (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
        ),
        universallyWrong,
      );
    default:
      return field.minimum !== undefined && field.maximum !== undefined
        ? fc.oneof(
            fc.integer({ min: field.maximum + 1 }),
            fc.integer({ max: field.minimum - 1 }),
            fc.constantFrom(field.minimum + 0.5, '2', true, []),
            universallyWrong,
          )
        : universallyWrong;
  }
}

/** Field names that are not the DTO's, including ones that poke at JavaScript objects. */
function unknownKey(fields: FieldSpec[]) {
  const names = fields.map((field) => field.name);
  return fc
    .oneof(
      fc.string({ minLength: 1, maxLength: 20 }),
      oddText,
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'hasOwnProperty',
        'valueOf',
        '',
        ' ',
        'id',
        'createdAt',
        'deletedAt',
        'role',
        'admin',
        '$where',
        'a.b',
        '[0]',
        '_csrf ',
      ),
      fc.constantFrom(...(names.length > 0 ? names : ['field'])).map((name) => `${name} `),
      fc.constantFrom(...(names.length > 0 ? names : ['field'])).map((name) => name.toUpperCase()),
    )
    .filter((key) => !names.includes(key));
}

const anyJunk = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  oddText,
  junkObject,
  fc.array(fc.integer(), { maxLength: 5 }),
);

/** JSON bodies that are not an object at all. */
export const notAnObject = fc.oneof(
  fc.constantFrom<unknown>(null, [], [{}], true, false, 0, -1, '', 'body', [null]),
  fc.array(anyJunk, { maxLength: 5 }),
  fc.string({ maxLength: 30 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function setIn(body: Record<string, unknown>, key: string, value: unknown) {
  // defineProperty, so that "__proto__" becomes a key of the JSON rather than the prototype
  Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
  return body;
}

/**
 * A JSON body that breaks at least one rule of a DTO with these fields, starting from a plausible
 * body: wrong values in one to three fields, a required field missing, unknown fields (unless the
 * route ignores them, as a page's form post does), deep nesting, thousands of fields, or a body
 * that is not an object at all. Every case is certainly invalid.
 */
export function malformedBody(
  fields: FieldSpec[],
  { unknownFieldsRefused = true } = {},
): fc.Arbitrary<unknown> {
  const names = fields.map((field) => field.name);
  const required = fields.filter((field) => field.required);
  const withExtraKeys = (extra: [string, unknown][]) => {
    const body = plausibleBody(fields);
    for (const [key, value] of extra) setIn(body, key, value);
    return body;
  };
  // Most bodies put wrong values in the DTO's own fields; the other shapes take a share each.
  const cases: { arbitrary: fc.Arbitrary<unknown>; weight: number }[] = [
    { arbitrary: notAnObject, weight: 1 },
  ];
  if (fields.length > 0) {
    const wrongFields = fc
      .uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 3 })
      .chain((chosen) =>
        fc.tuple(
          ...chosen.map((name) =>
            wrongValue(fields.find((field) => field.name === name)!).map(
              (value): [string, unknown] => [name, value],
            ),
          ),
        ),
      )
      .map(withExtraKeys);
    cases.push({ arbitrary: wrongFields, weight: 5 });
  }
  if (required.length > 0) {
    const missing = fc.constantFrom(...required).map((field) => {
      const body = plausibleBody(fields);
      delete body[field.name];
      return body;
    });
    cases.push({ arbitrary: missing, weight: 1 });
  }
  if (unknownFieldsRefused) {
    const unknown = fc
      .array(fc.tuple(unknownKey(fields), anyJunk), { minLength: 1, maxLength: 4 })
      .map(withExtraKeys);
    const deep = fc.tuple(unknownKey(fields), deepNesting).map((extra) => withExtraKeys([extra]));
    const thousands = fc
      .integer({ min: 300, max: 3_000 })
      .map((count) =>
        withExtraKeys(Array.from({ length: count }, (_, i): [string, unknown] => [`f${i}`, i])),
      );
    cases.push(
      { arbitrary: unknown, weight: 1 },
      { arbitrary: deep, weight: 1 },
      { arbitrary: thousands, weight: 1 },
    );
  }
  return fc.oneof(...cases);
}

/** Raw payloads that are not JSON at all, or JSON the parser must refuse. */
export const RAW_BODIES: { name: string; payload: string | Buffer }[] = [
  { name: 'cut short', payload: '{"title": "x"' },
  { name: 'trailing comma', payload: '{"a": 1,}' },
  { name: 'single quotes', payload: "{'a': 1}" },
  { name: 'two documents', payload: '{"a": 1}{"b": 2}' },
  { name: 'NaN', payload: '{"version": NaN}' },
  { name: 'undefined', payload: 'undefined' },
  { name: 'comment', payload: '{"a": 1 /* x */}' },
  { name: 'unquoted key', payload: '{a: 1}' },
  { name: 'bare NUL', payload: '\u0000' },
  { name: 'NUL in JSON', payload: '{"a": "\u0000"}' },
  { name: 'escaped NUL', payload: '{"title": "a\\u0000b"}' },
  { name: 'lone surrogate escape', payload: '{"title": "\\ud800"}' },
  {
    name: 'invalid UTF-8',
    payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
  },
  { name: 'UTF-16', payload: Buffer.from('{"a": 1}', 'utf16le') },
  { name: 'prototype pollution', payload: '{"__proto__": {"role": "admin"}}' },
  { name: 'constructor pollution', payload: '{"constructor": {"prototype": {"role": "admin"}}}' },
  { name: 'unclosed nesting', payload: '['.repeat(100_000) },
  { name: 'deep arrays', payload: `${'['.repeat(200_000)}${']'.repeat(200_000)}` },
  { name: 'deep objects', payload: `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}` },
  { name: 'duplicate keys', payload: '{"a": 1, "a": 2, "a": {"b": 3}}' },
  { name: 'huge number', payload: `{"version": 1${'0'.repeat(400)}}` },
  { name: 'only white space', payload: ' \n\t ' },
];

/** Content types the API does not take (an empty one: no header), each with a body that looks like a real one. */
export const WRONG_CONTENT_TYPES: { contentType: string; payload: string }[] = [
  { contentType: 'text/plain', payload: '{"title": "x"}' },
  { contentType: 'application/x-www-form-urlencoded', payload: 'title=x&version=1' },
  {
    contentType: 'multipart/form-data; boundary=x',
    payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  },
  { contentType: 'application/xml', payload: '<a>1</a>' },
  { contentType: 'application/octet-stream', payload: '\u0001\u0002' },
  { contentType: 'application/json; charset=utf-16', payload: '{"a": 1}' },
  { contentType: 'application/jsonp', payload: '{"a": 1}' },
  { contentType: 'image/png', payload: '\u0089PNG' },
  { contentType: '', payload: '{"a": 1}' },
  { contentType: 'text/html', payload: '<script>alert(1)</script>' },
];

/** Query values: odd text, huge ones, numbers out of range, bad dates, NUL, enum near misses. */
export function malformedQueryValue(values: string[] | undefined): fc.Arbitrary<string | string[]> {
  return fc.oneof(
    oddText,
    fc.string({ maxLength: 40 }),
    fc.integer({ min: 1_000, max: 8_000 }).map((length) => 'q'.repeat(length)),
    nulText,
    fc.constantFrom(
      '-1',
      '0',
      '1.5',
      '1e309',
      '9'.repeat(400),
      '0x10',
      ' 1',
      '+1',
      '١',
      'NaN',
      'Infinity',
      '-0',
      '2147483648',
    ),
    invalidDate.map(String),
    fc.constantFrom('', 'true', 'null', 'undefined', '[]', '{}', '%', '%zz', '\\'),
    fc.array(fc.string({ maxLength: 10 }), { minLength: 2, maxLength: 4 }),
    values ? notIn(values) : fc.string({ maxLength: 10 }),
  );
}

/** SQL injection attempts for filter and search parameters. */
export const SQL_INJECTIONS = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '" OR ""="',
  "'; DROP TABLE programmes; --",
  "'; DELETE FROM audit_events; --",
  "1; UPDATE users SET role='admin' --",
  "%' UNION SELECT id, email, password_hash FROM users --",
  "' UNION SELECT NULL, NULL, NULL --",
  "KE' AND pg_sleep(5) IS NULL --",
  "'; SELECT pg_sleep(5); --",
  '1 OR 1=1',
  '\\',
  "\\'",
  "'",
  '%',
  '_',
  '%%',
  '\u0000',
  "'\u0000 OR 1=1",
  '$1',
  '$$; DROP TABLE users; $$',
  "E'\\x27",
  "') OR ('a'='a",
  '*/ OR 1=1 /*',
  '{"$ne": null}',
];

/** Percent-encodes every byte that is not unreserved, from the UTF-8 of the text (lone surrogates too). */
export function encodeQueryValue(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(byte))
        ? String.fromCharCode(byte)
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

const BOUNDARY = 'drill-boundary';
const PDF = '%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';

/** A multipart body of these parts, each a field (`value`) or a file (`filename`, `content`). */
function multipart(
  parts: { name: string; value?: string; filename?: string; content?: string }[],
  ending = `--${BOUNDARY}--\r\n`,
): string {
  return (
    parts
      .map((part) =>
        part.filename === undefined
          ? `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`
          : `--${BOUNDARY}\r\ncontent-disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `content-type: application/pdf\r\n\r\n${part.content}\r\n`,
      )
      .join('') + ending
  );
}

const UPLOAD_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;
const file = (filename: string, content = PDF) => ({ name: 'file', filename, content });

/** Uploads a document route must refuse (400, 413 or 415), each writing nothing. */
export const BAD_UPLOADS: { name: string; payload: string; contentType: string }[] = [
  { name: 'unknown kind', parts: [{ name: 'kind', value: 'design' }, file('a.pdf')] },
  { name: 'empty file', parts: [{ name: 'kind', value: 'other' }, file('a.pdf', '')] },
  { name: 'path in the name', parts: [{ name: 'kind', value: 'other' }, file('../../etc/a.pdf')] },
  { name: 'backslash in the name', parts: [{ name: 'kind', value: 'other' }, file('a\\b.pdf')] },
  {
    name: 'control character in the name',
    parts: [{ name: 'kind', value: 'other' }, file('a\u0001.pdf')],
  },
  {
    name: 'text, named .pdf',
    parts: [{ name: 'kind', value: 'other' }, file('a.pdf', 'plain text')],
  },
  {
    name: 'HTML, named .pdf',
    parts: [
      { name: 'kind', value: 'other' },
      file('a.pdf', '<html><script>alert(1)</script></html>'),
    ],
  },
  { name: 'no file', parts: [{ name: 'kind', value: 'other' }] },
  { name: 'kind after the file', parts: [file('a.pdf'), { name: 'kind', value: 'other' }] },
  { name: 'two files', parts: [{ name: 'kind', value: 'other' }, file('a.pdf'), file('b.pdf')] },
  {
    name: 'long title',
    parts: [
      { name: 'kind', value: 'other' },
      { name: 'title', value: 'x'.repeat(5000) },
      file('a.pdf'),
    ],
  },
  {
    name: 'NUL in the title',
    parts: [{ name: 'kind', value: 'other' }, { name: 'title', value: 'a\u0000b' }, file('a.pdf')],
  },
  {
    name: 'unknown field',
    parts: [{ name: 'kind', value: 'other' }, { name: 'owner', value: 'x' }, file('a.pdf')],
  },
].map(({ name, parts }) => ({ name, payload: multipart(parts), contentType: UPLOAD_TYPE }));
BAD_UPLOADS.push(
  {
    name: 'cut short',
    payload: multipart([{ name: 'kind', value: 'other' }, file('a.pdf')], '').slice(0, -10),
    contentType: UPLOAD_TYPE,
  },
  { name: 'no boundary', payload: multipart([file('a.pdf')]), contentType: 'multipart/form-data' },
  {
    name: 'another boundary',
    payload: multipart([{ name: 'kind', value: 'other' }, file('a.pdf')]),
    contentType: 'multipart/form-data; boundary=not-this-one',
  },
);
