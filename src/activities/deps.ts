import type { RekognitionClient } from '@aws-sdk/client-rekognition';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Client } from '@temporalio/client';

/** The clients activities use; built once per worker from the validated config. */
export interface ActivityDeps {
  s3: S3Client;
  sqs: SQSClient;
  rekognition: RekognitionClient;
  /** Reads earlier batches (their measured throughput): the worker gives its own connection's client. */
  temporal?: Client;
}
