import { createUser } from './factories/users.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';

describe('HTTP conventions', () => {
  let t: TestApp;
  let headers: { authorization: string };

  beforeAll(async () => {
    t = await startTestApp();
    headers = bearer(await t.tokenFor(await createUser(t.dataSource, { role: 'observer' })));
  });
  afterAll(() => t.close());

  it('should answer an unknown route with 404 problem+json', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'not_found',
    });
  });

  it('should answer a malformed JSON body with 400 problem+json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/regions',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, code: 'bad_request' });
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"programme"'],
    ['null', 'null'],
    ['a number', '42'],
  ])('should answer 400 problem+json to a JSON body that is %s', async (_case, payload) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { ...headers, 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('should refuse NUL characters, which PostgreSQL cannot store, with 400 and store nothing', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers,
      payload: { name: 'bad\u0000name' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { field: 'name', code: 'nul_character', message: 'name must not contain NUL characters' },
    ]);
    const query = await t.app.inject({
      method: 'GET',
      url: '/api/v1/countries?region=AF%00R',
      headers,
    });
    expect(query.statusCode).toBe(400);
  });

  it('should refuse a body nested thousands of levels deep with 400, not a stack overflow', async () => {
    for (const payload of [
      `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`,
      `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { ...headers, 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it.each(['toString', 'constructor', 'hasOwnProperty', 'prototype', 'valueOf'])(
    'should refuse an unknown field named %s, which class-transformer would drop unseen',
    async (field) => {
      const before = await t.dataSource.query('SELECT count(*)::int AS n FROM api_tokens');
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/tokens',
        headers: { ...headers, 'content-type': 'application/json' },
        payload: `{"name": "script", "${field}": {"a": 1}}`,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([
        { field, code: 'unknown_field', message: `property ${field} should not exist` },
      ]);
      expect(await t.dataSource.query('SELECT count(*)::int AS n FROM api_tokens')).toEqual(before);
    },
  );

  it('should refuse a JSON null body where every field is optional, rather than read it as {}', async () => {
    const admin = await createUser(t.dataSource, { role: 'admin' });
    const observer = await createUser(t.dataSource, { role: 'observer' });
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${observer.id}`,
      headers: { ...bearer(await t.tokenFor(admin)), 'content-type': 'application/json' },
      payload: 'null',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { field: 'body', code: 'body_not_object', message: 'The body must be a JSON object' },
    ]);
  });

  it.each([
    ['a number in a string', '"30"'],
    ['a boolean', 'true'],
  ])('should refuse %s where a JSON body takes a number', async (_case, value) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: `{"name": "script", "expiresInDays": ${value}}`,
    });
    expect(response.statusCode).toBe(400);
  });

  it('should refuse a body on a route that reads none, and act on nothing', async () => {
    const token = async () =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/tokens',
          headers,
          payload: { name: 'to revoke' },
        })
      ).json().id as string;
    const revoke = (id: string, payload?: string) =>
      t.app.inject({
        method: 'DELETE',
        url: `/api/v1/auth/tokens/${id}`,
        headers:
          payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        payload,
      });
    const id = await token();
    for (const payload of ['{"reason": "leaked"}', '[]', '"yes"', 'null']) {
      const refused = await revoke(id, payload);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().errors).toEqual([
        { field: 'body', code: 'body_not_expected', message: 'This request takes no body' },
      ]);
    }
    const [{ revoked }] = await t.dataSource.query(
      'SELECT revoked_at IS NOT NULL AS revoked FROM api_tokens WHERE id = $1',
      [id],
    );
    expect(revoked).toBe(false);
    // No body, an empty one, or only the CSRF token that the pages' forms post: nothing to read.
    expect((await revoke(id)).statusCode).toBe(204);
    expect((await revoke(await token(), '{}')).statusCode).toBe(204);
    expect((await revoke(await token(), '{"_csrf": "x"}')).statusCode).toBe(204);
  });

  it.each([
    ['a malformed percent-encoding', '/api/v1/countries/%E0%A4%A', 400],
    ['an over-long path parameter', `/api/v1/countries/${'x'.repeat(300)}`, 414],
  ])(
    'should answer %s, which the router refuses, with problem+json',
    async (_case, url, status) => {
      const response = await t.app.inject({ method: 'GET', url, headers });
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status, requestId: expect.any(String) });
    },
  );

  it('should refuse a body over 1 MB with 413 problem+json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().code).toBe('payload_too_large');
  });

  it('should refuse a body that is not a JSON object with 400 problem+json', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: { ...headers, 'content-type': 'text/plain' },
      payload: 'name=x',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it("should keep the caller's request id, or make one, and return it in the header and problems", async () => {
    const kept = await t.app.inject({
      method: 'GET',
      url: '/api/v1/countries/XX',
      headers: { ...headers, 'x-request-id': 'trace-42' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-42');
    expect(kept.json().requestId).toBe('trace-42');

    const made = await t.app.inject({
      method: 'GET',
      url: '/api/v1/regions',
      headers: { ...headers, 'x-request-id': 'not a sane id\u0007' },
    });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should send the security headers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/regions' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('should publish the OpenAPI document and its page', async () => {
    const document = await t.app.inject({ method: 'GET', url: '/api/docs-json' });
    expect(document.statusCode).toBe(200);
    expect(document.json().openapi).toMatch(/^3\./);
    expect(Object.keys(document.json().paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/regions',
        '/api/v1/countries',
        '/api/v1/countries/{code}',
        '/health/ready',
      ]),
    );
    const page = await t.app.inject({ method: 'GET', url: '/api/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });
});
