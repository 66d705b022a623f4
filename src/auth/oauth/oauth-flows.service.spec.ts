import { createUnitModule, UnitModule } from '../../../test/support/unit-db';
import { OAuthCode, OAuthCodeSchema, OAuthFlow, OAuthFlowSchema } from './oauth-flow.schema';
import { CODE_TTL_MS, FLOW_TTL_MS, OAuthFlows } from './oauth-flows.service';

describe(OAuthFlows.name, () => {
  let unit: UnitModule;
  let flows: OAuthFlows;
  beforeAll(async () => {
    unit = await createUnitModule({
      models: [
        { name: OAuthFlow.name, schema: OAuthFlowSchema },
        { name: OAuthCode.name, schema: OAuthCodeSchema },
      ],
      providers: [OAuthFlows],
    });
    flows = unit.moduleRef.get(OAuthFlows);
  });
  afterAll(() => unit.close());

  const signIn = () =>
    flows.begin({
      provider: 'google',
      purpose: 'sign_in',
      redirectUri: 'https://app.example.com/done',
      bindToBrowser: true,
    });

  it('stores only hashes of state, and returns the verifier only to the one matching callback', async () => {
    const started = await signIn();
    const stored = await unit.db.collection('oauth_flows').find().toArray();
    expect(JSON.stringify(stored)).not.toContain(started.state);
    expect(JSON.stringify(stored)).not.toContain(started.binding);
    expect(await flows.consume('facebook', started.state, started.binding)).toBeNull();
    expect(await flows.consume('google', started.state, 'another browser')).toBeNull();
    expect(await flows.consume('google', started.state, undefined)).toBeNull();
    const flow = await flows.consume('google', started.state, started.binding);
    expect(flow).toMatchObject({ provider: 'google', purpose: 'sign_in', nonce: started.nonce });
    expect(await flows.consume('google', started.state, started.binding)).toBeNull();
  });

  it('lets a flow expire after 10 minutes, on the clock', async () => {
    const started = await signIn();
    unit.clock.advance(FLOW_TTL_MS);
    expect(await flows.consume('google', started.state, started.binding)).toBeNull();
    expect(await flows.purgeExpired()).toBeGreaterThanOrEqual(1);
  });

  it('needs no cookie for a link flow (no binding)', async () => {
    const started = await flows.begin({
      provider: 'acme',
      purpose: 'link',
      redirectUri: 'https://app.example.com/done',
      userId: 'u1',
      bindToBrowser: false,
    });
    expect(started.binding).toBeUndefined();
    expect(await flows.consume('acme', started.state, undefined)).toMatchObject({ userId: 'u1' });
  });

  it('redeems a code once among 30 parallel tries, and not after 60 seconds', async () => {
    const code = await flows.issueCode({ purpose: 'sign_in', provider: 'google', userId: 'u1' });
    const tries = await Promise.all(Array.from({ length: 30 }, () => flows.redeem(code)));
    expect(tries.filter(Boolean)).toEqual([
      { purpose: 'sign_in', provider: 'google', userId: 'u1' },
    ]);
    const late = await flows.issueCode({ purpose: 'sign_in', provider: 'google', userId: 'u2' });
    unit.clock.advance(CODE_TTL_MS);
    expect(await flows.redeem(late)).toBeNull();
  });

  it("forgets a deleted user's flows and codes", async () => {
    await flows.begin({
      provider: 'acme',
      purpose: 'link',
      redirectUri: 'x:/',
      userId: 'gone',
      bindToBrowser: false,
    });
    await flows.issueCode({ purpose: 'link', provider: 'acme', userId: 'gone' });
    await flows.forgetUser('gone');
    expect(await unit.db.collection('oauth_flows').countDocuments({ userId: 'gone' })).toBe(0);
    expect(
      await unit.db.collection('oauth_codes').countDocuments({ 'outcome.userId': 'gone' }),
    ).toBe(0);
  });
});
