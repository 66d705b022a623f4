import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveTarget, ResolvedTarget } from './target-url';
import { RESPONSE_CAP_BYTES, send } from './webhook-sender';

describe('send', () => {
  let server: Server;
  let port: number;
  let seen: IncomingHttpHeaders[] = [];
  let answer: (res: import('node:http').ServerResponse) => void;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      req.on('end', () => answer(res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  beforeEach(() => (seen = []));

  /** A name only our resolver knows: the system's could not find it, so a hit proves the pin. */
  const target = async () =>
    (await resolveTarget(`http://rebind.test:${port}/in`, true, async () => [
      { address: '127.0.0.1', family: 4 },
    ])) as ResolvedTarget;

  it('connects to the address that was checked, keeping the name in Host', async () => {
    answer = (res) => res.writeHead(204).end();
    const outcome = await send(await target(), { 'webhook-id': 'msg_1' }, '{}', 2000);
    expect(outcome).toMatchObject({ status: 204 });
    expect(seen[0].host).toBe(`rebind.test:${port}`);
    expect(seen[0]['webhook-id']).toBe('msg_1');
  });

  it('does not follow a redirect', async () => {
    answer = (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/other` }).end();
    expect(await send(await target(), {}, '{}', 2000)).toMatchObject({ status: 302 });
    expect(seen).toHaveLength(1);
  });

  it('keeps a 500-character excerpt of a large answer (reading stops at the cap)', async () => {
    answer = (res) => {
      res.writeHead(500);
      res.end('x'.repeat(RESPONSE_CAP_BYTES * 4));
    };
    const outcome = await send(await target(), {}, '{}', 2000);
    expect(outcome).toMatchObject({ status: 500 });
    expect('response' in outcome && outcome.response.length).toBe(500);
  });

  it('gives up at the deadline', async () => {
    answer = () => undefined; // never answers
    expect(await send(await target(), {}, '{}', 200)).toMatchObject({ error: 'timeout' });
  });
});
