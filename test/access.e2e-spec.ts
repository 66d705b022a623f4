import { Controller, Get, RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { NOT_WHILE_IMPERSONATING } from '../src/common/decorators/not-while-impersonating.decorator';
import { IS_PUBLIC } from '../src/common/decorators/public.decorator';
import { Access, ACCESS } from '../src/rbac/authenticated.decorator';
import { ALL_PERMISSIONS, Permission } from '../src/rbac/permissions';
import { API_PREFIX } from '../src/app.setup';
import { buildOpenApiDocument, PERMISSIONS_EXTENSION } from '../src/common/http/openapi';
import { bearer, Pair } from './support/auth-helpers';
import { ADMIN, ADMIN_ENV, grantRole, login, member } from './support/admin-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** A route added in a hurry, with neither @Public() nor @Authenticated(). */
@Controller('undeclared')
class UndeclaredController {
  @Get()
  leak() {
    return { secret: 'should never be served' };
  }
}

interface Route {
  method: string;
  path: string;
  isPublic: boolean;
  access?: Access;
  notWhileImpersonating: boolean;
}

const SAMPLE_ID = '665f1c2e8b3c4a0012345678';

/**
 * The changes an admin acting as a user (an impersonation token) may make for them, as support
 * does: the profile and its picture, the user's own files, signing sessions out, leaving the
 * impersonation. Every other change a plain user can make is the owner's alone and must carry
 * `@NotWhileImpersonating()`; a new one that carries neither fails the spec below, so a route
 * cannot become reachable to an impersonator by being forgotten.
 */
const ALLOWED_WHILE_IMPERSONATING = [
  'patch /api/v1/users/me',
  'patch /api/v1/users/me/metadata',
  'put /api/v1/users/me/avatar',
  'delete /api/v1/users/me/avatar',
  'post /api/v1/assets',
  'post /api/v1/assets/uploads',
  'post /api/v1/assets/uploads/complete',
  `delete /api/v1/assets/${SAMPLE_ID}`,
  `delete /api/v1/sessions/${SAMPLE_ID}`,
  'post /api/v1/auth/logout',
  'post /api/v1/auth/logout-all',
  'post /api/v1/auth/impersonation/stop',
];

/** Every route of the app, with what it declared, read from the handlers' own metadata. */
function routesOf(t: TestApp): Route[] {
  const reflector = t.app.get(Reflector);
  const routes: Route[] = [];
  for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
    const type = wrapper.metatype as (new () => object) | undefined;
    if (!type || !wrapper.instance) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
    const proto = Object.getPrototypeOf(wrapper.instance) as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) continue;
      const sub = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
      const raw = [base, sub].filter((p) => p && p !== '/').join('/');
      const prefix = /^(health|metrics)\b/.test(raw) ? '' : `/${API_PREFIX}`;
      routes.push({
        method: RequestMethod[method].toLowerCase(),
        path: `${prefix}/${raw}`.replace(/:id\b/g, SAMPLE_ID).replace(/:name\b/g, 'support'),
        isPublic: reflector.getAllAndOverride<boolean>(IS_PUBLIC, [handler, type]) ?? false,
        access: reflector.getAllAndOverride<Access>(ACCESS, [handler, type]),
        notWhileImpersonating:
          reflector.getAllAndOverride<boolean>(NOT_WHILE_IMPERSONATING, [handler, type]) ?? false,
      });
    }
  }
  return routes;
}

