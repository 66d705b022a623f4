import { bearer, PASSWORD, signIn, signUp } from './support/auth-helpers';
import { createTestApp, TestApp } from './support/test-app';

/** Mails and problem details in English and Spanish (issue 14). */
describe('Languages', () => {
  let t: TestApp;
  beforeAll(async () => (t = await createTestApp()));
  afterAll(() => t.close());

  it('a registration with Accept-Language: es gets a Spanish mail and a Spanish account', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .set('Accept-Language', 'es-ES,es;q=0.9,en;q=0.5')
      .send({ email: 'lucia@example.com', password: PASSWORD })
      .expect(201);
    expect(res.body.user.locale).toBe('es');
    const mail = await t.mail.waitFor('lucia@example.com', /Tu código de verificación/);
    expect(mail.text).toContain(
      'Usa este código para verificar tu dirección de correo electrónico',
    );
    expect(mail.text).toMatch(/El código caduca en 5 minutos/);
    expect(mail.html).toContain("lang='es'");
  });

  it('a registration without Accept-Language stays English', async () => {
    const res = await t
      .http()
      .post('/api/v1/auth/register')
      .send({ email: 'ada@example.com', password: PASSWORD })
      .expect(201);
    expect(res.body.user.locale).toBeUndefined();
    const mail = await t.mail.waitFor('ada@example.com', /Your verification code/);
    expect(mail.text).toContain('The code expires in 5 minutes');
  });

  it('a 401 with Accept-Language: es has a Spanish title and detail and the same code', async () => {
    const login = (lang?: string) => {
      const req = t.http().post('/api/v1/auth/login');
      return (lang ? req.set('Accept-Language', lang) : req)
        .send({ email: 'nobody@example.com', password: 'wrong password here' })
        .expect(401);
    };
    const spanish = (await login('es')).body;
    const english = (await login()).body;
    expect(english).toMatchObject({
      title: 'Unauthorized',
      detail: 'The email or password is not correct.',
      code: 'invalid_credentials',
    });
    expect(spanish).toMatchObject({
      title: 'No autorizado',
      detail: 'El correo electrónico o la contraseña no son correctos.',
      code: 'invalid_credentials',
      status: 401,
    });
    expect((await login('fr-FR, de')).body.detail).toBe(english.detail);
  });

  it('translates details with values (a missing route, a validation failure) and keeps field errors', async () => {
    const res = await t.http().get('/api/v1/nowhere').set('Accept-Language', 'es').expect(404);
    expect(res.body).toMatchObject({
      title: 'No encontrado',
      detail: 'El recurso no se encontró.',
    });
    const invalid = await t
      .http()
      .post('/api/v1/auth/login')
      .set('Accept-Language', 'es')
      .send({ email: 'x@example.com' })
      .expect(400);
    expect(invalid.body).toMatchObject({
      detail: 'La solicitud no es válida.',
      code: 'validation_failed',
      errors: expect.arrayContaining([expect.objectContaining({ field: 'password' })]),
    });
  });

  describe('the locale profile field', () => {
    it('is validated against the supported languages, and then answers and mails in it', async () => {
      await signUp(t, 'grace@example.com');
      const pair = await signIn(t, 'grace@example.com');
      const wrong = await t
        .http()
        .patch('/api/v1/users/me')
        .set(bearer(pair))
        .send({ locale: 'fr' })
        .expect(400);
      expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'locale' })]);

      const before = t.mail.to('grace@example.com').length;
      const res = await t
        .http()
        .patch('/api/v1/users/me')
        .set(bearer(pair))
        .send({ locale: 'es' })
        .expect(200);
      expect(res.body.locale).toBe('es');
      const notice = await t.mail.waitFor('grace@example.com', /Se actualizó tu perfil/, {
        after: before,
      });
      expect(notice.text).toMatch(/Estos campos del perfil se cambiaron el \d+ de \w+ de \d{4}/);
      expect(notice.text).toContain(': idioma.');

      // No Accept-Language: the user's locale; an Accept-Language wins over it.
      const bySetting = await t
        .http()
        .delete('/api/v1/sessions/nope')
        .set(bearer(pair))
        .expect(404);
      expect(bySetting.body.detail).toBe('El recurso no se encontró.');
      const byHeader = await t
        .http()
        .delete('/api/v1/sessions/nope')
        .set(bearer(pair))
        .set('Accept-Language', 'en')
        .expect(404);
      expect(byHeader.body.detail).toBe('The resource was not found.');

      // The one-time codes come in Spanish too.
      const mark = t.mail.to('grace@example.com').length;
      await t
        .http()
        .post('/api/v1/auth/login')
        .send({ email: 'grace@example.com', password: PASSWORD })
        .expect(200);
      const signInMail = await t.mail.waitFor(
        'grace@example.com',
        /Tu código de inicio de sesión/,
        {
          after: mark,
        },
      );
      expect(signInMail.text).toContain('terminar de iniciar sesión');
    });
  });
});
