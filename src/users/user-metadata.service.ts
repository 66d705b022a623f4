import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, Model } from 'mongoose';
import { invalidInput, notFound } from '../common/errors/domain.exception';
import { DomainEvents } from '../common/events/domain-event';
import { Actor } from '../common/decorators/current-actor.decorator';
import { UserDto } from './dto/user.dto';
import { Metadata, metadataProblem } from './metadata';
import { toUserDto } from './user.mapper';
import { User } from './user.schema';

export type MetadataPatch = Partial<
  Record<'publicMetadata' | 'privateMetadata' | 'unsafeMetadata', Metadata>
>;

/**
 * Writes the custom-data slots: each given slot is replaced whole (`{}` empties it), in one
 * update. Who may write which slot is the caller's rule (admins all three, the user only
 * `unsafeMetadata`); the shape rules are checked here again, so every path gets them.
 */
@Injectable()
export class UserMetadata {
  constructor(
    @InjectModel(User.name) private readonly model: Model<User>,
    private readonly events: DomainEvents,
  ) {}

  async set(
    id: string,
    patch: MetadataPatch,
    actor: Actor,
    view: { admin: boolean },
  ): Promise<UserDto> {
    // A DTO instance carries its absent fields as undefined: only the given slots count.
    const fields = (Object.keys(patch) as (keyof MetadataPatch)[]).filter(
      (field) => patch[field] !== undefined,
    );
    const set = Object.fromEntries(fields.map((field) => [field, patch[field]]));
    const errors = fields.flatMap((field) => {
      const problem = metadataProblem(patch[field]);
      return problem ? [{ field, message: problem }] : [];
    });
    if (errors.length > 0) throw invalidInput(errors);
    const live = { _id: id, deletingAt: null };
    // Nothing given writes nothing (MongoDB before 5.0 refuses an empty $set).
    const updated = !isValidObjectId(id)
      ? null
      : fields.length === 0
        ? await this.model.findOne(live).lean()
        : await this.model.findOneAndUpdate(live, { $set: set }, { new: true }).lean();
    if (!updated) throw notFound('The user');
    if (fields.length > 0) {
      await this.events.emitAsync('users.changed', { userId: id });
      // Which slots changed, never what they hold.
      this.events.emit('users.metadata_updated', {
        actorId: actor.id,
        targetType: 'user',
        targetId: id,
        ...actor.origin,
        outcome: 'success',
        details: { fields },
      });
    }
    return toUserDto(updated, view);
  }
}
