import { isPrivateAddress } from './address-guard';
import { resolveTarget } from './target-url';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111'])('allows %s', (address) =>
    expect(isPrivateAddress(address)).toBe(false),
  );
});

describe('resolveTarget', () => {
  const resolver = (answers: Record<string, string[]>) => async (host: string) =>
    (answers[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name any of whose addresses is private, and http, unless private networks are allowed', async () => {
    const dns = resolver({ 'hooks.example': ['93.184.216.34', '127.0.0.1'] });
    expect(await resolveTarget('https://hooks.example/x', false, dns)).toBe('blocked_address');
    expect(await resolveTarget('http://93.184.216.34/x', false, dns)).toBe('https_required');
    expect(await resolveTarget('https://[::1]/x', false, dns)).toBe('blocked_address');
    expect(await resolveTarget('https://hooks.example/x', true, dns)).toMatchObject({
      address: '93.184.216.34',
    });
  });

  it('connects to the address it checked', async () => {
    const dns = resolver({ 'hooks.example': ['93.184.216.34'] });
    const target = await resolveTarget('https://hooks.example:8443/in', false, dns);
    expect(target).toMatchObject({ address: '93.184.216.34', family: 4 });
  });

  it('says so when the name does not resolve', async () => {
    expect(await resolveTarget('https://nowhere.example/', false, resolver({}))).toBe('dns_failed');
  });
});
