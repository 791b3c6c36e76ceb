import { ModulesContainer } from '@nestjs/core';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ACCESS_RULE } from '../src/auth/access.decorators.js';
import { type Staff, TEST_PASSWORD, createStaff, createUser } from './factories/users.js';
import { type TestApp, bearer, startTestApp } from './support/test-app.js';

type Caller = 'anonymous' | keyof Staff;
const CALLERS: Caller[] = [
  'anonymous',
  'admin',
  'itu_pm',
  'regional_coordinator',
  'national_team',
  'observer',
];

interface Request {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: object;
}

interface Case {
  /** What is being tried, for the test name. */
  name: string;
  request: (caller: Caller) => Promise<Request>;
  /** The status each caller gets, in the order of CALLERS. */
  expect: [number, number, number, number, number, number];
}

/**
 * Every route of the application with who may call it, in and out of scope. A route that is
 * registered but not listed here fails the first test, so a new endpoint cannot ship without
 * its access rule being decided and tested.
 */
function accessTable(t: TestApp, staff: Staff): Record<string, Case[]> {
  const ALL = [200, 200, 200, 200, 200, 200] as Case['expect'];
  const SIGNED_IN = [401, 200, 200, 200, 200, 200] as Case['expect'];
  const STAFF_ADMINS = [401, 200, 200, 403, 403, 403] as Case['expect'];
  let unique = 0;
  const someoneElsesToken = async () => {
    const other = await createUser(t.dataSource, { role: 'observer' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(t.tokenFor(other)),
      payload: { name: 'not yours' },
    });
    return response.json().id as string;
  };
  const ownToken = async (caller: Caller) => {
    if (caller === 'anonymous') return '00000000-0000-4000-8000-000000000000';
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/tokens',
      headers: bearer(t.tokenFor(staff[caller])),
      payload: { name: 'mine' },
    });
    return response.json().id as string;
  };

  return {
    'GET /health/live': [
      {
        name: 'liveness',
        request: async () => ({ method: 'GET', url: '/health/live' }),
        expect: ALL,
      },
    ],
    'GET /health/ready': [
      {
        name: 'readiness',
        request: async () => ({ method: 'GET', url: '/health/ready' }),
        expect: ALL,
      },
    ],
    'POST /api/v1/auth/login': [
      {
        name: 'sign in whatever token is sent',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/auth/login',
          body: { email: staff.observer.email, password: TEST_PASSWORD },
        }),
        expect: ALL,
      },
    ],
    'GET /api/v1/auth/me': [
      {
        name: 'who am I',
        request: async () => ({ method: 'GET', url: '/api/v1/auth/me' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/auth/tokens': [
      {
        name: 'own tokens',
        request: async () => ({ method: 'GET', url: '/api/v1/auth/tokens' }),
        expect: SIGNED_IN,
      },
    ],
    'POST /api/v1/auth/tokens': [
      {
        name: 'create a token',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/auth/tokens',
          body: { name: 'script' },
        }),
        expect: [401, 201, 201, 201, 201, 201],
      },
    ],
    'DELETE /api/v1/auth/tokens/:id': [
      {
        name: 'revoke own token',
        request: async (caller) => ({
          method: 'DELETE',
          url: `/api/v1/auth/tokens/${await ownToken(caller)}`,
        }),
        expect: [401, 204, 204, 204, 204, 204],
      },
      {
        name: "revoke someone else's token",
        request: async () => ({
          method: 'DELETE',
          url: `/api/v1/auth/tokens/${await someoneElsesToken()}`,
        }),
        expect: [401, 404, 404, 404, 404, 404],
      },
    ],
    'GET /api/v1/users': [
      {
        name: 'list users',
        request: async () => ({ method: 'GET', url: '/api/v1/users' }),
        expect: STAFF_ADMINS,
      },
    ],
    'POST /api/v1/users': [
      {
        name: 'create an observer',
        request: async () => ({
          method: 'POST',
          url: '/api/v1/users',
          body: {
            email: `new.${(unique += 1)}@example.org`,
            displayName: 'New',
            role: 'observer',
            password: TEST_PASSWORD,
          },
        }),
        expect: [401, 201, 201, 403, 403, 403],
      },
    ],
    'GET /api/v1/users/:id': [
      {
        name: 'read a user',
        request: async () => ({ method: 'GET', url: `/api/v1/users/${staff.observer.id}` }),
        expect: STAFF_ADMINS,
      },
    ],
    'PATCH /api/v1/users/:id': [
      {
        name: 'rename a user',
        request: async () => ({
          method: 'PATCH',
          url: `/api/v1/users/${staff.observer.id}`,
          body: { displayName: `Renamed ${(unique += 1)}` },
        }),
        expect: STAFF_ADMINS,
      },
    ],
    'GET /api/v1/regions': [
      {
        name: 'regions',
        request: async () => ({ method: 'GET', url: '/api/v1/regions' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/countries': [
      {
        name: 'countries',
        request: async () => ({ method: 'GET', url: '/api/v1/countries' }),
        expect: SIGNED_IN,
      },
    ],
    'GET /api/v1/countries/:code': [
      {
        name: 'own country',
        request: async () => ({ method: 'GET', url: '/api/v1/countries/KE' }),
        expect: SIGNED_IN,
      },
      {
        name: 'a country of another region (reference data is not scoped)',
        request: async () => ({ method: 'GET', url: '/api/v1/countries/FR' }),
        expect: SIGNED_IN,
      },
    ],
  };
}

/** Routes that Fastify serves outside our controllers: the OpenAPI page and its files. */
const DOCUMENTATION = /^\/api\/docs(-json|-yaml)?(\/|$)/;

describe('access rules of every route', () => {
  const routes = new Set<string>();
  let t: TestApp;
  let staff: Staff;

  beforeAll(async () => {
    t = await startTestApp({
      onRoute: ({ method, url }) => {
        for (const verb of [method].flat()) {
          if (verb !== 'HEAD' && !DOCUMENTATION.test(url)) routes.add(`${verb} ${url}`);
        }
      },
    });
    staff = await createStaff(t.dataSource);
  });
  afterAll(() => t.close());

  it('should declare an access rule on every controller method', () => {
    const undeclared: string[] = [];
    for (const module of t.app.get(ModulesContainer).values()) {
      for (const controller of module.controllers.values()) {
        const type = controller.metatype!;
        const prototype = type.prototype;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = prototype[name];
          if (
            typeof handler !== 'function' ||
            Reflect.getMetadata(METHOD_METADATA, handler) === undefined
          )
            continue;
          const rule =
            Reflect.getMetadata(ACCESS_RULE, handler) ?? Reflect.getMetadata(ACCESS_RULE, type);
          if (!rule)
            undeclared.push(
              `${controller.name}.${name} (${Reflect.getMetadata(PATH_METADATA, handler)})`,
            );
        }
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('should list every registered route in the access table, and nothing else', () => {
    expect([...routes].sort()).toEqual(Object.keys(accessTable(t, staff)).sort());
  });

  it('should answer each caller of each route with the status of the table', async () => {
    const mismatches: string[] = [];
    for (const [route, cases] of Object.entries(accessTable(t, staff))) {
      for (const testCase of cases) {
        for (const [index, caller] of CALLERS.entries()) {
          const request = await testCase.request(caller);
          const response = await t.app.inject({
            method: request.method,
            url: request.url,
            payload: request.body,
            headers: caller === 'anonymous' ? {} : bearer(t.tokenFor(staff[caller])),
          });
          if (response.statusCode !== testCase.expect[index]) {
            mismatches.push(
              `${route} (${testCase.name}) as ${caller}: ${response.statusCode}, expected ${testCase.expect[index]} ${response.body.slice(0, 200)}`,
            );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
