import { generateKeyPair } from './key-material';
import { KeySet, LoadedKey } from './key-set';

const H = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2026, 0, 1) + hours * H);
const key = (seq: number, activatesAtHour: number): LoadedKey => ({
  ...generateKeyPair(),
  seq,
  createdAt: at(activatesAtHour - 1),
  activatesAt: at(activatesAtHour),
});

describe(KeySet.name, () => {
  const grace = 0.5 * H;
  const [k0, k1] = [key(0, 0), key(1, 24)];
  const set = new KeySet([k0, k1], grace);

  it('signs with the latest key whose time has come; the next one is only published', () => {
    expect(set.current(at(23))).toBe(k0);
    expect(set.current(at(24))).toBe(k1);
    expect(set.statuses(at(23)).map((s) => s.state)).toEqual(['current', 'next']);
    expect(set.jwks(at(23)).keys.map((k) => k.kid)).toEqual([k0.kid, k1.kid]);
  });

  it('signs with the first key when the clock reads earlier than every activation', () => {
    expect(set.current(at(-1))).toBe(k0);
    expect(set.statuses(at(-1)).map((s) => s.state)).toEqual(['current', 'next']);
    expect(new KeySet([], grace).current(at(0))).toBeUndefined();
  });

  it('keeps a retired key verifying for its grace, then drops it', () => {
    expect(set.statuses(at(24.25))[0]).toMatchObject({
      state: 'retired',
      retiredAt: at(24),
      dropsAt: at(24.5),
    });
    expect(set.verifier(k0.kid, at(24.49).getTime())).toBe(k0.publicKey);
    expect(set.droppable(at(24.49))).toEqual([]);
    expect(set.verifier(k0.kid, at(24.5).getTime())).toBeUndefined();
    expect(set.droppable(at(24.5))).toEqual([k0]);
    expect(set.jwks(at(24.5)).keys.map((k) => k.kid)).toEqual([k1.kid]);
    expect(set.verifier('unknown', at(1).getTime())).toBeUndefined();
  });

  it('retires a pending key overtaken by an immediate rotation from the moment of it', () => {
    const k2 = key(2, 2); // rotated at once at hour 2, while k1 waited for hour 24
    const rotated = new KeySet([k0, k1, k2], grace);
    expect(rotated.current(at(3))).toBe(k2);
    expect(rotated.statuses(at(3)).map((s) => [s.state, s.retiredAt])).toEqual([
      ['retired', at(2)],
      ['retired', at(2)],
      ['current', undefined],
    ]);
    expect(rotated.current(at(25))).toBe(k2); // k1's date passing does not bring it back
    expect(rotated.droppable(at(2.5))).toEqual([k0, k1]);
  });
});
