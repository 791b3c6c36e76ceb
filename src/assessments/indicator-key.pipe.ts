import { Injectable, PipeTransform } from '@nestjs/common';
import { invalidField } from '../common/domain-error.js';
import { AssessmentFieldErrors } from './assessment.errors.js';

/** Template keys, versions and indicator keys in paths: short words of letters, digits, . and -. */
@Injectable()
export class IndicatorKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z0-9.-]{1,60}$/.test(value)) {
      throw invalidField('path', AssessmentFieldErrors.not_a_key, { value: value.slice(0, 60) });
    }
    return value;
  }
}
