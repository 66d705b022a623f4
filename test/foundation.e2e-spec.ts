import { Body, Controller, Post } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { IsEmail, IsString, MaxLength } from 'class-validator';
import { Public } from '../src/common/decorators/public.decorator';
import { DomainException } from '../src/common/errors/domain.exception';
import { startDevDatabase } from '../src/database/dev-database';
import { AdminBootstrap } from '../src/users/admin-bootstrap.service';
import { PasswordHasher } from '../src/users/password-hasher';
import { UsersService } from '../src/users/users.service';
import { Clock } from '../src/common/time/clock';
import { createTestApp, TestApp } from './support/test-app';

class EchoDto {
  @IsEmail()
  email!: string;

  @IsString()
  @MaxLength(20)
  name!: string;
}

/** A fixture route that exercises the global pipe, filter and body limits. */
@Public()
@Controller('echo')
class EchoController {
  @Post()
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }

  @Post('boom')
  boom(): never {
    throw new Error('secret driver detail: E11000 at 10.0.0.1');
  }
}

const ADMIN = { email: 'root@example.com', password: 'correct horse battery staple' };

describe('Foundation', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp(
      { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
      { controllers: [EchoController] },
    );
  });
  afterAll(() => t.close());

  describe('health', () => {
    it('answers live and ready outside the API prefix', async () => {
      await t.http().get('/health/live').expect(200, { status: 'ok' });
      const ready = await t.http().get('/health/ready').expect(200);
      expect(ready.body.status).toBe('ok');
    });
  });

  describe('problem details', () => {
    it('renders an unknown route as a 404 problem with the request id', async () => {
      const res = await t.http().get('/api/v1/no-such-route').expect(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
    });

    it("never repeats the request in an unknown route's problem", async () => {
      const marker = 'echo-me-<script>';
      for (const method of ['get', 'post', 'delete'] as const) {
        const res = await t.http()[method](`/api/v1/${encodeURIComponent(marker)}?q=${marker}`);
        expect(res.status).toBe(404);
        expect(res.body.detail).toBe('The resource was not found.');
        expect(JSON.stringify(res.body)).not.toContain('echo-me');
      }
    });

    it('lists each invalid field', async () => {
      const res = await t
        .http()
        .post('/api/v1/echo')
        .send({ email: 'not-an-email', name: 'x'.repeat(21) })
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
        'email',
        'name',
      ]);
    });

    it('refuses unknown fields instead of storing them', async () => {
      const res = await t
        .http()
        .post('/api/v1/echo')
        .send({ email: 'a@example.com', name: 'a', role: 'admin' })
        .expect(400);
      expect(res.body.errors).toEqual([{ field: 'role', message: 'is not an accepted field' }]);
    });

    it('refuses operator objects where a string belongs', async () => {
      const res = await t
        .http()
        .post('/api/v1/echo')
        .send({ email: { $ne: null }, name: 'a' })
        .expect(400);
      expect(res.body.errors[0].field).toBe('email');
    });

    it('answers malformed JSON with 400', async () => {
      const res = await t
        .http()
        .post('/api/v1/echo')
        .set('content-type', 'application/json')
        .send('{"email":')
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({ status: 400, code: 'bad_request' });
      expect(res.body.detail).toMatch(/JSON/);
    });

    it('answers a body over 1 MiB with 413', async () => {
      const big = JSON.stringify({ email: 'a@example.com', name: 'x'.repeat(1024 * 1024) });
      const res = await t
        .http()
        .post('/api/v1/echo')
        .set('content-type', 'application/json')
        .send(big)
        .expect(413);
      expect(res.body).toMatchObject({ status: 413, code: 'payload_too_large' });
    });

    it('hides the internals of an unexpected error and logs it with the request id', async () => {
      const res = await t.http().post('/api/v1/echo/boom').expect(500);
      expect(JSON.stringify(res.body)).not.toMatch(/E11000|10\.0\.0\.1|stack/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      expect(t.logs.text()).toContain(res.body.requestId);
    });
  });

  describe('request ids and headers', () => {
    it('echoes a sane X-Request-Id and replaces a hostile one', async () => {
      const sane = await t
        .http()
        .get('/health/live')
        .set('X-Request-Id', 'client-42.a:b')
        .expect(200);
      expect(sane.headers['x-request-id']).toBe('client-42.a:b');
      const hostile = await t
        .http()
        .get('/health/live')
        .set('X-Request-Id', 'a b\u00e9'.repeat(50))
        .expect(200);
      expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('marks API responses no-store and sets security headers', async () => {
      const res = await t.http().get('/api/v1/no-such-route');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      for (const path of ['/health/live', '/api/v1/users/me']) {
        const other = await t.http().get(path);
        expect(other.headers).toMatchObject({
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'SAMEORIGIN',
          'strict-transport-security': expect.stringMatching(/max-age=\d+/),
          'content-security-policy': expect.stringContaining("default-src 'self'"),
        });
        expect(other.headers['x-powered-by']).toBeUndefined();
      }
    });

    it('never writes the Authorization header to the log', async () => {
      await t
        .http()
        .get('/api/v1/no-such-route')
        .set('Authorization', 'Bearer super-secret-token-value');
      expect(t.logs.text()).toContain('/api/v1/no-such-route');
      expect(t.logs.text()).not.toContain('super-secret-token-value');
    });
  });

  describe('OpenAPI', () => {
    it('serves the document with the bearer scheme and the problem schema', async () => {
      const res = await t.http().get('/docs-json').expect(200);
      expect(res.body.components.securitySchemes.bearer).toMatchObject({
        type: 'http',
        scheme: 'bearer',
      });
      expect(res.body.components.schemas.ProblemDto.properties).toHaveProperty('requestId');
      expect(res.body.paths['/health/ready'].get.responses['503']).toBeDefined();
      await t.http().get('/docs').expect(200).expect('content-type', /html/);
    });

    it('documents every API route with its error responses, and DTO schemas from the plugin', async () => {
      const { body } = await t.http().get('/docs-json').expect(200);
      const operations = Object.entries(
        body.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>,
      )
        .filter(([path]) => path.startsWith('/api/v1/') && !path.startsWith('/api/v1/echo'))
        .flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => ({ route: `${method} ${path}`, op })),
        );
      expect(operations.length).toBeGreaterThanOrEqual(13);
      for (const { route, op } of operations) {
        expect({ route, errors: Object.keys(op.responses).some((s) => /^4\d\d$/.test(s)) }).toEqual(
          { route, errors: true },
        );
      }
      const register = body.components.schemas.RegisterDto;
      expect(Object.keys(register.properties).sort()).toEqual([
        'email',
        'firstName',
        'lastName',
        'password',
        'username',
      ]);
      expect(register.required.sort()).toEqual(['email', 'password']);
      expect(body.components.schemas.TokenPairDto.properties).toHaveProperty('refreshToken');
    });

    it('is a document clients can be generated from: plain operation ids, explicit security, closed bodies, typed errors', async () => {
      const { body } = await t.http().get('/docs-json').expect(200);
      type Op = {
        operationId: string;
        security: unknown[];
        requestBody?: unknown;
        responses: Record<
          string,
          { description: string; content?: Record<string, { example: { status: number } }> }
        >;
      };
      const ops = Object.entries(body.paths as Record<string, Record<string, Op>>)
        .filter(([path]) => !path.startsWith('/api/v1/echo'))
        .flatMap(([path, item]) =>
          Object.entries(item).map(([method, op]) => ({ path, method, op })),
        );
      const ids = ops.map(({ op }) => op.operationId);
      expect(ids).toEqual(
        expect.arrayContaining([
          'register',
          'login',
          'verifyLogin',
          'refresh',
          'logout',
          'listSessions',
          'revokeSession',
          'checkReadiness',
        ]),
      );
      expect(new Set(ids).size).toBe(ids.length);
      const byId = (id: string) => ops.find(({ op }) => op.operationId === id)!.op;
      expect(byId('login').security).toEqual([]);
      expect(byId('listSessions').security).toEqual([{ bearer: [] }]);
      for (const { op } of ops) {
        expect(op.responses['500']).toBeDefined();
        for (const response of Object.values(op.responses))
          expect(response.description).not.toBe('');
        if (op.requestBody)
          expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['400', '415']));
      }
      expect(
        byId('login').responses['401'].content?.['application/problem+json'].example.status,
      ).toBe(401);
      expect(body.components.schemas.LoginDto.additionalProperties).toBe(false);
      expect(body.components.schemas.TokenPairDto.properties.expiresIn.type).toBe('integer');
      expect(body.components.schemas.RegisterDto.properties.email.format).toBe('email');
      expect(body.components.schemas.VerifyEmailDto.properties.code.pattern).toBe('^\\d{6}$');
      expect(
        body.tags.map((tag: { description?: string }) => Boolean(tag.description)),
      ).not.toContain(false);
    });
  });

  describe('admin bootstrap', () => {
    it('creates an active, verified admin once and never changes an existing password, saying so', async () => {
      const users = t.app.get(UsersService);
      const hasher = t.app.get(PasswordHasher);
      const admin = await users.findByEmail(ADMIN.email);
      expect(admin).toMatchObject({ role: 'admin', status: 'active', emailVerified: true });

      const again = new AdminBootstrap(
        { email: ADMIN.email, password: 'a different password!' },
        users,
        hasher,
        t.app.get(Clock),
      );
      const said = () =>
        t.logs.lines.filter((line) =>
          line.includes(
            `the account ${ADMIN.email} (ADMIN_EMAIL) exists: its password was left as it is`,
          ),
        ).length;
      const before = said();
      await again.onApplicationBootstrap();
      await again.onApplicationBootstrap();
      // Not silently: one line each start, so an operator who changed ADMIN_PASSWORD knows.
      expect(said() - before).toBe(2);

      expect(await t.db.collection('users').countDocuments({ email: ADMIN.email })).toBe(1);
      const passwordHash = (await users.findCredentials(ADMIN.email))!.passwordHash!;
      expect((await hasher.verify(ADMIN.password, passwordHash)).ok).toBe(true);
      expect((await hasher.verify('a different password!', passwordHash)).ok).toBe(false);
    });
  });

  describe('scheduled jobs', () => {
    it('registers every purge with the scheduler', () => {
      const names = [...t.app.get(SchedulerRegistry).getCronJobs().keys()];
      expect(names).toEqual(
        expect.arrayContaining([
          'purge-counters',
          'purge-expired-otps',
          'purge-sessions',
          'purge-pending-accounts',
        ]),
      );
    });
  });

  describe('unique email', () => {
    it('lets exactly one of eight racing inserts of one address win', async () => {
      const users = t.app.get(UsersService);
      const email = 'race@example.com';
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, () =>
          users.create({ email: email.toUpperCase(), passwordHash: 'x$y' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
        expect(r.reason).toBeInstanceOf(DomainException);
        expect((r.reason as DomainException).code).toBe('email_taken');
      }
      expect(await t.db.collection('users').countDocuments({ email })).toBe(1);
    });
  });
});

describe('Readiness', () => {
  it('answers 503 when the database is unreachable', async () => {
    const db = await startDevDatabase({ prefer: (process.env.DEV_DB as 'auto') ?? 'auto' });
    const t = await createTestApp({ MONGO_URI: `${db.uri}/ready_check` });
    try {
      await t.http().get('/health/ready').expect(200);
      await db.stop();
      const res = await t.http().get('/health/ready').expect(503);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).toMatchObject({
        code: 'dependency_down',
        detail: expect.stringContaining('database'),
        errors: [{ field: 'database' }],
      });
      await t.http().get('/health/live').expect(200);
    } finally {
      await t.close();
    }
  });
});
