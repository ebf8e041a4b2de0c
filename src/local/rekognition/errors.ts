/** An error the local server answers with, shaped like the real service's JSON 1.1 errors. */
export class RekognitionError extends Error {
  constructor(
    readonly type: RekognitionErrorType,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export type RekognitionErrorType =
  | 'AccessDeniedException'
  | 'ImageTooLargeException'
  | 'InternalServerError'
  | 'InvalidImageFormatException'
  | 'InvalidParameterException'
  | 'InvalidS3ObjectException'
  | 'ProvisionedThroughputExceededException'
  | 'ResourceInUseException'
  | 'ResourceNotFoundException'
  | 'ResourceNotReadyException'
  | 'ServiceQuotaExceededException'
  | 'UnknownOperationException';

export function invalidParameter(message: string): RekognitionError {
  return new RekognitionError('InvalidParameterException', message);
}
