/**
 * The one error type of the project. Domain code throws it with a code; the HTTP edge
 * (server/http/error-handler.ts) is the only place that turns a code into a status.
 */
export type ErrorCode =
  /** malformed request syntax: bad JSON, malformed multipart, a query key repeated where one is expected */
  | 'bad_request'
  /** the body or a parameter failed validation; details lists each bad field */
  | 'validation_failed'
  /** no valid bearer token */
  | 'unauthenticated'
  /** authenticated, but the role may not do this */
  | 'forbidden'
  /** no such resource, or one the caller may not know exists */
  | 'not_found'
  /** the resource changed since the caller read it (stale version) */
  | 'version_conflict'
  /** the move is not allowed from the current state (e.g. a transition not in the table) */
  | 'invalid_state'
  /** a unique value is already taken */
  | 'duplicate'
  /** the request is well formed but a business rule or guard is not met */
  | 'unprocessable'
  /** the body or file is larger than the configured limit */
  | 'payload_too_large'
  /** the content type is not accepted */
  | 'unsupported_media_type'
  /** too many attempts; retry later */
  | 'too_many_requests'
  /** the range header cannot be satisfied */
  | 'range_not_satisfiable'
  /** the request's headers are larger than the HTTP server accepts */
  | 'headers_too_large'
  /** the request did not arrive in time */
  | 'request_timeout'
  /** a dependency (database) is not available */
  | 'unavailable'
  /** anything unexpected; message never reaches the client */
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}
