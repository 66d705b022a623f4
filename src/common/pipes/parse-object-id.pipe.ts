import { Injectable, PipeTransform } from '@nestjs/common';
import { isValidObjectId } from 'mongoose';
import { notFound } from '../errors/domain.exception';

/** Ids that are not ObjectIds can name nothing: 404 before any query is built. */
@Injectable()
export class ParseObjectIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[0-9a-f]{24}$/i.test(value) || !isValidObjectId(value))
      throw notFound('The resource');
    return value;
  }
}
