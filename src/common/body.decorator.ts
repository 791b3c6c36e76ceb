import { Body as NestBody } from '@nestjs/common';

const READS_BODY = Symbol('readsBody');

/**
 * Nest's `@Body()`, which also marks its route as one that reads a body, for
 * `UnreadBodyInterceptor`. Controllers import `Body` from here, never from `@nestjs/common`.
 */
export function Body(): ParameterDecorator {
  const nestBody = NestBody();
  return (target, key, index) => {
    nestBody(target, key, index);
    if (key !== undefined) {
      Reflect.defineMetadata(READS_BODY, true, (target as Record<string | symbol, object>)[key]);
    }
  };
}

/** Whether the route handler reads its request's body. */
export function readsBody(handler: object): boolean {
  return Reflect.getMetadata(READS_BODY, handler) === true;
}