describe('Access to every route', () => {
  let t: TestApp;
  let routes: Route[];
  /** For each permission, a user whose role has every permission but that one. */
  const without = new Map<Permission, string>();

  beforeAll(async () => {
    t = await createTestApp(ADMIN_ENV, { controllers: [UndeclaredController] });
    routes = routesOf(t).filter((r) => !r.path.includes('undeclared'));
    const admin = await login(t, ADMIN.email, ADMIN.password);
    for (const permission of ALL_PERMISSIONS) {
      const role = `no-${permission.replace(':', '-')}`;
      await t
        .http()
        .post('/api/v1/admin/roles')
        .set(bearer(admin))
        .send({ name: role, permissions: ALL_PERMISSIONS.filter((p) => p !== permission) })
        .expect(201);
      const email = `${role}@example.com`;
      const pair = await member(t, email);
      await grantRole(t, admin, pair.user.id, role);
      without.set(permission, email);
    }
    await member(t, 'plain@example.com');
  });
  afterAll(() => t.close());

  const call = (route: Route, pair?: Pair) => {
    const req = t.http()[route.method as 'get'](route.path);
    if (pair) req.set(bearer(pair));
    return route.method === 'get' ? req : req.send({});
  };

  it('finds the routes (the matrix below is not empty)', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.some((r) => r.path === '/api/v1/admin/users' && r.method === 'get')).toBe(true);
  });

  it('every route declares @Public() or @Authenticated()', () => {
    const undeclared = routes.filter((r) => !r.isPublic && !r.access);
    expect(undeclared.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('every change a plain user can make is either owner-only or listed as allowed while impersonating', () => {
    // Reads are what impersonation is for; routes needing a permission are out of its reach (an
    // admin never acts as a user who holds one).
    const unclassified = routes
      .filter((r) => !r.isPublic && r.method !== 'get' && !r.access?.permissions.length)
      .filter((r) => !r.notWhileImpersonating)
      .map((r) => `${r.method} ${r.path}`)
      .filter((route) => !ALLOWED_WHILE_IMPERSONATING.includes(route));
    expect(unclassified).toEqual([]);
    // The owner-only marker is where it must be (a sample of each kind of credential).
    const ownerOnly = routes
      .filter((r) => r.notWhileImpersonating)
      .map((r) => `${r.method} ${r.path}`);
    expect(ownerOnly).toEqual(
      expect.arrayContaining([
        'post /api/v1/auth/change-password',
        'delete /api/v1/users/me',
        'delete /api/v1/users/me/password',
      ]),
    );
  });

  it('documents each required permission in the OpenAPI description of its operation', () => {
    const document = buildOpenApiDocument(t.app);
    const documented: string[] = [];
    for (const item of Object.values(document.paths))
      for (const operation of Object.values(item) as {
        description?: string;
        [key: string]: unknown;
      }[]) {
        const permissions = operation[PERMISSIONS_EXTENSION] as string[] | undefined;
        if (!permissions) continue;
        for (const permission of permissions) {
          expect(operation.description).toContain(`\`${permission}\``);
          documented.push(permission);
        }
      }
    const declared = routes.flatMap((r) => r.access?.permissions ?? []);
    expect(documented.sort()).toEqual(declared.sort());
  });

  it('refuses a route that declares neither, even with a valid token (deny by default)', async () => {
    const pair = await login(t, 'plain@example.com');
    const res = await t.http().get('/api/v1/undeclared').set(bearer(pair)).expect(403);
    expect(JSON.stringify(res.body)).not.toMatch(/should never/);
    await t.http().get('/api/v1/undeclared').expect(401);
  });

  it('without a token: 401 on every route that is not public', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic)) {
      const res = await call(route);
      if (res.status !== 401) wrong.push(`${route.method} ${route.path}: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });

  it('with a token lacking one required permission: 403; with the permissions: neither 401 nor 403', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic)) {
      const needed = route.access?.permissions ?? [];
      for (const permission of needed) {
        const res = await call(route, await login(t, without.get(permission)!));
        if (res.status !== 403)
          wrong.push(`${route.method} ${route.path} without ${permission}: ${res.status}`);
      }
      if (needed.length > 0) {
        const res = await call(route, await login(t, 'plain@example.com'));
        if (res.status !== 403)
          wrong.push(`${route.method} ${route.path} as a plain user: ${res.status}`);
      }
      const holder =
        needed.length > 0
          ? await login(t, ADMIN.email, ADMIN.password)
          : await login(t, 'plain@example.com');
      const res = await call(route, holder);
      if ([401, 403].includes(res.status))
        wrong.push(`${route.method} ${route.path} allowed: ${res.status}`);
    }
    expect(wrong).toEqual([]);
  });
});
