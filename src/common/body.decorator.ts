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

const READS_FILES = Symbol('readsFiles');

/**
 * Marks a route that streams a multipart body itself (a file upload): the only kind of route
 * that takes one, the others answering it 415 (`UnreadBodyInterceptor`).
 */
export function ReadsFiles(): MethodDecorator {
  return (_target, _key, descriptor) => {
    Reflect.defineMetadata(READS_BODY, true, descriptor.value as object);
    Reflect.defineMetadata(READS_FILES, true, descriptor.value as object);
  };
}

/** Whether the route handler streams a multipart body. */
export function readsFiles(handler: object): boolean {
  return Reflect.getMetadata(READS_FILES, handler) === true;
}
