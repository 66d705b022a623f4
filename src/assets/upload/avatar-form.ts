import {
  applyDecorators,
  CallHandler,
  createParamDecorator,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  Type,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiConsumes,
  ApiExtension,
  ApiExtraModels,
  ApiProperty,
  getSchemaPath,
  IntersectionType,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import { invalidInput } from '../../common/errors/domain.exception';
import { AcceptsMultipart, isMultipartRequest } from '../../common/http/multipart';
import { MULTIPART_SCHEMA_EXTENSION } from '../../common/http/openapi';
import { assetsConfig, AssetsConfig } from '../../config/configuration';
import { fileTooLarge, unsupportedFileType } from '../assets.errors';
import { detectType, SNIFF_BYTES } from '../files/file-type';
import { nextPart } from './multipart-file';

/** An avatar sent with a form, read whole (it is checked before anything is created). */
export interface BufferedFile {
  fileName?: string;
  bytes: Buffer;
}

const AVATAR = Symbol('avatar');
type WithAvatar = FastifyRequest & { [AVATAR]?: BufferedFile };

const refuse = (field: string, message: string) => invalidInput([{ field, message }]);

/**
 * For a multipart request: turns its text fields into the body (validated by the route's DTO
 * like a JSON body) and reads its optional `avatar` file into memory, refusing it at once when
 * it passes ASSET_MAX_BYTES (413) or is not an image (415). So a bad file fails the request
 * before the handler runs, and nothing is created. JSON requests pass through untouched.
 */
@Injectable()
export class AvatarFormInterceptor implements NestInterceptor {
  constructor(@Inject(assetsConfig.KEY) private readonly config: AssetsConfig) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<WithAvatar>();
    if (isMultipartRequest(request)) {
      const fields: Record<string, string> = {};
      let avatarSeen = false;
      const parts = request.parts();
      for (let part = await nextPart(parts); part; part = await nextPart(parts)) {
        if (part.type === 'field') {
          if (part.fieldname in fields) throw refuse(part.fieldname, 'is given more than once');
          if (part.valueTruncated) throw refuse(part.fieldname, 'is too long');
          fields[part.fieldname] = String(part.value);
        } else if (part.fieldname !== 'avatar' || avatarSeen) {
          part.file.destroy();
          throw refuse(part.fieldname, 'is not an accepted file');
        } else {
          avatarSeen = true;
          const bytes = await this.read(part.file);
          // A form whose file input was left empty sends an empty part with no name: no avatar.
          if (bytes.length > 0 || part.filename) {
            if (!(await detectType(bytes.subarray(0, SNIFF_BYTES)))?.image)
              throw unsupportedFileType(true);
            request[AVATAR] = { fileName: part.filename, bytes };
          }
        }
      }
      request.body = fields;
    }
    return next.handle();
  }

  private async read(stream: AsyncIterable<Buffer> & { destroy(): void }): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > this.config.maxBytes) {
        stream.destroy();
        throw fileTooLarge(this.config.maxBytes);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }
}

/** The avatar a multipart request carried, if any (see `AcceptsAvatar`). */
export const UploadedAvatar = createParamDecorator(
  (_: unknown, context: ExecutionContext): BufferedFile | undefined =>
    context.switchToHttp().getRequest<WithAvatar>()[AVATAR],
);

class OptionalAvatarDto {
  /** An image (jpeg, png, webp or gif) to become the avatar. */
  @ApiProperty({ type: 'string', format: 'binary', required: false })
  avatar?: unknown;
}

/**
 * A JSON route that also takes its fields as multipart, with an optional `avatar` image. The
 * document shows both bodies: the fields as JSON, and `<Fields>Form` (the same plus the file) as
 * multipart.
 */
export function AcceptsAvatar(fields: Type) {
  class Form extends IntersectionType(fields, OptionalAvatarDto) {}
  Object.defineProperty(Form, 'name', { value: `${fields.name}Form` });
  return applyDecorators(
    AcceptsMultipart(),
    UseInterceptors(AvatarFormInterceptor),
    ApiConsumes('application/json', 'multipart/form-data'),
    ApiExtraModels(Form),
    ApiExtension(MULTIPART_SCHEMA_EXTENSION, { $ref: getSchemaPath(Form) }),
  );
}
