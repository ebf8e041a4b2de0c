/**
 * The local Rekognition server in a process of its own, as a real endpoint would be: its CPU is not the
 * worker's. Options as JSON in argv[2] (LocalRekognitionServerOptions); serves until SIGTERM.
 */
import { startLocalRekognitionServer, type LocalRekognitionServerOptions } from '../src/local/rekognition';

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LocalRekognitionServerOptions;
  const server = await startLocalRekognitionServer(options);
  const shutDown = () => void server.close().then(() => process.exit(0));
  process.once('SIGTERM', shutDown);
  process.once('SIGINT', shutDown);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
