/** Stops what global-setup.ts started. */
export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as { __services?: Array<{ stop(): Promise<void> }> }).__services ?? [];
  await Promise.all(services.map((service) => service.stop()));
}
