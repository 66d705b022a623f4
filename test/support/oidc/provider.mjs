// A real OpenID Provider for the e2e specs: panva's oidc-provider (certified), on loopback, in a
// child process of its own (it is ESM and Koa; the app under test never shares its modules).
//
//   node test/support/oidc/provider.mjs   env: CLIENT_ID, CLIENT_SECRET, REDIRECT_URIS (comma-separated)
//
// Prints `ISSUER=http://127.0.0.1:<port>` once listening. The spec says who signs in next with
// `POST /test/next-login` (JSON claims: sub, email, email_verified, given_name, family_name);
// the interaction then signs that account in and grants consent without a page, so a spec's
// "browser" (redirects followed by hand) goes start → provider → callback like a person would.
import Provider from 'oidc-provider';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

const accounts = new Map();
let nextLogin;

const server = createServer((req, res) => {
  handle(req, res).catch((error) => {
    res.statusCode = 500;
    res.end(String(error?.stack ?? error));
  });
});

let provider;

async function handle(req, res) {
  if (req.method === 'POST' && req.url === '/test/next-login') {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    nextLogin = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    accounts.set(nextLogin.sub, nextLogin);
    res.statusCode = 204;
    return res.end();
  }
  if (req.method === 'GET' && req.url.startsWith('/interaction/')) {
    const details = await provider.interactionDetails(req, res);
    if (details.prompt.name === 'login') {
      if (!nextLogin) throw new Error('no account to sign in: POST /test/next-login first');
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: nextLogin.sub } },
        { mergeWithLastSubmission: false },
      );
    }
    const grant = new provider.Grant({
      accountId: details.session.accountId,
      clientId: details.params.client_id,
    });
    grant.addOIDCScope(String(details.params.scope));
    return provider.interactionFinished(
      req,
      res,
      { consent: { grantId: await grant.save() } },
      { mergeWithLastSubmission: true },
    );
  }
  return provider.callback()(req, res);
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

provider = new Provider(issuer, {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: process.env.REDIRECT_URIS.split(','),
      token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code'],
      response_types: ['code'],
    },
  ],
  jwks: {
    keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', use: 'sig', alg: 'RS256' }],
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
  },
  scopes: ['openid', 'email', 'profile'],
  pkce: { required: () => true },
  findAccount: (_ctx, sub) =>
    accounts.has(sub)
      ? { accountId: sub, claims: () => ({ ...accounts.get(sub), sub }) }
      : undefined,
  interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
  features: { devInteractions: { enabled: false } },
  cookies: { keys: ['a test cookie key that is long enough'] },
});
provider.on('server_error', (_ctx, error) => console.error(error));

process.stdout.write(`ISSUER=${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
