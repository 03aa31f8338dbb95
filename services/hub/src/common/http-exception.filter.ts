import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import { type FastifyReply } from 'fastify';
import { type Logger } from 'pino';
import { LOGGER } from '../logging/logging.module.js';
import { DomainError } from './domain-error.js';
import { codeForHttpStatus, HTTP_STATUS, INTERNAL_ERROR } from './error-mapping.js';

/**
 * Every non-GraphQL HTTP error becomes `{ code, message }` with a stable code. Unexpected errors are
 * logged with an id and answered without details (no stack traces, no SQL, no secrets).
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const [status, body] = this.toResponse(exception);
    void reply.status(status).send(body);
  }

  private toResponse(exception: unknown): [number, { code: string; message: string }] {
    if (exception instanceof DomainError) {
      return [HTTP_STATUS[exception.code], { code: exception.code, message: exception.message }];
    }
    const fastifyCode = (exception as { code?: string } | null)?.code;
    if (fastifyCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return [413, { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' }];
    }
    if (fastifyCode === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || fastifyCode === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      return [415, { code: 'INVALID_ARGUMENT', message: 'request body must be JSON' }];
    }
    if (
      exception instanceof SyntaxError ||
      (exception as { statusCode?: number } | null)?.statusCode === 400
    ) {
      return [400, { code: 'INVALID_ARGUMENT', message: 'request body is not valid JSON' }];
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return [status, { code: codeForHttpStatus(status), message: exception.message }];
    }
    const errorId = crypto.randomUUID();
    this.logger.error(
      { errorId, err: exception instanceof Error ? exception.message : String(exception) },
      'unhandled error',
    );
    return [500, { code: INTERNAL_ERROR, message: `internal error (id ${errorId})` }];
  }
}
