import { Injectable, PipeTransform } from '@nestjs/common';
import { ValidationFieldErrors } from '../common/common.errors.js';
import { invalidField } from '../common/domain-error.js';

/** Accepts an ISO 3166-1 alpha-2 code in either case and answers it in upper case. */
@Injectable()
export class CountryCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[A-Za-z]{2}$/.test(value)) {
      throw invalidField('code', ValidationFieldErrors.country_code, { each: 'no' });
    }
    return value.toUpperCase();
  }
}
