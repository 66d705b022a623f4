import { Inject, Injectable, Logger } from '@nestjs/common';
import { CacheInvalidations } from '../cluster/cache-invalidations';
import { DomainEvents } from '../common/events/domain-event';
import { Clock } from '../common/time/clock';
import { Actor } from '../common/decorators/current-actor.decorator';
import { signingKeysConfig, SigningKeysConfig } from '../config/configuration';
import { SigningKeyDto } from './dto/signing-key.dto';
import { KeyStatus } from './key-set';
import { SigningKeyStore } from './signing-key.store';
import { SigningKeys } from './signing-keys.service';
import { signingKeyErrors } from './signing-keys.errors';

/** What one rotation step changed. */
export interface RotationStep {
  published?: string;
  dropped: string[];
}

/**
 * Moves the key set along: publishes the next key JWT_KEY_PUBLISH_AHEAD before the current one
 * has signed for JWT_KEY_ROTATION (the switch itself needs no step: it follows from the dates),
 * drops retired keys once their grace is over, and rotates at once when an operator asks.
 * Every change is broadcast so the other instances reload.
 */
@Injectable()
export class SigningKeyRotation {
  private readonly logger = new Logger(SigningKeyRotation.name);

  constructor(
    private readonly keys: SigningKeys,
    private readonly store: SigningKeyStore,
    @Inject(signingKeysConfig.KEY) private readonly config: SigningKeysConfig,
    private readonly clock: Clock,
    private readonly events: DomainEvents,
    private readonly invalidations: CacheInvalidations,
  ) {}

  /** The scheduled step (idempotent; run by one instance under the job lease). */
  async step(): Promise<RotationStep> {
    const result: RotationStep = { dropped: [] };
    if (this.keys.pinned) return result;
    await this.keys.reload();
    const now = this.clock.now();
    const set = this.keys.keySet;
    const current = set.current(now);
    const last = set.keys.at(-1);
    if (!current) {
      // No key signs (the collection was emptied while running): one that signs at once.
      result.published = (await this.store.add((last?.seq ?? -1) + 1, now, now)) ?? undefined;
    } else if (last === current) {
      const publishAt = current.activatesAt.getTime() + this.config.rotationMs;
      if (now.getTime() >= publishAt - this.config.publishAheadMs) {
        const activatesAt = new Date(
          Math.max(publishAt, now.getTime() + this.config.publishAheadMs),
        );
        result.published = (await this.store.add(current.seq + 1, activatesAt, now)) ?? undefined;
      }
    }
    const drop = set.droppable(now);
    if ((await this.store.remove(drop.map((key) => key.seq))) > 0)
      result.dropped = drop.map((key) => key.kid);
    if (result.published || result.dropped.length > 0) await this.changed();
    if (result.published) {
      this.logger.log(`published the next signing key ${result.published}`);
      this.events.emit('signing_keys.published', {
        targetType: 'signing_key',
        targetId: result.published,
        outcome: 'success',
      });
    }
    for (const kid of result.dropped)
      this.events.emit('signing_keys.dropped', {
        targetType: 'signing_key',
        targetId: kid,
        outcome: 'success',
      });
    return result;
  }

  /**
   * A fresh key that signs from now on; the one it replaces retires and still verifies for its
   * grace (tokens it signed stay valid until they expire). Races with the job or another
   * operator: the sequence number decides, and the loser tries the next one.
   */
  async rotateNow(actor: Actor): Promise<SigningKeyDto> {
    if (this.keys.pinned) throw signingKeyErrors.pinned();
    // Each lost race means another key was just added; a few are plenty.
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await this.keys.reload();
      const previous = this.keys.signer();
      const seq = (this.keys.keySet.keys.at(-1)?.seq ?? -1) + 1;
      const now = this.clock.now();
      const kid = await this.store.add(seq, now, now);
      if (!kid) continue;
      await this.changed();
      this.events.emit('signing_keys.rotated', {
        actorId: actor.id,
        targetType: 'signing_key',
        targetId: kid,
        ...actor.origin,
        outcome: 'success',
        details: { previousKid: previous.kid },
      });
      return this.list().find((key) => key.kid === kid)!;
    }
    throw new Error('could not add a signing key: every sequence number tried was taken');
  }

  list(): SigningKeyDto[] {
    return this.keys.keySet.statuses(this.clock.now()).map(toDto).reverse();
  }

  private async changed(): Promise<void> {
    await this.keys.reload();
    await this.invalidations.publish({ kind: 'signing-keys' });
  }
}

function toDto(status: KeyStatus): SigningKeyDto {
  return {
    kid: status.key.kid,
    alg: 'ES256',
    state: status.state,
    createdAt: status.key.createdAt.toISOString(),
    activatesAt: status.key.activatesAt.toISOString(),
    ...(status.retiredAt ? { retiredAt: status.retiredAt.toISOString() } : {}),
    ...(status.dropsAt ? { dropsAt: status.dropsAt.toISOString() } : {}),
  };
}
