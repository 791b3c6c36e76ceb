import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFailedError } from '../common/domain-error.js';

/** Template keys, versions and indicator keys in paths: short words of letters, digits, . and -. */
@Injectable()
export class IndicatorKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9.-]{1,60}$/.test(value)) {
      throw ValidationFailedError.of('path', `${value.slice(0, 60)} is not a key or version`);
    }
    return value;
  }
}
